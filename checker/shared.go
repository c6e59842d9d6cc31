package checker

import (
	"path/filepath"
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
	type key struct {
		id, file string
		rng      analysis.Range
	}
	type group struct {
		at          int // index in out
		dockerfiles []string
	}
	// Places a build reports more than once are not merged.
	repeated := map[key]bool{}
	for _, b := range builds {
		seen := map[key]bool{}
		for _, f := range b.findings {
			k := key{f.Rule.ID, f.File, f.Range}
			repeated[k] = repeated[k] || seen[k]
			seen[k] = true
		}
	}
	var out []analysis.Finding
	groups := map[key]*group{}
	var order []key
	for _, b := range builds {
		for _, f := range b.findings {
			k := key{f.Rule.ID, f.File, f.Range}
			if !b.shared || f.File == b.dockerfile || repeated[k] {
				out = append(out, f)
				continue
			}
			g, ok := groups[k]
			if !ok {
				groups[k] = &group{at: len(out), dockerfiles: []string{b.dockerfile}}
				order = append(order, k)
				out = append(out, f)
				continue
			}
			if g.dockerfiles[len(g.dockerfiles)-1] != b.dockerfile {
				g.dockerfiles = append(g.dockerfiles, b.dockerfile)
			}
			if f.Severity > out[g.at].Severity {
				out[g.at].Severity = f.Severity
			}
		}
	}
	for _, k := range order {
		g := groups[k]
		if len(g.dockerfiles) < 2 {
			continue
		}
		names := make([]string, len(g.dockerfiles))
		for i, df := range g.dockerfiles {
			names[i] = relativeTo(k.file, df)
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
