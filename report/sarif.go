package report

import (
	"bytes"
	"encoding/json"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/seaworthy-dev/seaworthy/analysis"
)

const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
)

// SARIF 2.1.0 object model: only what seaworthy emits.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool sarifTool `json:"tool"`
	// Results is always present: an empty array means "ran, found nothing".
	Results []sarifResult `json:"results"`
	// ColumnKind says how columns count; byte columns are converted to UTF-16
	// code units wherever the line's text is known.
	ColumnKind string `json:"columnKind,omitempty"`
	// Artifacts are the checked Dockerfiles and compose files, each with
	// its purpose as a property.
	Artifacts []sarifArtifact `json:"artifacts,omitempty"`
}

type sarifArtifact struct {
	Location   sarifArtifactLocation `json:"location"`
	Properties *sarifPurpose         `json:"properties,omitempty"`
}

// sarifPurpose is the property bag that says what a file is for:
// production, development, test or example, and why.
type sarifPurpose struct {
	Purpose string `json:"purpose"`
	Reason  string `json:"purposeReason,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []sarifRule `json:"rules,omitempty"`
}

type sarifRule struct {
	ID                   string              `json:"id"`
	Name                 string              `json:"name,omitempty"`
	ShortDescription     *sarifMessage       `json:"shortDescription,omitempty"`
	FullDescription      *sarifMessage       `json:"fullDescription,omitempty"`
	HelpURI              string              `json:"helpUri,omitempty"`
	Help                 *sarifMultiformat   `json:"help,omitempty"`
	DefaultConfiguration *sarifConfiguration `json:"defaultConfiguration,omitempty"`
	Properties           *sarifProperties    `json:"properties,omitempty"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifMultiformat struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifConfiguration struct {
	Level string `json:"level,omitempty"`
}

type sarifProperties struct {
	Tags []string `json:"tags,omitempty"`
}

type sarifResult struct {
	RuleID string `json:"ruleId"`
	// RuleIndex is always written: 0 is a valid index.
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level,omitempty"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
	Fixes     []sarifFix      `json:"fixes,omitempty"`
	// Properties hold the purpose of the finding's file when it is a
	// checked Dockerfile or compose file.
	Properties *sarifPurpose `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
	// ContextRegion holds the whole lines around Region, so viewers can
	// show the code without the repository.
	ContextRegion *sarifRegion `json:"contextRegion,omitempty"`
}

type sarifArtifactLocation struct {
	URI string `json:"uri,omitempty"`
}

// sarifRegion columns are 1-based; EndColumn is exclusive and, when
// omitted, means the end of EndLine.
type sarifRegion struct {
	StartLine   int                   `json:"startLine"`
	StartColumn int                   `json:"startColumn,omitempty"`
	EndLine     int                   `json:"endLine,omitempty"`
	EndColumn   int                   `json:"endColumn,omitempty"`
	Snippet     *sarifArtifactContent `json:"snippet,omitempty"`
}

type sarifFix struct {
	Description     *sarifMessage         `json:"description,omitempty"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Replacements     []sarifReplacement    `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion           `json:"deletedRegion"`
	InsertedContent *sarifArtifactContent `json:"insertedContent,omitempty"`
}

type sarifArtifactContent struct {
	Text string `json:"text"`
}

func writeSARIF(b *bytes.Buffer, res *Result, _ Options) error {
	name := res.Tool.Name
	if name == "" {
		name = "seaworthy"
	}
	base := strings.TrimRight(res.Tool.InformationURI, "/")

	// One descriptor per rule used, ordered by ID.
	used := map[string]*analysis.Rule{}
	for i := range res.Findings {
		r := res.rule(&res.Findings[i])
		used[r.ID] = r
	}
	ids := make([]string, 0, len(used))
	for id := range used {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	index := make(map[string]int, len(ids))
	rules := make([]sarifRule, 0, len(ids))
	for i, id := range ids {
		index[id] = i
		rules = append(rules, sarifRuleFor(used[id], base))
	}

	results := make([]sarifResult, 0, len(res.Findings))
	for i := range res.Findings {
		f := &res.Findings[i]
		r := res.rule(f)
		uri := artifactURI(f.File)
		sr := sarifResult{
			RuleID:    r.ID,
			RuleIndex: index[r.ID],
			Level:     sarifLevel(severity(f)),
			Message:   sarifMessage{Text: f.Message},
		}
		loc := sarifLocation{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{URI: uri}}}
		if s, ok := res.resolve(f.File, f.Range); ok {
			loc.PhysicalLocation.Region = res.sarifRegion(f.File, s)
			if lines, ok := res.lines(f.File, s.StartLine, s.EndLine); ok {
				loc.PhysicalLocation.Region.Snippet = &sarifArtifactContent{Text: snippet(lines, s)}
				loc.PhysicalLocation.ContextRegion = &sarifRegion{
					StartLine: s.StartLine,
					EndLine:   s.EndLine,
					Snippet:   &sarifArtifactContent{Text: strings.Join(lines, "\n")},
				}
			}
		}
		sr.Locations = []sarifLocation{loc}
		if fix := res.sarifFix(f, artifactURI(f.FixFile())); fix != nil {
			sr.Fixes = []sarifFix{*fix}
		}
		if fp, ok := res.purposeOf(f.File); ok {
			sr.Properties = &sarifPurpose{Purpose: fp.Purpose.String(), Reason: fp.Reason}
		}
		results = append(results, sr)
	}

	log := sarifLog{
		Schema:  sarifSchema,
		Version: sarifVersion,
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: sarifDriver{
				Name:           name,
				Version:        res.Tool.Version,
				InformationURI: res.Tool.InformationURI,
				Rules:          rules,
			}},
			Results:    results,
			ColumnKind: "utf16CodeUnits",
			Artifacts:  sarifArtifacts(res.Purposes),
		}},
	}
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

func sarifArtifacts(purposes []analysis.FilePurpose) []sarifArtifact {
	var out []sarifArtifact
	for _, fp := range purposes {
		out = append(out, sarifArtifact{
			Location:   sarifArtifactLocation{URI: artifactURI(fp.File)},
			Properties: &sarifPurpose{Purpose: fp.Purpose.String(), Reason: fp.Reason},
		})
	}
	return out
}

func sarifRuleFor(r *analysis.Rule, base string) sarifRule {
	sr := sarifRule{
		ID:                   r.ID,
		Name:                 r.Name,
		DefaultConfiguration: &sarifConfiguration{Level: sarifLevel(r.Severity)},
	}
	if r.Title != "" {
		sr.ShortDescription = &sarifMessage{Text: r.Title}
	}
	if p := firstParagraph(r.Doc.Why); p != "" {
		sr.FullDescription = &sarifMessage{Text: p}
	}
	if base != "" && r != unknownRule {
		sr.HelpURI = base + "/blob/main/" + r.DocsPath()
	}
	why, fix := strings.TrimSpace(r.Doc.Why), strings.TrimSpace(r.Doc.Fix)
	if why != "" || fix != "" {
		h := &sarifMultiformat{Text: why, Markdown: why}
		if fix != "" {
			h.Text = strings.TrimSpace(why + "\n\nHow to fix:\n" + fix)
			h.Markdown = strings.TrimSpace(why + "\n\n## How to fix\n\n" + fix)
		}
		sr.Help = h
	}
	if fam := r.Family(); fam != "" && r != unknownRule {
		sr.Properties = &sarifProperties{Tags: []string{fam}}
	}
	return sr
}

// sarifRegion converts a resolved span to a SARIF region, measuring columns
// in UTF-16 code units where the line text is known.
func (res *Result) sarifRegion(file string, s span) *sarifRegion {
	return &sarifRegion{
		StartLine:   s.StartLine,
		StartColumn: res.utf16Col(file, s.StartLine, s.StartCol),
		EndLine:     s.EndLine,
		EndColumn:   res.utf16Col(file, s.EndLine, s.EndCol),
	}
}

// lines returns lines from..to of file when all of them are known.
func (res *Result) lines(file string, from, to int) ([]string, bool) {
	var out []string
	for n := from; n <= to; n++ {
		text, ok := res.line(file, n)
		if !ok {
			return nil, false
		}
		out = append(out, text)
	}
	return out, true
}

// snippet is the text s covers in lines (lines[0] is line s.StartLine).
func snippet(lines []string, s span) string {
	last := len(lines) - 1
	lines = slices.Clone(lines)
	lines[last] = lines[last][:min(max(s.EndCol-1, 0), len(lines[last]))]
	lines[0] = lines[0][min(s.StartCol-1, len(lines[0])):]
	return strings.Join(lines, "\n")
}

// sarifFix converts a finding's fix into a SARIF fix, or nil when it has no
// usable edit.
func (res *Result) sarifFix(f *analysis.Finding, uri string) *sarifFix {
	if f.Fix == nil {
		return nil
	}
	var reps []sarifReplacement
	for _, e := range f.Fix.Edits {
		if e.Start.Line < 1 || e.End.Line < e.Start.Line {
			continue
		}
		// Edit columns follow analysis.ApplyEdits: below 1 is the line
		// start, past the end is the line end.
		startCol := res.clampCol(f.FixFile(), e.Start.Line, e.Start.Col)
		endCol := res.clampCol(f.FixFile(), e.End.Line, e.End.Col)
		if e.End.Line == e.Start.Line && endCol < startCol {
			continue
		}
		rep := sarifReplacement{DeletedRegion: sarifRegion{
			StartLine:   e.Start.Line,
			StartColumn: res.utf16Col(f.FixFile(), e.Start.Line, startCol),
			EndLine:     e.End.Line,
			EndColumn:   res.utf16Col(f.FixFile(), e.End.Line, endCol),
		}}
		if e.NewText != "" {
			rep.InsertedContent = &sarifArtifactContent{Text: e.NewText}
		}
		reps = append(reps, rep)
	}
	if len(reps) == 0 {
		return nil
	}
	fix := &sarifFix{ArtifactChanges: []sarifArtifactChange{{
		ArtifactLocation: sarifArtifactLocation{URI: uri},
		Replacements:     reps,
	}}}
	if f.Fix.Title != "" {
		fix.Description = &sarifMessage{Text: f.Fix.Title}
	}
	return fix
}

// clampCol applies ApplyEdits' column rules to an edit position.
func (res *Result) clampCol(file string, line, col int) int {
	col = max(col, 1)
	if text, ok := res.line(file, line); ok && col > len(text)+1 {
		col = len(text) + 1
	}
	return col
}

// utf16Col converts a 1-based byte column to a 1-based UTF-16 column when
// the line's text is known; otherwise it returns col unchanged (identical
// for ASCII).
func (res *Result) utf16Col(file string, line, col int) int {
	text, ok := res.line(file, line)
	if !ok || col < 1 {
		return col
	}
	prefix := text[:min(col-1, len(text))]
	n := 0
	for len(prefix) > 0 {
		r, size := utf8.DecodeRuneInString(prefix)
		if l := utf16.RuneLen(r); l > 0 {
			n += l
		} else {
			n++
		}
		prefix = prefix[size:]
	}
	return n + 1
}

func sarifLevel(s analysis.Severity) string {
	switch s {
	case analysis.Error:
		return "error"
	case analysis.Warning:
		return "warning"
	}
	return "note"
}

// artifactURI turns a path as the user gave it into a relative URI
// reference: forward slashes, no leading "./", each segment percent-encoded.
func artifactURI(file string) string {
	p := filepath.ToSlash(file)
	for strings.HasPrefix(p, "./") {
		p = p[2:]
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

var blankLine = regexp.MustCompile(`\n[ \t]*\n`)

// firstParagraph returns the first markdown paragraph of s with its line
// breaks joined into spaces.
func firstParagraph(s string) string {
	p := blankLine.Split(strings.TrimSpace(s), 2)[0]
	return strings.Join(strings.Fields(p), " ")
}
