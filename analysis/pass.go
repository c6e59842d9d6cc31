package analysis

import (
	"fmt"
	"time"

	"github.com/seaworthy-dev/seaworthy/source/compose"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/project"
	"github.com/seaworthy-dev/seaworthy/source/observation"
)

// Pass is what a rule sees: its inputs and a way to report findings.
type Pass struct {
	Rule *Rule
	// File is the path reported in findings.
	File string
	// Dockerfile is the parsed Dockerfile for DF rules.
	Dockerfile *dockerfile.File
	// Build is the Dockerfile's build: context, .dockerignore and Node
	// package, for DI and AP rules (Dockerfile is set too).
	Build *project.Build
	// Compose is the loaded compose file set (base file and overrides) for
	// CO rules; findings name the compose file a key is written in.
	Compose *compose.Project
	// Today is the check date (for end-of-life decisions).
	Today time.Time
	// Runtime is what `seaworthy verify` observed running an image, for RT
	// rules.
	Runtime *observation.Result

	report func(Finding)
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

// InstructionRange is the source range of a whole Dockerfile instruction.
func InstructionRange(f *dockerfile.File, in *dockerfile.Instruction) Range {
	return Range{
		Start: Pos{Line: in.StartLine, Col: 1},
		End:   Pos{Line: in.EndLine, Col: f.LineLen(in.EndLine) + 1},
	}
}

// CommandRange is the range of one shell command inside a RUN.
func CommandRange(f *dockerfile.File, c *dockerfile.ShellCommand) Range {
	end := c.EndCol
	if end <= c.Col {
		end = f.LineLen(c.EndLine) + 1
	}
	return Range{Start: Pos{Line: c.Line, Col: c.Col}, End: Pos{Line: c.EndLine, Col: end}}
}
