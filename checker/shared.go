package checker

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
)

// buildFindings are the findings of one Dockerfile's check.
type buildFindings struct {
	dockerfile string
	// shared is set when the Dockerfile was checked with its build, whose
	// other files (.dockerignore, package.json, sources) other builds may
	// use too.
	shared   bool
	findings []analysis.Finding
}

// mergeShared gathers the builds' findings, reporting a problem in a file
// that several builds use once: findings of one rule at one place in a
// file other than the Dockerfile (its .dockerignore, package.json,
// .node-version, a source file), reported by more than one build, become
// the first build's finding, at the highest severity reported, with the
// Dockerfiles that use the file appended to the message: "… (for
// Dockerfile, api/Dockerfile)". A build that reports the rule at that
// place more than once (about different things) keeps its findings as
// they are.
func mergeShared(builds []buildFindings) []analysis.Finding {
	sources := make([]findingSource, len(builds))
	for i, b := range builds {
		sources[i] = findingSource{name: b.dockerfile, findings: b.findings, merges: func(f analysis.Finding) bool {
			return b.shared && f.File != b.dockerfile
		}}
	}
	return mergeRepeats(sources)
}

// findingSource is one check whose findings mergeRepeats gathers: a
// build, named by its Dockerfile, or a compose file set, named by its
// base file.
type findingSource struct {
	name     string
	findings []analysis.Finding
	// merges reports whether a finding may be merged with the other
	// sources' findings at its place.
	merges func(analysis.Finding) bool
	// own, when set, reports whether the source's wording of a finding is
	// preferred to another source's (the message of a set whose own files
	// hold the place); else the first source's wording is kept.
	own func(analysis.Finding) bool
}

// mergeRepeats gathers the sources' findings, reporting once what several
// sources report at one place: findings of one rule at one place (file
// and range) that merges allows, reported by more than one source, become
// one finding, at the highest severity reported, with the names of the
// sources appended to the message: "… (for Dockerfile, api/Dockerfile)",
// each relative to the finding's folder. Sources of one name count once.
// A source that reports the rule at that place more than once (about
// different things) keeps its findings as they are.
func mergeRepeats(sources []findingSource) []analysis.Finding {
	type key struct {
		id, file string
		rng      analysis.Range
	}
	type group struct {
		at    int // index in out
		names []string
		own   bool // out[at] is worded by a source that owns it
	}
	// Places a source reports more than once are not merged.
	repeated := map[key]bool{}
	for _, s := range sources {
		seen := map[key]bool{}
		for _, f := range s.findings {
			k := key{f.Rule.ID, f.File, f.Range}
			repeated[k] = repeated[k] || seen[k]
			seen[k] = true
		}
	}
	var out []analysis.Finding
	groups := map[key]*group{}
	var order []key
	for _, s := range sources {
		for _, f := range s.findings {
			k := key{f.Rule.ID, f.File, f.Range}
			if !s.merges(f) || repeated[k] {
				out = append(out, f)
				continue
			}
			own := s.own != nil && s.own(f)
			g, ok := groups[k]
			if !ok {
				groups[k] = &group{at: len(out), names: []string{s.name}, own: own}
				order = append(order, k)
				out = append(out, f)
				continue
			}
			if !slices.Contains(g.names, s.name) {
				g.names = append(g.names, s.name)
			}
			sev := max(out[g.at].Severity, f.Severity)
			if own && !g.own {
				out[g.at], g.own = f, true
			}
			out[g.at].Severity = sev
		}
	}
	for _, k := range order {
		g := groups[k]
		if len(g.names) < 2 {
			continue
		}
		names := make([]string, len(g.names))
		for i, n := range g.names {
			names[i] = relativeTo(k.file, n)
		}
		out[g.at].Message += " (for " + strings.Join(names, ", ") + ")"
	}
	return out
}

// relativeTo names dockerfile relative to the directory of file when it
// is below it (as messages name a .dockerignore's Dockerfiles), else as
// given.
func relativeTo(file, dockerfile string) string {
	rel, err := filepath.Rel(filepath.Dir(file), dockerfile)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(dockerfile)
	}
	return filepath.ToSlash(rel)
}
