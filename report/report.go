// Package report renders one finding model into every output format:
// ruff-like text, the versioned JSON schema, SARIF 2.1.0, GitHub Actions
// workflow commands, GitLab Code Quality JSON, JUnit XML and Checkstyle
// XML.
package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
)

// Result is everything a renderer needs about one run.
type Result struct {
	// Findings are already sorted by file, line, column and rule.
	Findings []analysis.Finding
	// Files is the number of files (or images) checked: the JSON
	// summary's "files", and the text summary's when Read is zero.
	Files int
	// Read counts what the run read, by kind, for the summaries.
	Read Read
	// Hidden counts the findings of the run that Options.MinSeverity
	// leaves out, by severity; Write fills it in.
	Hidden Counts
	// Purposes say what the checked Dockerfiles and compose files are for
	// (sorted by file); empty for images.
	Purposes []analysis.FilePurpose
	// Sources maps a file path, as it appears in Finding.File, to its lines
	// without terminators (Sources[f][0] is line 1). A file may be missing;
	// its findings are then rendered without an excerpt.
	Sources map[string][]string
	// Rules supplies rule metadata (SARIF rule descriptors). When nil, or
	// when it lacks a rule, Finding.Rule is used.
	Rules *analysis.Registry
	// Tool names the producer.
	Tool Tool
	// Measurements is optional extra data (verify); it is emitted in JSON as
	// "measurements" when non-nil.
	Measurements any
	// Builds say how each checked Dockerfile is built (check); emitted in
	// JSON as "builds" when there is one.
	Builds []Build
}

// Build is how a checked Dockerfile is built: its context and why, the
// ignore file in force and the Node package the AP rules read.
type Build struct {
	Dockerfile string `json:"dockerfile"`
	Context    string `json:"context"`
	// ContextSource is the kind of evidence: compose, ci, makefile,
	// package.json, script, platform, devcontainer (ContextFrom is then
	// its FILE:LINE), copied-paths, dockerfile-dir or given.
	ContextSource string `json:"context_source"`
	ContextFrom   string `json:"context_from,omitempty"`
	Dockerignore  string `json:"dockerignore,omitempty"`
	Package       string `json:"package,omitempty"`
	PackageSource string `json:"package_source,omitempty"`
	// Target is the stage the project builds ("" for the last);
	// TargetOnly says it is the only one checked as the image (every
	// build command of the project builds it).
	Target     string `json:"target,omitempty"`
	TargetOnly bool   `json:"target_only,omitempty"`
	// NamedContexts are the named build contexts the project's build
	// commands pass (`--build-context api=./packages/api`,
	// build-push-action's `build-contexts:`), "name=dir" or
	// "name=image", sorted by name.
	NamedContexts []string `json:"named_contexts,omitempty"`
}

// Tool identifies the program that produced the findings.
type Tool struct {
	Name, Version string
	// InformationURI is the project's home, e.g.
	// "https://github.com/seaworthy-dev/seaworthy"; rule help links are
	// built from it.
	InformationURI string
}

// Read counts the inputs of a run by kind. A .dockerignore or package
// shared by several builds counts once.
type Read struct {
	Dockerfiles  int `json:"dockerfiles"`
	IgnoreFiles  int `json:"ignore_files"`
	ComposeFiles int `json:"compose_files"`
	// Packages are package.json files; Sources their JavaScript and
	// TypeScript source files that the AP rules read.
	Packages int `json:"packages"`
	Sources  int `json:"source_files"`
	// Images are the images verify ran.
	Images int `json:"images"`
}

// Options tune the output. Color and Quiet are for the text format;
// MinSeverity applies to every format.
type Options struct {
	// Color adds ANSI SGR escapes. Without it the output has none.
	Color bool
	// Quiet prints only the one-line location and message of each finding.
	Quiet bool
	// MinSeverity leaves findings below it out of the output (0: show
	// every finding); the summaries count what it hid. It does not change
	// which findings fail the run.
	MinSeverity analysis.Severity
}

// Formats lists every format Write accepts, the default first.
var Formats = []string{"text", "json", "sarif", "github", "gitlab", "junit", "checkstyle"}

