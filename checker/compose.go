package checker

import (
	"context"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/config"
	"github.com/seaworthy-dev/seaworthy/source/compose"
)

// LoadCompose loads the compose files in paths as the file sets docker
// compose would use (a base file with the override file beside it, see
// compose.Sets), in parallel: compose-go spends a few milliseconds on each.
// A file that cannot be loaded (invalid YAML, a compose schema violation)
// is an error naming the file and line.
func LoadCompose(paths []string) ([]*compose.Project, error) {
	sets := compose.Sets(paths)
	projects := make([]*compose.Project, len(sets))
	errs := make([]error, len(sets))
	_ = forEach(context.Background(), len(sets), func(i int) {
		projects[i], errs[i] = compose.Load(sets[i]...)
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return projects, nil
}

// CheckCompose loads the compose files in paths (see LoadCompose) and
// checks them (see CheckComposeProjects).
func CheckCompose(paths []string, opts Options, sources Sources) ([]analysis.Finding, error) {
	projects, err := LoadCompose(paths)
	if err != nil {
		return nil, err
	}
	return CheckComposeProjects(projects, opts, sources), nil
}

// CheckComposeProjects runs every CO rule on each loaded file set, and
// applies `# seaworthy ignore=` comments and the config policy of the file
// each finding points at. It records the compose files' lines in sources.
func CheckComposeProjects(projects []*compose.Project, opts Options, sources Sources) []analysis.Finding {
	today := opts.today()
	type result struct {
		project  *compose.Project
		findings []analysis.Finding
	}
	results := make([]result, len(projects))
	for i, p := range projects {
		results[i] = result{project: p, findings: RunRules(p, p.Files[0].Path, opts.Rules.ForInput(p.InputKind()), today)}
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
	return out
}
