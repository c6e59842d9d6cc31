package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/seaworthy-dev/seaworthy/analysis"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Rules used by the fixture; real analysis.Rule values with docs, as the
// registry would hold them.
var (
	ruleAptLists = &analysis.Rule{
		ID:       "DF026",
		Name:     "apt-lists-kept",
		Title:    "apt-get package lists are left in the image",
		Severity: analysis.Warning,
		Fixable:  true,
		Doc: analysis.Doc{
			Why: "`apt-get update` downloads package lists into /var/lib/apt/lists.\n" +
				"Left in the layer they add megabytes to every image.\n\n" +
				"Removing them in a later RUN does not help: the earlier layer keeps them.",
			Bad:  "RUN apt-get update && apt-get install -y curl",
			Good: "RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*",
			Fix:  "Append `&& rm -rf /var/lib/apt/lists/*` to the same RUN.",
		},
		Check: analysis.Check(func(*analysis.Pass, *testInput) {}),
	}
	ruleShellForm = &analysis.Rule{
		ID:       "DF013",
		Name:     "shell-form-command",
		Title:    "CMD or ENTRYPOINT uses shell form",
		Severity: analysis.Error,
		Fixable:  true,
		Doc: analysis.Doc{
			Why:  "In shell form the process runs under `/bin/sh -c`, which does not forward SIGTERM to node.",
			Bad:  "CMD node server.js",
			Good: `CMD ["node", "server.js"]`,
			Fix:  "Write the command in exec form, as a JSON array.",
		},
		Check: analysis.Check(func(*analysis.Pass, *testInput) {}),
	}
	ruleHealthcheck = &analysis.Rule{
		ID:       "CO004",
		Name:     "missing-healthcheck",
		Title:    "service has no healthcheck",
		Severity: analysis.Warning,
		Doc: analysis.Doc{
			Why:         "Without a healthcheck, `depends_on: condition: service_healthy` cannot work.",
			Bad:         "services:\n  web:\n    image: app\n",
			Good:        "services:\n  web:\n    image: app\n    healthcheck:\n      test: [\"CMD\", \"node\", \"healthcheck.js\"]\n",
			Fix:         "Add a `healthcheck:` to the service.",
			ExampleFile: "compose.yaml",
		},
		Check: analysis.Check(func(*analysis.Pass, *testInput) {}),
	}
	ruleRoot = &analysis.Rule{
		ID:       "IM003",
		Name:     "runs-as-root",
		Title:    "image runs as root",
		Severity: analysis.Warning,
		Doc: analysis.Doc{
			Why:  "A process running as root can modify the whole filesystem.",
			Bad:  "FROM node:22\nCMD [\"node\", \"server.js\"]",
			Good: "FROM node:22\nUSER node\nCMD [\"node\", \"server.js\"]",
			Fix:  "Add `USER node` before CMD.",
		},
		Check: analysis.Check(func(*analysis.Pass, *testInput) {}),
	}
)

var dockerfile = []string{
	"FROM node:22-bookworm-slim",
	"WORKDIR /app",
	"COPY . .",
	"RUN\tapt-get update && \\",
	"    apt-get install -y curl",
	`CMD node server.js --greeting "¡hola!"`,
}

// fixture is a result with an error with a fix, a warning with help over
// several lines (with a tab), an info without a source excerpt (its file is
// not in Sources, and its severity is overridden) and a warning without a
// position. It also carries characters each format must escape.
// testInput is an input kind for rules that never run.
type testInput struct{}

func (*testInput) InputKind() string { return "test" }

