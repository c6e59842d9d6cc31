// Package checker is seaworthy's static checking as a library. Check runs
// a whole check of paths (discovery, loading, rules, dedupe, policy) and
// Fix computes the safe fixes; the commands in internal/cli only render
// their results. Below them, CheckDockerfile, CheckBuild and CheckCompose
// check one parsed input and apply the policy: inline suppressions, config
// ignores and severity overrides; RunRules runs rules with no policy.
package checker

import (
	"sort"
	"strings"
	"time"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/config"
	"github.com/seaworthy-dev/seaworthy/facts/purpose"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// Options configure the check of one input (CheckDockerfile, CheckBuild,
// CheckCompose): the rules and the resolved policy. Check and Fix make
// them from a Request.
type Options struct {
	Rules *analysis.Registry
	// Today is the check date; zero means the current date.
	Today time.Time
	// Target is the --target stage.
	Target string
	// TargetOnly makes Target (or Targets) the only final stage (see
	// ShipsTarget).
	TargetOnly bool
	// Targets are the stages the project ships when its build commands
	// name several (project.Build.Targets).
	Targets []string
	// Config is the loaded .seaworthy.yaml for every file (may be nil);
	// Configs, when set, finds each file's own instead.
	Config *config.Config
	// Configs finds the config of each finding's file: the nearest
	// .seaworthy.yaml above it, or the one named by --config.
	Configs *config.Configs
	// Policy holds command-line ignores and severity overrides.
	Policy *config.Policy
	// Production checks every file as a production one, whatever its
	// name, folders or content say (--production).
	Production bool
	// Roots are the project roots (the directories checked): the folders
	// of a file's path below the innermost root holding it tell the file's
	// purpose, unless the file is in a git repository (then its folders
	// below the repository's root do). None holding the file: the working
	// directory.
	Roots []string
}

// parseOptions are the Dockerfile parser's options for the target.
func (o *Options) parseOptions() dockerfile.Options {
	return dockerfile.Options{Target: o.Target, Targets: o.Targets, TargetOnly: (o.Target != "" || len(o.Targets) > 0) && o.TargetOnly}
}

// forBuild sets the target of a build unless --target gave one: the
// stage the project builds, the only final stage when the project ships
// it (ShipsTarget) and it is not named for development.
func (o *Options) forBuild(b *project.Build) {
	if b == nil || o.Target != "" {
		return
	}
	if len(b.Targets) > 0 {
		// Several shipped targets: the ones not named for development.
		o.Targets = nil
		for _, t := range b.Targets {
			if !purpose.DevStageName(t) {
				o.Targets = append(o.Targets, t)
			}
		}
		o.TargetOnly = len(o.Targets) > 0 && b.ShipsTarget
		return
	}
	if b.Target == "" {
		return
	}
	o.Target = b.Target
	o.TargetOnly = b.ShipsTarget && !purpose.DevStageName(b.Target)
}

// settingsFor is what the config of a file tells rules.
func (o *Options) settingsFor(file string) analysis.Settings {
	c := o.configFor(file)
	if c == nil {
		return analysis.Settings{}
	}
	return analysis.Settings{TrustedRegistries: c.TrustedRegistries}
}

// policyFor is the policy of a file's findings: its config, then the
// command line's ignores and severity overrides.
func (o *Options) policyFor(file string) *config.Policy {
	return o.configFor(file).For(o.Rules, file, o.Policy)
}

// configFor is the config of a file: Configs's, else Config.
func (o *Options) configFor(file string) *config.Config {
	if o.Configs != nil {
		return o.Configs.For(file)
	}
	return o.Config
}

// applyPolicy applies to each finding the policy of its file.
func (o *Options) applyPolicy(findings []analysis.Finding) []analysis.Finding {
	policies := map[string]*config.Policy{}
	out := findings[:0]
	for _, f := range findings {
		p, ok := policies[f.File]
		if !ok {
			p = o.policyFor(f.File)
			policies[f.File] = p
		}
		out = append(out, p.Apply([]analysis.Finding{f})...)
	}
	return out
}

func (o *Options) today() time.Time {
	if o.Today.IsZero() {
		y, m, d := time.Now().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	return o.Today
}

// DockerfileResult is the outcome of checking one Dockerfile.
type DockerfileResult struct {
	File *dockerfile.File
	// Purpose is what the Dockerfile is for: only the rules that apply
	// to it ran.
	Purpose  analysis.FilePurpose
	Findings []analysis.Finding
	// Problems say what the rules could not read (a package's unreadable
	// sources), one message each.
	Problems []string
}

// CheckDockerfile parses src and runs on it the DF rules that apply to its
// purpose. The only error is an unknown --target; input that is no
// Dockerfile at all (empty, binary) is a DF000 finding, and File.Unusable
// says so.
func CheckDockerfile(path string, src []byte, opts Options) (*DockerfileResult, error) {
	f, err := dockerfile.Parse(path, src, opts.parseOptions())
	if err != nil {
		return nil, err
	}
	return checkDockerfile(f, nil, opts), nil
}

// checkDockerfile is CheckDockerfile of a parsed file; build is the build
// it is checked as part of (nil when none), which tells its purpose. The
// rules read the files of its context through f.Context (see
// facts/stage.FileAt).
func checkDockerfile(f *dockerfile.File, build analysis.Input, opts Options) *DockerfileResult {
	purpose := opts.dockerfilePurpose(f.Path, f, build)
	findings := runRules(f, f.Path, forPurpose(opts.Rules.ForInput(f.InputKind()), purpose.Purpose), opts.today(), opts.settingsFor(f.Path))
	findings = DockerfileSuppressions(f, opts.Rules).Filter(findings)
	findings = opts.applyPolicy(findings)
	Sort(findings)
	return &DockerfileResult{File: f, Purpose: purpose, Findings: findings}
}

// RunRules runs rules on in with no policy applied, skipping rules of
// another input kind; findings name file unless the rule says otherwise. A rule that
// panics is reported as an internal error finding instead of crashing the
// run.
func RunRules(in analysis.Input, file string, rules []*analysis.Rule, today time.Time) []analysis.Finding {
	return runRules(in, file, rules, today, analysis.Settings{})
}

// runRules is RunRules with the settings the file's config gives rules.
func runRules(in analysis.Input, file string, rules []*analysis.Rule, today time.Time, settings analysis.Settings) []analysis.Finding {
	findings := make([]analysis.Finding, 0, 8) // most inputs have a few
	report := func(fd analysis.Finding) { findings = append(findings, fd) }
	// One pass serves the rules in turn: only its Rule changes.
	pass := analysis.NewPass(nil, file, report)
	pass.Today = today
	pass.Settings = settings
	for _, r := range rules {
		analysis.Run(r, pass, in)
	}
	return findings
}

// DockerfileSuppressions collects `# seaworthy ignore=` (next instruction),
// `# seaworthy global ignore=` and `# hadolint ignore=` comments.
func DockerfileSuppressions(f *dockerfile.File, reg *analysis.Registry) *config.Suppressions {
	s := config.NewSuppressions()
	for _, c := range f.Comments {
		d, ok := config.ParseDirective(reg, c.Line, c.Text)
		if !ok {
			continue
		}
		if d.Global {
			s.AddGlobal(d.Rules)
			continue
		}
		if in := nextInstruction(f, c.Line); in != nil {
			s.AddLines(in.StartLine, in.EndLine, d.Rules)
		}
	}
	return s
}

// nextInstruction returns the instruction that follows the comment on line,
// with only comments or blank lines in between.
func nextInstruction(f *dockerfile.File, line int) *dockerfile.Instruction {
	for _, in := range f.Instructions {
		if in.StartLine <= line {
			continue
		}
		for l := line + 1; l < in.StartLine; l++ {
			t := strings.TrimSpace(f.Line(l))
			if t != "" && !strings.HasPrefix(t, "#") {
				return nil
			}
		}
		return in
	}
	return nil
}

// Sort orders findings by file, position and rule.
func Sort(findings []analysis.Finding) {
	sort.SliceStable(findings, func(i, j int) bool {
		a, b := findings[i], findings[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Range.Start.Line != b.Range.Start.Line {
			return a.Range.Start.Line < b.Range.Start.Line
		}
		if a.Range.Start.Col != b.Range.Start.Col {
			return a.Range.Start.Col < b.Range.Start.Col
		}
		return a.Rule.ID < b.Rule.ID
	})
}

// Dedupe drops repeated findings (same rule, file, range and message).
// findings must be sorted. Check first merges the findings that several
// builds report in a file they share into one naming the Dockerfiles (see
// mergeShared), and those that several compose file sets report at one
// place into one naming the sets (see mergeSets); what Dedupe drops after
// that are exact repeats.
func Dedupe(findings []analysis.Finding) []analysis.Finding {
	type key struct {
		id, file, msg string
		rng           analysis.Range
	}
	seen := map[key]bool{}
	out := findings[:0]
	for _, f := range findings {
		k := key{f.Rule.ID, f.File, f.Message, f.Range}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, f)
	}
	return out
}
