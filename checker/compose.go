package checker

import (
	"context"
	"path/filepath"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/config"
	"github.com/seaworthy-dev/seaworthy/source/compose"
)

// LoadCompose loads the compose files in paths as the file sets docker
// compose would use (a base file with the override file beside it, see
// compose.Sets), in parallel: compose-go spends a few milliseconds on each.
// A set that cannot be loaded (invalid YAML, a compose schema violation,
// a file that cannot be read) is a compose.Failed project holding the
// error, with the file and line, for the CO000 finding.
func LoadCompose(paths []string) []*compose.Project {
	return LoadComposeSets(compose.Sets(paths, compose.Grouping{}))
}

// LoadComposeSets loads file sets (see compose.Sets) as LoadCompose does.
func LoadComposeSets(sets [][]string) []*compose.Project {
	projects := make([]*compose.Project, len(sets))
	_ = forEach(context.Background(), len(sets), func(i int) {
		p, err := compose.Load(sets[i]...)
		if err != nil {
			p = compose.Failed(sets[i], err)
		}
		projects[i] = p
	})
	return projects
}

// defaultComposeName reports whether docker compose reads a file of this
// name without -f (a base or an override file).
func defaultComposeName(path string) bool {
	name := filepath.Base(path)
	for _, n := range append(append([]string(nil), compose.BaseFileNames...), compose.OverrideFileNames...) {
		if n == name {
			return true
		}
	}
	return false
}

// CheckCompose loads the compose files in paths (see LoadCompose) and
// checks them (see CheckComposeProjects).
func CheckCompose(paths []string, opts Options, sources Sources) []analysis.Finding {
	findings, _ := CheckComposeProjects(LoadCompose(paths), opts, sources)
	return findings
}

// CheckComposeProjects runs on each loaded file set the CO rules that
// apply to its purpose, and applies `# seaworthy ignore=` comments and the
// config policy of the file each finding points at. It records the compose
// files' lines in sources, and returns the purpose of each set (by its
// base file), in order.
func CheckComposeProjects(projects []*compose.Project, opts Options, sources Sources) ([]analysis.Finding, []analysis.FilePurpose) {
	today := opts.today()
	type result struct {
		project  *compose.Project
		findings []analysis.Finding
	}
	results := make([]result, len(projects))
	purposes := make([]analysis.FilePurpose, len(projects))
	for i, p := range projects {
		purposes[i] = opts.composePurpose(p)
		rules := forPurpose(opts.Rules.ForInput(p.InputKind()), purposes[i].Purpose)
		results[i] = result{project: p, findings: RunRules(p, p.Files[0].Path, rules, today)}
	}
	var out []analysis.Finding
	supp := map[string]*config.Suppressions{}
	for _, r := range results {
		for _, f := range r.project.Files {
			sources[f.Path] = f.Lines
		}
		for _, f := range r.findings {
			s, ok := supp[f.File]
			if !ok {
				s = config.CommentSuppressions(opts.Rules, sources.Lines(f.File))
				supp[f.File] = s
			}
			if s.Suppressed(f) {
				continue
			}
			out = append(out, f)
		}
	}
	out = opts.applyPolicy(out)
	Sort(out)
	return out, purposes
}