func fixture() *Result {
	return &Result{
		Findings: []analysis.Finding{
			{
				Rule:     ruleAptLists,
				Severity: analysis.Warning,
				File:     "Dockerfile",
				Range:    analysis.Range{Start: analysis.Pos{Line: 4, Col: 5}, End: analysis.Pos{Line: 5, Col: 28}},
				Message:  `RUN installs "curl" with apt-get but keeps /var/lib/apt/lists`,
				Help:     "append `&& rm -rf /var/lib/apt/lists/*` to this RUN",
			},
			{
				Rule:     ruleShellForm,
				Severity: analysis.Error,
				File:     "Dockerfile",
				Range:    analysis.Range{Start: analysis.Pos{Line: 6, Col: 1}, End: analysis.Pos{Line: 6}},
				Message:  `CMD uses shell form: "node" runs under /bin/sh -c, so it never sees SIGTERM`,
				Fix: &analysis.Fix{
					Title: "Rewrite CMD in exec form",
					Edits: []analysis.Edit{{
						Start:   analysis.Pos{Line: 6, Col: 5},
						End:     analysis.Pos{Line: 6, Col: 999},
						NewText: `["node", "server.js", "--greeting", "¡hola!"]`,
					}},
				},
			},
			{
				Rule:     ruleHealthcheck,
				Severity: analysis.Info,
				File:     "compose.yaml",
				Range:    analysis.Range{Start: analysis.Pos{Line: 3, Col: 3}, End: analysis.Pos{Line: 3, Col: 7}},
				Message:  `service "web" has no healthcheck, so <depends_on> & restarts can't see 100% of failures`,
			},
			{
				Rule:     ruleRoot,
				Severity: analysis.Warning,
				File:     "registry:example.com/app:1.0",
				Message:  "image config has no USER: the app runs as root (uid 0)",
				Help:     "add `USER node` before CMD",
			},
		},
		Files:   3,
		Sources: map[string][]string{"Dockerfile": dockerfile},
		Rules:   analysis.NewRegistry(ruleAptLists, ruleShellForm, ruleHealthcheck, ruleRoot),
		Tool:    Tool{Name: "seaworthy", Version: "1.2.3", InformationURI: "https://github.com/seaworthy-dev/seaworthy"},
	}
}

func emptyResult() *Result {
	return &Result{
		Files: 2,
		Rules: analysis.NewRegistry(ruleAptLists, ruleShellForm),
		Tool:  Tool{Name: "seaworthy", Version: "1.2.3", InformationURI: "https://github.com/seaworthy-dev/seaworthy"},
	}
}

func render(t *testing.T, format string, res *Result, opts Options) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, format, res, opts); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	type tc struct {
		name   string
		format string
		res    func() *Result
		opts   Options
	}
	var cases []tc
	for _, format := range Formats {
		cases = append(cases,
			tc{format, format, fixture, Options{}},
			tc{"empty_" + format, format, emptyResult, Options{}})
	}
	cases = append(cases,
		tc{"text_color", "text", fixture, Options{Color: true}},
		tc{"text_quiet", "text", fixture, Options{Quiet: true}},
	)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := render(t, c.format, c.res(), c.opts)
			path := filepath.Join("testdata", c.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./report -update)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s differs from the golden file (-want +got):\n%s", path, diff)
			}
		})
	}
}

func TestUnknownFormat(t *testing.T) {
	var b bytes.Buffer
	err := Write(&b, "yaml", fixture(), Options{})
	if err == nil || !strings.Contains(err.Error(), `"yaml"`) {
		t.Fatalf("Write(yaml) error = %v, want an unknown-format error naming it", err)
	}
	if b.Len() != 0 {
		t.Errorf("Write(yaml) wrote %q", b.String())
	}
}

func TestTextColor(t *testing.T) {
	res := fixture()
	// A hostile source line must not smuggle escapes through either.
	res.Sources["Dockerfile"] = slices.Clone(dockerfile)
	res.Sources["Dockerfile"][5] = "CMD node server.js \x1b[31m--greeting \"¡hola!\""
	res.Findings[1].Message += "\x1b]0;pwned\a"

	plain := render(t, "text", res, Options{})
	if strings.ContainsRune(plain, '\x1b') {
		t.Errorf("Color=false output contains ESC:\n%q", plain)
	}
	colored := render(t, "text", res, Options{Color: true})
	for _, want := range []string{
		sgrBold + "Dockerfile:6:1:" + sgrReset,
		sgrRed + "error:" + sgrReset + " " + sgrBold + "DF013" + sgrReset,
		sgrYellow + "warning:" + sgrReset + " " + sgrBold + "DF026" + sgrReset,
		sgrCyan + "info:" + sgrReset + " " + sgrBold + "CO004" + sgrReset,
		sgrDim + "6 |" + sgrReset,
		sgrRed + "^",
	} {
		if !strings.Contains(colored, want) {
			t.Errorf("Color=true output lacks %q:\n%s", want, colored)
		}
	}
	if n, m := strings.Count(colored, "\x1b["), strings.Count(colored, sgrReset); n != 2*m {
		t.Errorf("unbalanced SGR: %d escapes, %d resets", n, m)
	}
}

