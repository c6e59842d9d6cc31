package report

import (
	"bytes"
	"encoding/json"
)

// jsonSchemaVersion is the "schema" field of the JSON format; bump it on any
// incompatible change.
const jsonSchemaVersion = 1

type jsonReport struct {
	Schema   int           `json:"schema"`
	Tool     jsonTool      `json:"tool"`
	Findings []jsonFinding `json:"findings"`
	Summary  jsonSummary   `json:"summary"`
	// Files says what each checked Dockerfile and compose file is for;
	// absent for images.
	Files        []jsonFile `json:"files,omitempty"`
	Measurements any        `json:"measurements,omitempty"` // set only when non-nil, even if empty
	// Builds say how each checked Dockerfile is built; absent for images
	// and stdin.
	Builds []Build `json:"builds,omitempty"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// jsonFinding is one finding. Lines and columns are 1-based; columns count
// bytes and end_column is exclusive (0 when the range runs to the end of a
// line whose text was not available). Findings without a source position
// (image, runtime) omit all four.
type jsonFinding struct {
	Rule      string   `json:"rule"`
	Name      string   `json:"name"`
	Severity  string   `json:"severity"`
	Family    string   `json:"family"`
	File      string   `json:"file"`
	Line      *int     `json:"line,omitempty"`
	Column    *int     `json:"column,omitempty"`
	EndLine   *int     `json:"end_line,omitempty"`
	EndColumn *int     `json:"end_column,omitempty"`
	Message   string   `json:"message"`
	Help      string   `json:"help,omitempty"`
	Fixable   bool     `json:"fixable"`
	Fix       *jsonFix `json:"fix,omitempty"`
	// Layer and Path locate an image finding: the layer's digest and the
	// file in the image.
	Layer string `json:"layer,omitempty"`
	Path  string `json:"path,omitempty"`
}

// jsonFile is one checked Dockerfile or compose file (the base file of a
// set) and its purpose: production, development, test or example.
type jsonFile struct {
	File    string `json:"file"`
	Purpose string `json:"purpose"`
	// Reason says why seaworthy thinks so ("named Dockerfile.dev", "in
	// .devcontainer/"); absent for a production file nothing marks.
	Reason string `json:"purpose_reason,omitempty"`
}

type jsonFix struct {
	Title string `json:"title"`
}

// jsonSummary counts the findings shown by severity; "files" is the
// number of Dockerfiles and compose files checked (or images verified),
// and the counts of Read say what else was read. "hidden" counts the
// findings --min-severity left out.
type jsonSummary struct {
	Error   int `json:"error"`
	Warning int `json:"warning"`
	Info    int `json:"info"`
	Files   int `json:"files"`
	Read
	Hidden jsonHidden `json:"hidden"`
}

type jsonHidden struct {
	Error   int `json:"error"`
	Warning int `json:"warning"`
	Info    int `json:"info"`
}

func writeJSON(b *bytes.Buffer, res *Result, _ Options) error {
	name := res.Tool.Name
	if name == "" {
		name = "seaworthy"
	}
	out := jsonReport{
		Schema:   jsonSchemaVersion,
		Tool:     jsonTool{Name: name, Version: res.Tool.Version},
		Findings: make([]jsonFinding, 0, len(res.Findings)),
	}
	if res.Measurements != nil {
		out.Measurements = res.Measurements
	}
	out.Builds = res.Builds
	for i := range res.Findings {
		f := &res.Findings[i]
		rule := res.rule(f)
		jf := jsonFinding{
			Rule:     rule.ID,
			Name:     rule.Name,
			Severity: severity(f).String(),
			Family:   rule.Family(),
			File:     f.File,
			Message:  f.Message,
			Help:     f.Help,
			Fixable:  f.Fix != nil,
			Layer:    f.Layer,
			Path:     f.Path,
		}
		if s, ok := res.resolve(f.File, f.Range); ok {
			jf.Line, jf.Column, jf.EndLine, jf.EndColumn = &s.StartLine, &s.StartCol, &s.EndLine, &s.EndCol
		}
		if f.Fix != nil {
			jf.Fix = &jsonFix{Title: f.Fix.Title}
		}
		out.Findings = append(out.Findings, jf)
	}
	for _, fp := range res.Purposes {
		out.Files = append(out.Files, jsonFile{File: fp.File, Purpose: fp.Purpose.String(), Reason: fp.Reason})
	}
	c := tally(res.Findings)
	out.Summary = jsonSummary{
		Error: c.Error, Warning: c.Warning, Info: c.Info, Files: res.Files, Read: res.Read,
		Hidden: jsonHidden{Error: res.Hidden.Error, Warning: res.Hidden.Warning, Info: res.Hidden.Info},
	}

	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