// Write renders res in format to w. An unknown format is an error and
// writes nothing.
func Write(w io.Writer, format string, res *Result, opts Options) error {
	if res == nil {
		res = &Result{}
	}
	var render func(*bytes.Buffer, *Result, Options) error
	switch format {
	case "text":
		render = writeText
	case "json":
		render = writeJSON
	case "sarif":
		render = writeSARIF
	case "github":
		render = writeGitHub
	case "gitlab":
		render = writeGitLab
	case "junit":
		render = writeJUnit
	case "checkstyle":
		render = writeCheckstyle
	default:
		return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
	}
	if opts.MinSeverity > analysis.Info {
		res = res.hide(opts.MinSeverity)
	}
	var buf bytes.Buffer
	if err := render(&buf, res, opts); err != nil {
		return fmt.Errorf("rendering %s report: %w", format, err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// purposeOf returns the purpose of file, if it is one of res.Purposes.
func (res *Result) purposeOf(file string) (analysis.FilePurpose, bool) {
	for _, p := range res.Purposes {
		if p.File == file {
			return p, true
		}
	}
	return analysis.FilePurpose{}, false
}

// unknownRule stands in for a finding whose Rule is nil, so no renderer
// ever dereferences nil.
var unknownRule = &analysis.Rule{ID: "UNKNOWN", Name: "unknown", Title: "unknown rule", Severity: analysis.Warning}

// rule returns the finding's rule, preferring the registry's copy.
func (res *Result) rule(f *analysis.Finding) *analysis.Rule {
	if f.Rule == nil {
		return unknownRule
	}
	if res.Rules != nil {
		if r, ok := res.Rules.Lookup(f.Rule.ID); ok && r.ID == f.Rule.ID {
			return r
		}
	}
	return f.Rule
}

// severity is the finding's effective severity: its own, else its rule's.
func severity(f *analysis.Finding) analysis.Severity {
	if f.Severity >= analysis.Info && f.Severity <= analysis.Error {
		return f.Severity
	}
	if f.Rule != nil && f.Rule.Severity >= analysis.Info && f.Rule.Severity <= analysis.Error {
		return f.Rule.Severity
	}
	return analysis.Warning
}

// ruleID is the finding's rule ID, safe for a nil Rule.
func ruleID(f *analysis.Finding) string {
	if f.Rule == nil {
		return unknownRule.ID
	}
	return f.Rule.ID
}

// line returns line n (1-based) of file, if known.
func (res *Result) line(file string, n int) (string, bool) {
	lines, ok := res.Sources[file]
	if !ok || n < 1 || n > len(lines) {
		return "", false
	}
	return strings.TrimSuffix(lines[n-1], "\r"), true
}

// span is a finding's position normalised for output: 1-based lines and
// byte columns, EndCol exclusive. EndCol is 0 when the range runs to the end
// of a line whose text is unknown.
type span struct {
	StartLine, StartCol, EndLine, EndCol int
}

// resolve normalises r against the file's text; ok is false for findings
// without a position.
func (res *Result) resolve(file string, r analysis.Range) (s span, ok bool) {
	if r.Start.Line < 1 {
		return span{}, false
	}
	s.StartLine = r.Start.Line
	s.StartCol = max(r.Start.Col, 1)
	s.EndLine = r.End.Line
	if s.EndLine < s.StartLine {
		s.EndLine = s.StartLine
	}
	s.EndCol = r.End.Col
	text, known := res.line(file, s.EndLine)
	switch {
	case known && (s.EndCol < 1 || s.EndCol > len(text)+1):
		s.EndCol = len(text) + 1
	case !known && s.EndCol < 1:
		s.EndCol = 0
	}
	if s.EndLine == s.StartLine && s.EndCol != 0 && s.EndCol < s.StartCol {
		s.EndCol = s.StartCol
	}
	return s, true
}

// hide returns a copy of res without the findings below min, counted in
// Hidden.
func (res *Result) hide(min analysis.Severity) *Result {
	out := *res
	out.Findings = make([]analysis.Finding, 0, len(res.Findings))
	var hidden []analysis.Finding
	for _, f := range res.Findings {
		if severity(&f) >= min {
			out.Findings = append(out.Findings, f)
		} else {
			hidden = append(hidden, f)
		}
	}
	h := tally(hidden)
	out.Hidden.Error += h.Error
	out.Hidden.Warning += h.Warning
	out.Hidden.Info += h.Info
	return &out
}

// Counts are findings by severity, and how many have a fix.
type Counts struct {
	Error, Warning, Info, Fixable int
}

// Total is the number of findings counted.
func (c Counts) Total() int { return c.Error + c.Warning + c.Info }

func tally(findings []analysis.Finding) Counts {
	var c Counts
	for i := range findings {
		f := &findings[i]
		switch severity(f) {
		case analysis.Error:
			c.Error++
		case analysis.Warning:
			c.Warning++
		default:
			c.Info++
		}
		if f.Fix != nil {
			c.Fixable++
		}
	}
	return c
}