func TestTextExcerpt(t *testing.T) {
	tests := []struct {
		name, line string
		r          analysis.Range
		want       string // the source and caret lines
	}{
		{"simple", "RUN npm install", analysis.Range{Start: analysis.Pos{Line: 1, Col: 5}, End: analysis.Pos{Line: 1, Col: 16}},
			"1 | RUN npm install\n  |     ^^^^^^^^^^^\n"},
		{"end col zero", "RUN npm install", analysis.Range{Start: analysis.Pos{Line: 1, Col: 9}, End: analysis.Pos{Line: 1}},
			"1 | RUN npm install\n  |         ^^^^^^^\n"},
		{"end col past line", "RUN npm install", analysis.Range{Start: analysis.Pos{Line: 1, Col: 9}, End: analysis.Pos{Line: 1, Col: 80}},
			"1 | RUN npm install\n  |         ^^^^^^^\n"},
		{"multi-line", "RUN a && \\", analysis.Range{Start: analysis.Pos{Line: 1, Col: 5}, End: analysis.Pos{Line: 2, Col: 3}},
			"1 | RUN a && \\\n  |     ^^^^^^\n"},
		{"empty range", "USER", analysis.Range{Start: analysis.Pos{Line: 1, Col: 5}, End: analysis.Pos{Line: 1, Col: 5}},
			"1 | USER\n  |     ^\n"},
		{"tabs", "\tRUN\tnpm ci", analysis.Range{Start: analysis.Pos{Line: 1, Col: 6}, End: analysis.Pos{Line: 1, Col: 12}},
			"1 |     RUN npm ci\n  |         ^^^^^^\n"},
		{"tab inside range", "ENV A=1\tB=2", analysis.Range{Start: analysis.Pos{Line: 1, Col: 5}, End: analysis.Pos{Line: 1, Col: 12}},
			"1 | ENV A=1 B=2\n  |     ^^^^^^^\n"},
		{"multibyte", `LABEL a="Zoë" b=1`, analysis.Range{Start: analysis.Pos{Line: 1, Col: 16}, End: analysis.Pos{Line: 1, Col: 19}},
			"1 | LABEL a=\"Zoë\" b=1\n  |               ^^^\n"},
		{"control char", "RUN \x1b x", analysis.Range{Start: analysis.Pos{Line: 1, Col: 7}, End: analysis.Pos{Line: 1, Col: 8}},
			"1 | RUN \uFFFD x\n  |       ^\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := &Result{
				Findings: []analysis.Finding{{Rule: ruleShellForm, File: "Dockerfile", Range: tt.r, Message: "m"}},
				Sources:  map[string][]string{"Dockerfile": {tt.line, "  next"}},
			}
			got := render(t, "text", res, Options{})
			lines := strings.SplitAfter(got, "\n")
			if len(lines) < 5 {
				t.Fatalf("short output:\n%s", got)
			}
			if diff := cmp.Diff(tt.want, lines[2]+lines[3]); diff != "" {
				t.Errorf("excerpt (-want +got):\n%s\nfull output:\n%s", diff, got)
			}
		})
	}
}

func TestTextWideLineNumbers(t *testing.T) {
	lines := make([]string, 120)
	lines[119] = "CMD node server.js"
	res := &Result{
		Findings: []analysis.Finding{{Rule: ruleShellForm, File: "Dockerfile",
			Range: analysis.LineRange(120, 120), Message: "m"}},
		Sources: map[string][]string{"Dockerfile": lines},
	}
	got := render(t, "text", res, Options{})
	want := "Dockerfile:120:1: error: DF013 m\n" +
		"    |\n" +
		"120 | CMD node server.js\n" +
		"    | ^^^^^^^^^^^^^^^^^^\n" +
		"docs: seaworthy explain DF013\n\n"
	if !strings.HasPrefix(got, want) {
		t.Errorf("got:\n%s\nwant prefix:\n%s", got, want)
	}
}

