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
// config policy of the file each finding points at. A problem that several
// sets report at one place (a key in a file they share or extend) is
// reported once, naming the sets (see mergeSets); its fix is that of the
// set that holds the file. It records the compose files' lines (the files
// extended too) in sources, and returns the purpose of each base file, in
// order: a file that is the base of several sets (its own, and a run that
// merges another file onto it) has the purpose of the first.
func CheckComposeProjects(projects []*compose.Project, opts Options, sources Sources) ([]analysis.Finding, []analysis.FilePurpose) {
	today := opts.today()
	findings := make([][]analysis.Finding, len(projects))
	var purposes []analysis.FilePurpose
	seenBase := map[string]bool{}
	for i, p := range projects {
		fp := opts.composePurpose(p)
		if !seenBase[fp.File] {
			seenBase[fp.File] = true
			purposes = append(purposes, fp)
		}
		rules := forPurpose(opts.Rules.ForInput(p.InputKind()), fp.Purpose)
		findings[i] = RunRules(p, p.Files[0].Path, rules, today)
	}
	supp := map[string]*config.Suppressions{}
	for _, p := range projects {
		for _, f := range p.Files {
			sources[f.Path] = f.Lines
		}
	}
	// An extended file is read from disk; the lines of a set that holds
	// it (an editor's unsaved text) come first.
	for _, p := range projects {
		for _, f := range p.Extended {
			if _, ok := sources[f.Path]; !ok {
				sources[f.Path] = f.Lines
			}
		}
	}
	for i, p := range projects {
		kept := findings[i][:0]
		for _, f := range findings[i] {
			s, ok := supp[f.File]
			if !ok {
				s = config.CommentSuppressions(opts.Rules, sources.Lines(f.File))
				supp[f.File] = s
			}
			if s.Suppressed(f) {
				continue
			}
			if f.Fix != nil && p.Extends(f.FixFile()) {
				// A set fixes its own files: a file it extends is
				// fixed by the set that holds it, whose re-check
				// after a fix sees the fixed text.
				f.Fix = nil
			}
			kept = append(kept, f)
		}
		findings[i] = kept
	}
	out := opts.applyPolicy(mergeSets(projects, findings))
	Sort(out)
	return out, purposes
}

// mergeSets gathers the sets' findings, reporting once a problem that
// several sets report at one place (see mergeRepeats): a key in a file
// that other sets extend or include, as refly's docker-compose.base.yml
// is extended by its middleware and self-deploy stacks, is one finding
// naming the sets' base files: "… (for docker-compose.base.yml,
// docker-compose.middleware.yml)". The message is that of a set whose own
// files hold the place (naming the service as that file does), else the
// first set's. Sets that share a base file count once.
func mergeSets(projects []*compose.Project, findings [][]analysis.Finding) []analysis.Finding {
	sources := make([]findingSource, len(projects))
	for i, p := range projects {
		sources[i] = findingSource{
			name:     p.Files[0].Path,
			findings: findings[i],
			merges:   func(analysis.Finding) bool { return true },
			own:      func(f analysis.Finding) bool { return !p.Extends(f.File) },
		}
	}
	return mergeRepeats(sources)
}
