package analysis

import (
	"fmt"
	"time"
)

// Pass is what a rule sees besides its input: the rule, the file findings
// name by default, the check date, and a way to report findings.
type Pass struct {
	Rule *Rule
	// File is the path reported in findings.
	File string
	// Today is the check date (for end-of-life decisions).
	Today time.Time
	// Settings are what the user's configuration tells rules about the
	// project (which findings are kept is the checker's policy, not this).
	Settings Settings
	// Build is the build (a *project.Build) a Dockerfile is checked as
	// part of, with its context, .dockerignore and package.json; nil when
	// the Dockerfile is checked alone (stdin) and for other inputs.
	// Dockerfile rules read it to offer fixes that depend on files of the
	// build context (a lockfile, package.json's start script), and to judge
	// a context file a COPY names by its content (DF024: an .npmrc of
	// settings holds no token); without it they judge by names alone.
	Build Input

	report func(Finding)
}

// Settings are what the user's configuration tells rules.
type Settings struct {
	// TrustedRegistries are registries whose tags the user treats as
	// immutable (`registry.internal.example`): DF003 asks for no digest on
	// images from them.
	TrustedRegistries []string
}

// NewPass returns a pass for rule that hands findings to report.
func NewPass(rule *Rule, file string, report func(Finding)) *Pass {
	return &Pass{Rule: rule, File: file, report: report}
}

// Report records a finding; Rule, Severity and File default to the pass's.
func (p *Pass) Report(f Finding) {
	if f.Rule == nil {
		f.Rule = p.Rule
	}
	if f.Severity == 0 {
		f.Severity = f.Rule.Severity
	}
	if f.File == "" {
		f.File = p.File
	}
	p.report(f)
}

// Reportf records a finding at rng with a formatted message.
func (p *Pass) Reportf(rng Range, format string, args ...any) {
	p.Report(Finding{Range: rng, Message: fmt.Sprintf(format, args...)})
}

// Run runs rule on in through pass (pass.Rule is set to rule). A rule that
// panics is reported as an internal error finding at line 1 of pass.File
// instead of crashing the run. Run does nothing when in is not of the
// rule's input kind.
func Run(rule *Rule, pass *Pass, in Input) {
	if rule.Check == nil || in == nil || rule.Check.Input() != in.InputKind() {
		return
	}
	pass.Rule = rule
	defer func() {
		if v := recover(); v != nil {
			pass.Report(Finding{
				Range:   Range{Start: Pos{Line: 1, Col: 1}, End: Pos{Line: 1, Col: 1}},
				Message: fmt.Sprintf("internal error in rule %s: %v (please report this)", rule.ID, v),
			})
		}
	}()
	rule.Check.run(pass, in)
}