func TestTextSummary(t *testing.T) {
	f := func(sev analysis.Severity, fix bool) analysis.Finding {
		fd := analysis.Finding{Rule: ruleShellForm, Severity: sev, File: "Dockerfile", Message: "m"}
		if fix {
			fd.Fix = &analysis.Fix{Title: "t"}
		}
		return fd
	}
	tests := []struct {
		findings []analysis.Finding
		files    int
		want     string
	}{
		{nil, 0, "No problems found in 0 files."},
		{nil, 1, "No problems found in 1 file."},
		{nil, 4, "No problems found in 4 files."},
		{[]analysis.Finding{f(analysis.Error, false)}, 1, "Found 1 problem (1 error)."},
		{[]analysis.Finding{f(analysis.Warning, true)}, 1, "Found 1 problem (1 warning). 1 fixable with `seaworthy fix`."},
		{[]analysis.Finding{f(analysis.Info, false), f(analysis.Info, false)}, 1, "Found 2 problems (2 info)."},
		{[]analysis.Finding{f(analysis.Error, true), f(analysis.Warning, true), f(analysis.Warning, false)}, 3,
			"Found 3 problems (1 error, 2 warnings). 2 fixable with `seaworthy fix`."},
		{[]analysis.Finding{f(analysis.Error, false), f(analysis.Error, false), f(analysis.Info, true)}, 3,
			"Found 3 problems (2 errors, 1 info). 1 fixable with `seaworthy fix`."},
		// Severity 0 falls back to the rule's (error for DF013).
		{[]analysis.Finding{f(0, false)}, 1, "Found 1 problem (1 error)."},
	}
	for _, tt := range tests {
		got := summary(&Result{Findings: tt.findings, Files: tt.files})
		if got != tt.want {
			t.Errorf("summary = %q, want %q", got, tt.want)
		}
	}

	// With what was read, and what --min-severity hides.
	one := []analysis.Finding{f(analysis.Error, true)}
	for _, tt := range []struct {
		findings []analysis.Finding
		read     Read
		hidden   Counts
		want     string
	}{
		{nil, Read{Dockerfiles: 1}, Counts{}, "No problems found in 1 Dockerfile."},
		{nil, Read{Dockerfiles: 1, IgnoreFiles: 1, Packages: 1, Sources: 3}, Counts{},
			"No problems found in 1 Dockerfile, 1 .dockerignore and 1 package (3 source files)."},
		{nil, Read{Dockerfiles: 2, IgnoreFiles: 2, ComposeFiles: 1, Packages: 2, Sources: 1}, Counts{},
			"No problems found in 2 Dockerfiles, 2 .dockerignore files, 1 compose file and 2 packages (1 source file)."},
		{nil, Read{Images: 1}, Counts{}, "No problems found in 1 image."},
		{one, Read{Dockerfiles: 1, Packages: 1}, Counts{},
			"Found 1 problem (1 error) in 1 Dockerfile and 1 package. 1 fixable with `seaworthy fix`."},
		{one, Read{Dockerfiles: 1}, Counts{Info: 3},
			"Found 1 problem (1 error) in 1 Dockerfile; 3 info not shown (below --min-severity). 1 fixable with `seaworthy fix`."},
		{nil, Read{ComposeFiles: 1}, Counts{Warning: 2, Info: 1},
			"No problems shown in 1 compose file; 2 warnings and 1 info not shown (below --min-severity)."},
	} {
		got := summary(&Result{Findings: tt.findings, Read: tt.read, Hidden: tt.hidden})
		if got != tt.want {
			t.Errorf("summary = %q, want %q", got, tt.want)
		}
	}
}

