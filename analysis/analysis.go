// Package analysis defines the rule framework shared by every check family:
// a Rule is one declarative value (ID, name, severity, doc, check function),
// rules report Findings through a narrow Pass, and a Registry holds them all.
package analysis

import (
	"fmt"
	"strings"
)

// Severity is how serious a finding is. Whether it fails a run is a separate
// policy (--fail-on).
type Severity int

const (
	Info Severity = iota + 1
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "none"
}

// ParseSeverity accepts "error", "warning", "info" (and "warn").
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error":
		return Error, nil
	case "warning", "warn":
		return Warning, nil
	case "info":
		return Info, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// Doc is a rule's documentation; its doc page is generated from it.
type Doc struct {
	// Why explains the problem (markdown paragraphs).
	Why string
	// Bad is an example that fires, Good the corrected version.
	Bad, Good string
	// Fix says how to fix it by hand (markdown).
	Fix string
	// BadFile and GoodFile name the kind of file of the examples
	// ("Dockerfile" when empty).
	ExampleFile string
	// AppliesTo says why the rule runs on the files it runs on (see
	// Rule.Purposes): why it matters in development and test files too,
	// or why it is only about what is deployed (one or two sentences).
	AppliesTo string
}

// Rule is one check. Each rule lives in its own file with its metadata next
// to its check function.
type Rule struct {
	ID       string // stable, e.g. "DF013"
	Name     string // stable kebab-case name of the pattern, e.g. "shell-form-command"
	Title    string // short lowercase problem statement
	Severity Severity
	// Fixable says the rule offers a mechanical fix that is safe to apply
	// with `seaworthy fix`.
	Fixable bool
	// Purposes are the purposes of the files the rule runs on (see
	// Purpose); none means every file. Rules about what is deployed
	// (image size, health checks, signals, users, restart policies) list
	// Deployed; rules about what breaks or leaks wherever a file is used
	// (syntax, secrets in layers, a failing build, host escapes) list
	// none. The checker applies it: a rule never asks for its file's
	// purpose.
	Purposes []Purpose
	Doc      Doc
	// Check reads one input and reports findings through pass.Report;
	// make it with the generic Check function, whose type parameter is
	// the input kind the rule reads.
	Check Checker
}

// Family is the two-letter ID prefix: DF, DI, CO, AP, IM or RT.
func (r *Rule) Family() string {
	if len(r.ID) < 2 {
		return ""
	}
	return r.ID[:2]
}

// OnImage reports a rule that judges a built image (IM: its config and
// layers, RT: a container running it) rather than files, which have
// purposes and inline suppressions.
func (r *Rule) OnImage() bool {
	f := r.Family()
	return f == "RT" || f == "IM"
}

// DocsPath is the repository-relative path of the rule's generated doc page.
func (r *Rule) DocsPath() string {
	return "docs/rules/" + r.ID + ".md"
}

// Pos is a 1-based line and column (columns count bytes).
type Pos struct {
	Line, Col int
}

// Range is a source span; End is inclusive of the line, exclusive of the column.
type Range struct {
	Start, End Pos
}

// LineRange is a range covering whole lines from..to; column 1 to end of line
// is filled in by renderers that know the text.
func LineRange(from, to int) Range {
	return Range{Start: Pos{Line: from, Col: 1}, End: Pos{Line: to}}
}

// Edit replaces the text between Start and End (End column exclusive) in
// the finding's file with NewText.
type Edit struct {
	Start, End Pos
	NewText    string
}

// Fix is a safe, mechanical change that resolves a finding.
type Fix struct {
	Title string // imperative: "Replace `npm install` with `npm ci`"
	Edits []Edit
	// File is the file the edits apply to when it is not the finding's
	// (a finding about a Dockerfile fixed in its .dockerignore). A fix of
	// a file that does not exist edits an empty text: it creates the file.
	File string
}

// FixFile is the file a finding's fix edits: Fix.File, else the
// finding's file.
func (f Finding) FixFile() string {
	if f.Fix != nil && f.Fix.File != "" {
		return f.Fix.File
	}
	return f.File
}

// Finding is one reported problem.
type Finding struct {
	Rule     *Rule
	Severity Severity // defaults to Rule.Severity; config may override
	File     string   // path as the user gave it
	Range    Range    // zero for findings without a source position
	Message  string
	Help     string // one-line suggestion
	Fix      *Fix
	// Layer and Path locate an image finding (audit): the digest of the
	// layer it is about and the file's path in the image.
	Layer, Path string
}