// MinSeverity leaves findings out of every format and counts them.
func TestMinSeverity(t *testing.T) {
	for _, format := range Formats {
		out := render(t, format, fixture(), Options{MinSeverity: analysis.Warning})
		if strings.Contains(out, "CO004") {
			t.Errorf("%s: the info finding CO004 is shown with MinSeverity warning:\n%s", format, out)
		}
		if !strings.Contains(out, "DF013") || !strings.Contains(out, "DF026") {
			t.Errorf("%s: a finding at or above warning is left out:\n%s", format, out)
		}
	}
	out := render(t, "text", fixture(), Options{MinSeverity: analysis.Error})
	if want := "Found 1 problem (1 error); 2 warnings and 1 info not shown (below --min-severity). 1 fixable with `seaworthy fix`.\n"; !strings.HasSuffix(out, want) {
		t.Errorf("text summary:\n%s\nwant it to end with %q", out, want)
	}
	var doc struct {
		Findings []any
		Summary  map[string]any
	}
	if err := json.Unmarshal([]byte(render(t, "json", fixture(), Options{MinSeverity: analysis.Error})), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 1 || doc.Summary["error"] != 1.0 || doc.Summary["warning"] != 0.0 {
		t.Errorf("json: %d findings, summary %v", len(doc.Findings), doc.Summary)
	}
	if diff := cmp.Diff(map[string]any{"error": 0.0, "warning": 2.0, "info": 1.0}, doc.Summary["hidden"]); diff != "" {
		t.Errorf("json hidden (-want +got):\n%s", diff)
	}
}

func TestTextQuiet(t *testing.T) {
	got := render(t, "text", fixture(), Options{Quiet: true})
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if len(lines) != len(fixture().Findings) {
		t.Fatalf("quiet output has %d lines, want one per finding:\n%s", len(lines), got)
	}
	if lines[3] != "registry:example.com/app:1.0: warning: IM003 image config has no USER: the app runs as root (uid 0)" {
		t.Errorf("positionless finding line = %q", lines[3])
	}
}

func TestJSONSchema(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal([]byte(render(t, "json", fixture(), Options{})), &doc); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"findings", "schema", "summary", "tool"}, keys(doc)); diff != "" {
		t.Errorf("top-level keys (-want +got):\n%s", diff)
	}
	if doc["schema"] != 1.0 {
		t.Errorf("schema = %v, want 1", doc["schema"])
	}
	if diff := cmp.Diff(map[string]any{"name": "seaworthy", "version": "1.2.3"}, doc["tool"]); diff != "" {
		t.Errorf("tool (-want +got):\n%s", diff)
	}
	wantSummary := map[string]any{
		"error": 1.0, "warning": 2.0, "info": 1.0, "files": 3.0,
		"dockerfiles": 0.0, "ignore_files": 0.0, "compose_files": 0.0, "packages": 0.0, "source_files": 0.0, "images": 0.0,
		"hidden": map[string]any{"error": 0.0, "warning": 0.0, "info": 0.0},
	}
	if diff := cmp.Diff(wantSummary, doc["summary"]); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	findings := doc["findings"].([]any)
	if len(findings) != 4 {
		t.Fatalf("%d findings, want 4", len(findings))
	}
	base := []string{"family", "file", "fixable", "message", "name", "rule", "severity"}
	pos := []string{"column", "end_column", "end_line", "line"}
	wantKeys := [][]string{
		sorted(base, pos, []string{"help"}),
		sorted(base, pos, []string{"fix"}),
		sorted(base, pos),
		sorted(base, []string{"help"}),
	}
	for i, f := range findings {
		m := f.(map[string]any)
		if diff := cmp.Diff(wantKeys[i], keys(m)); diff != "" {
			t.Errorf("finding %d keys (-want +got):\n%s", i, diff)
		}
	}
	second := findings[1].(map[string]any)
	want := map[string]any{
		"rule": "DF013", "name": "shell-form-command", "severity": "error", "family": "DF",
		"file": "Dockerfile", "line": 6.0, "column": 1.0, "end_line": 6.0,
		"end_column": float64(len(dockerfile[5]) + 1),
		"message":    `CMD uses shell form: "node" runs under /bin/sh -c, so it never sees SIGTERM`,
		"fixable":    true, "fix": map[string]any{"title": "Rewrite CMD in exec form"},
	}
	if diff := cmp.Diff(want, second); diff != "" {
		t.Errorf("finding 1 (-want +got):\n%s", diff)
	}
}

func TestJSONEmptyAndMeasurements(t *testing.T) {
	got := render(t, "json", emptyResult(), Options{})
	if !strings.Contains(got, `"findings": []`) {
		t.Errorf("empty findings not rendered as []:\n%s", got)
	}
	if strings.Contains(got, "measurements") {
		t.Errorf("measurements present without Measurements:\n%s", got)
	}
	if !strings.HasSuffix(got, "}\n") {
		t.Errorf("no trailing newline")
	}

	res := emptyResult()
	res.Measurements = map[string]any{}
	if got := render(t, "json", res, Options{}); !strings.Contains(got, `"measurements": {}`) {
		t.Errorf("empty non-nil measurements not rendered:\n%s", got)
	}
	res.Measurements = map[string]any{"start_ms": 120, "exit_code": 0}
	var doc struct {
		Measurements map[string]float64 `json:"measurements"`
	}
	if err := json.Unmarshal([]byte(render(t, "json", res, Options{})), &doc); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]float64{"start_ms": 120, "exit_code": 0}, doc.Measurements); diff != "" {
		t.Errorf("measurements (-want +got):\n%s", diff)
	}
}

// sarifDoc is the part of SARIF the tests read back.
type sarifDoc struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name, Version, InformationURI string
				Rules                         []struct {
					ID                   string `json:"id"`
					Name                 string `json:"name"`
					HelpURI              string `json:"helpUri"`
					ShortDescription     struct{ Text string }
					FullDescription      struct{ Text string }
					DefaultConfiguration struct{ Level string }
					Properties           struct{ Tags []string }
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct{ Text string }
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct{ URI string }
					Region           *sarifRegion
				}
			}
			Fixes []struct {
				Description     struct{ Text string }
				ArtifactChanges []struct {
					ArtifactLocation struct{ URI string }
					Replacements     []struct {
						DeletedRegion   sarifRegion
						InsertedContent struct{ Text string }
					}
				}
			}
		} `json:"results"`
	} `json:"runs"`
}

func TestSARIF(t *testing.T) {
	res := fixture()
	var doc sarifDoc
	if err := json.Unmarshal([]byte(render(t, "sarif", res, Options{})), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "2.1.0" || doc.Schema != sarifSchema || len(doc.Runs) != 1 {
		t.Fatalf("version %q schema %q runs %d", doc.Version, doc.Schema, len(doc.Runs))
	}
	run := doc.Runs[0]
	if got, want := len(run.Results), len(res.Findings); got != want {
		t.Fatalf("%d results, want %d", got, want)
	}
	var ids []string
	for _, r := range run.Tool.Driver.Rules {
		ids = append(ids, r.ID)
	}
	if diff := cmp.Diff([]string{"CO004", "DF013", "DF026", "IM003"}, ids); diff != "" {
		t.Errorf("rule descriptors (-want +got):\n%s", diff)
	}
	for i, r := range run.Results {
		if r.RuleID != ruleID(&res.Findings[i]) || run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %d: ruleId %s, ruleIndex %d", i, r.RuleID, r.RuleIndex)
		}
	}
	df026 := run.Tool.Driver.Rules[2]
	if df026.HelpURI != "https://github.com/seaworthy-dev/seaworthy/blob/main/docs/rules/DF026.md" {
		t.Errorf("helpUri = %q", df026.HelpURI)
	}
	if df026.FullDescription.Text != "`apt-get update` downloads package lists into /var/lib/apt/lists. Left in the layer they add megabytes to every image." {
		t.Errorf("fullDescription = %q", df026.FullDescription.Text)
	}
	if df026.DefaultConfiguration.Level != "warning" || run.Tool.Driver.Rules[0].DefaultConfiguration.Level != "warning" {
		t.Errorf("defaultConfiguration levels wrong")
	}
	if diff := cmp.Diff([]string{"error", "note"}, []string{run.Results[1].Level, run.Results[2].Level}); diff != "" {
		t.Errorf("levels (-want +got):\n%s", diff)
	}
	// The overridden info severity is the result's level; the rule's default stays.
	if run.Results[2].Level != "note" {
		t.Errorf("info finding level = %q", run.Results[2].Level)
	}
	if run.Results[3].Locations[0].PhysicalLocation.Region != nil {
		t.Errorf("positionless finding has a region")
	}
	// "¡" is two bytes but one UTF-16 code unit.
	region := run.Results[1].Locations[0].PhysicalLocation.Region
	want := &sarifRegion{StartLine: 6, StartColumn: 1, EndLine: 6, EndColumn: len(dockerfile[5]),
		Snippet: &sarifArtifactContent{Text: dockerfile[5]}}
	if diff := cmp.Diff(want, region); diff != "" {
		t.Errorf("DF013 region (-want +got):\n%s", diff)
	}
	if len(run.Results[1].Fixes) != 1 {
		t.Fatalf("DF013 has %d fixes, want 1", len(run.Results[1].Fixes))
	}
	rep := run.Results[1].Fixes[0].ArtifactChanges[0].Replacements[0]
	if diff := cmp.Diff(sarifRegion{StartLine: 6, StartColumn: 5, EndLine: 6, EndColumn: len(dockerfile[5])}, rep.DeletedRegion); diff != "" {
		t.Errorf("deletedRegion (-want +got):\n%s", diff)
	}
	for i, r := range run.Results {
		if i != 1 && len(r.Fixes) != 0 {
			t.Errorf("result %d has fixes", i)
		}
	}
}

func TestArtifactURI(t *testing.T) {
	for in, want := range map[string]string{
		"Dockerfile":             "Dockerfile",
		"./Dockerfile":           "Dockerfile",
		"././svc/Dockerfile":     "svc/Dockerfile",
		"svc/api/Dockerfile.dev": "svc/api/Dockerfile.dev",
		"my app/Dockerfile":      "my%20app/Dockerfile",
		"a,b/#1.Dockerfile":      "a%2Cb/%231.Dockerfile",
	} {
		if got := artifactURI(in); got != want {
			t.Errorf("artifactURI(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGitHub(t *testing.T) {
	got := strings.Split(strings.TrimSuffix(render(t, "github", fixture(), Options{}), "\n"), "\n")
	want := []string{
		"::warning file=Dockerfile,line=4,endLine=5,title=DF026 apt-lists-kept::RUN installs \"curl\" with apt-get but keeps /var/lib/apt/lists%0Ahelp: append `&& rm -rf /var/lib/apt/lists/*` to this RUN",
		"::error file=Dockerfile,line=6,col=1,endLine=6,endColumn=40,title=DF013 shell-form-command::CMD uses shell form: \"node\" runs under /bin/sh -c, so it never sees SIGTERM",
		"::notice file=compose.yaml,line=3,col=3,endLine=3,endColumn=7,title=CO004 missing-healthcheck::service \"web\" has no healthcheck, so <depends_on> & restarts can't see 100%25 of failures",
		"::warning file=registry%3Aexample.com/app%3A1.0,title=IM003 runs-as-root::image config has no USER: the app runs as root (uid 0)%0Ahelp: add `USER node` before CMD",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("github (-want +got):\n%s", diff)
	}
	if got := escapeProperty("a:b,c%d\r\ne"); got != "a%3Ab%2Cc%25d%0D%0Ae" {
		t.Errorf("escapeProperty = %q", got)
	}
	if got := escapeData("a:b,c%d\r\ne"); got != "a:b,c%25d%0D%0Ae" {
		t.Errorf("escapeData = %q", got)
	}
}

func TestJUnitParses(t *testing.T) {
	type junitDoc struct {
		XMLName  xml.Name `xml:"testsuites"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
		Suites   []struct {
			Name     string `xml:"name,attr"`
			Tests    int    `xml:"tests,attr"`
			Failures int    `xml:"failures,attr"`
			Cases    []struct {
				Name      string `xml:"name,attr"`
				Classname string `xml:"classname,attr"`
				Failure   *struct {
					Message string `xml:"message,attr"`
					Type    string `xml:"type,attr"`
					Body    string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	var doc junitDoc
	res := fixture()
	if err := xml.Unmarshal([]byte(render(t, "junit", res, Options{})), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests != 4 || doc.Failures != 4 || len(doc.Suites) != 3 {
		t.Fatalf("tests=%d failures=%d suites=%d, want 4, 4, 3", doc.Tests, doc.Failures, len(doc.Suites))
	}
	if s := doc.Suites[0]; s.Name != "Dockerfile" || s.Tests != 2 || s.Failures != 2 || len(s.Cases) != 2 {
		t.Errorf("Dockerfile suite = %+v", s)
	}
	c := doc.Suites[1].Cases[0]
	if c.Name != "CO004 compose.yaml:3" || c.Classname != "compose.yaml" || c.Failure == nil ||
		c.Failure.Message != res.Findings[2].Message || c.Failure.Type != "info" {
		t.Errorf("compose testcase = %+v", c)
	}
	body := doc.Suites[2].Cases[0].Failure.Body
	if !strings.Contains(body, res.Findings[3].Message) || !strings.Contains(body, "help: "+res.Findings[3].Help) {
		t.Errorf("failure body lacks message or help: %q", body)
	}

	doc = junitDoc{}
	if err := xml.Unmarshal([]byte(render(t, "junit", emptyResult(), Options{})), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests != 1 || doc.Failures != 0 || len(doc.Suites) != 1 || doc.Suites[0].Cases[0].Failure != nil {
		t.Errorf("empty run: tests=%d failures=%d", doc.Tests, doc.Failures)
	}
}

func TestCheckstyleParses(t *testing.T) {
	var doc struct {
		XMLName xml.Name `xml:"checkstyle"`
		Version string   `xml:"version,attr"`
		Files   []struct {
			Name   string `xml:"name,attr"`
			Errors []struct {
				Line     int    `xml:"line,attr"`
				Column   int    `xml:"column,attr"`
				Severity string `xml:"severity,attr"`
				Message  string `xml:"message,attr"`
				Source   string `xml:"source,attr"`
			} `xml:"error"`
		} `xml:"file"`
	}
	res := fixture()
	if err := xml.Unmarshal([]byte(render(t, "checkstyle", res, Options{})), &doc); err != nil {
		t.Fatal(err)
	}
	var files []string
	n := 0
	for _, f := range doc.Files {
		files = append(files, f.Name)
		n += len(f.Errors)
	}
	if diff := cmp.Diff([]string{"Dockerfile", "compose.yaml", "registry:example.com/app:1.0"}, files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if n != len(res.Findings) || doc.Version != "4.3" {
		t.Fatalf("%d errors (want %d), version %q", n, len(res.Findings), doc.Version)
	}
	e := doc.Files[1].Errors[0]
	if e.Line != 3 || e.Column != 3 || e.Severity != "info" || e.Message != res.Findings[2].Message || e.Source != "seaworthy.CO004" {
		t.Errorf("compose error = %+v", e)
	}
}

// TestNilRuleAndOddRanges checks that no format panics on findings the
// renderers should never get but might.
func TestNilRuleAndOddRanges(t *testing.T) {
	res := &Result{
		Findings: []analysis.Finding{
			{File: "Dockerfile", Message: "no rule", Range: analysis.Range{Start: analysis.Pos{Line: 2, Col: 50}, End: analysis.Pos{Line: 1, Col: 1}}},
			{Rule: ruleShellForm, File: "Dockerfile", Message: "line past EOF", Range: analysis.LineRange(99, 99),
				Fix: &analysis.Fix{Title: "t", Edits: []analysis.Edit{{Start: analysis.Pos{Line: 0}}, {Start: analysis.Pos{Line: 2, Col: 4}, End: analysis.Pos{Line: 2, Col: 2}}}}},
		},
		Sources: map[string][]string{"Dockerfile": {"FROM x", "RUN y"}},
	}
	for _, format := range Formats {
		render(t, format, res, Options{})
		render(t, format, res, Options{Color: true})
	}
	render(t, "text", nil, Options{})
}

func keys(m map[string]any) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	sort.Strings(k)
	return k
}

func sorted(parts ...[]string) []string {
	all := slices.Concat(parts...)
	sort.Strings(all)
	return all
}
