package config

import (
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis"
)

// testInput is an input kind for rules that never run.
type testInput struct{}

func (*testInput) InputKind() string { return "test" }

func testRegistry() *analysis.Registry {
	run := analysis.Check(func(*analysis.Pass, *testInput) {})
	return analysis.NewRegistry(
		&analysis.Rule{ID: "DF003", Name: "base-image-not-digest-pinned", Severity: analysis.Warning, Check: run},
		&analysis.Rule{ID: "DF013", Name: "shell-form-command", Severity: analysis.Error, Check: run},
		&analysis.Rule{ID: "DF001", Name: "base-image-untagged", Severity: analysis.Error, Check: run},
	)
}

func TestParse(t *testing.T) {
	reg := testRegistry()
	cfg, err := Parse(".seaworthy.yaml", []byte("ignore: [DF003]\nseverity:\n  shell-form-command: warning\nfail-on: error\noverrides:\n  - files: [\"legacy/**\"]\n    ignore: [DF013]\n"), reg)
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.For(reg, "legacy/api/Dockerfile", nil)
	if !p.Ignore["DF003"] || !p.Ignore["DF013"] {
		t.Errorf("override not applied: %+v", p)
	}
	p = cfg.For(reg, "api/Dockerfile", nil)
	if p.Ignore["DF013"] || p.Severity["DF013"] != analysis.Warning {
		t.Errorf("policy = %+v", p)
	}
	for src, want := range map[string]string{
		"ignore: [DF999]\n":                 ".seaworthy.yaml:1: unknown rule \"DF999\"",
		"ignore: [DF003]\nbogus: 1\n":       ".seaworthy.yaml:2:",
		"severity:\n  DF003: loud\n":        ".seaworthy.yaml:2: unknown severity",
		"fail-on: sometimes\n":              ".seaworthy.yaml:1: unknown fail-on level",
		"ignore: [DF003\n":                  ".seaworthy.yaml:",
		"overrides:\n  - ignore: [DF003]\n": "each override needs `files`",
		// A value of the wrong kind names the key and the kinds, not Go types.
		"ignore: DF003\n":                             ".seaworthy.yaml:1: invalid config: ignore: want a list, not a string (`DF003`)",
		"severity: [DF003]\n":                         ".seaworthy.yaml:1: invalid config: severity: want a mapping, not a list",
		"overrides: {files: x}\n":                     ".seaworthy.yaml:1: invalid config: overrides: want a list, not a mapping",
		"overrides:\n  - files: x\n":                  ".seaworthy.yaml:2: invalid config: files: want a list, not a string (`x`)",
		"trusted-registries: docker.io\n":             ".seaworthy.yaml:1: invalid config: trusted-registries: want a list, not a string (`docker.io`)",
		"overrides:\n  - files: [a]\n    ignore: 5\n": ".seaworthy.yaml:3: invalid config: ignore: want a list, not a number (`5`)",
	} {
		_, err := Parse(".seaworthy.yaml", []byte(src), reg)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "!!") {
			t.Errorf("Parse(%q) error = %v, want it to contain %q", src, err, want)
		}
	}
}

func TestDirectives(t *testing.T) {
	reg := testRegistry()
	d, ok := ParseDirective(reg, 3, "seaworthy ignore=DF013,base-image-untagged because reasons")
	if !ok || d.Global || strings.Join(d.Rules, ",") != "DF013,DF001" {
		t.Errorf("directive = %+v %v", d, ok)
	}
	d, ok = ParseDirective(reg, 1, "hadolint global ignore=DL3006,DL3008")
	if !ok || !d.Global || strings.Join(d.Rules, ",") != "DF001" {
		t.Errorf("hadolint directive = %+v", d)
	}
	d, _ = ParseDirective(reg, 1, "seaworthy ignore=DF777")
	if len(d.Unknown) != 1 {
		t.Errorf("unknown code not kept: %+v", d)
	}
	if _, ok := ParseDirective(reg, 1, "just a comment about seaworthy"); ok {
		t.Errorf("plain comment taken as directive")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("ignore: [DF003]\nseverity: {DF013: info}\n"))
	f.Add([]byte("overrides:\n  - files: ['a/**']\n    ignore: [DF001]\n"))
	reg := testRegistry()
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("c.yaml", data, reg)
		if err == nil {
			_ = cfg.For(reg, "x/Dockerfile", nil)
		}
	})
}

func TestCommentSuppressions(t *testing.T) {
	reg := testRegistry()
	s := CommentSuppressions(reg, []string{
		"const app = express();",
		"// seaworthy ignore=DF013",
		"",
		"app.listen(3000, '127.0.0.1');",
		"# seaworthy global ignore=DF001",
	})
	f := analysis.Finding{Rule: &analysis.Rule{ID: "DF013"}, Range: analysis.Range{Start: analysis.Pos{Line: 4}}}
	if !s.Suppressed(f) {
		t.Errorf("// directive does not reach the next code line")
	}
	f.Range.Start.Line = 1
	if s.Suppressed(f) {
		t.Errorf("directive applies to a line before it")
	}
	if !s.Suppressed(analysis.Finding{Rule: &analysis.Rule{ID: "DF001"}, Range: analysis.Range{Start: analysis.Pos{Line: 1}}}) {
		t.Errorf("global directive not applied")
	}
}

func TestUnknownCodes(t *testing.T) {
	reg := testRegistry()
	got := UnknownCodes(reg, []string{
		"# seaworthy ignore=DF003,DF0133 reason DF999", // one typo; the reason is not a code
		"FROM node",
		"  // seaworthy global ignore=shell-form-command,no-such-name",
		"# hadolint ignore=DL3006,DL9999", // hadolint's own codes
		"# seaworthy ignore=DF013",
		"RUN echo seaworthy ignore=DF777", // not a comment
		"# ignore=DF555",                  // not a directive
	})
	want := []UnknownCode{{Line: 1, Code: "DF0133", Hint: " (did you mean DF013?)"}, {Line: 3, Code: "no-such-name"}}
	if len(got) != len(want) {
		t.Fatalf("UnknownCodes = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("UnknownCodes[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	if got := UnknownCodes(reg, []string{"# seaworthy ignore=DF013,DF001", "FROM node"}); len(got) != 0 {
		t.Errorf("known codes reported as unknown: %v", got)
	}
}

// TestPurpose: an override's purpose sets the purpose of the files it
// matches, the last matching one winning; a bad purpose names its line.
func TestPurpose(t *testing.T) {
	reg := testRegistry()
	src := "overrides:\n" +
		"  - files: [\"tools/**\"]\n    purpose: development\n" +
		"  - files: [\"tools/release/**\"]\n    purpose: production\n" +
		"  - files: [\"qa\"]\n    ignore: [DF003]\n    purpose: test\n"
	cfg, err := Parse(".seaworthy.yaml", []byte(src), reg)
	if err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{
		"tools/db/Dockerfile":           "development",
		"tools/release/Dockerfile":      "production",
		"qa/compose.yaml":               "test",
		"Dockerfile":                    "",
		"services/tools/api/Dockerfile": "",
	} {
		p, ok := cfg.PurposeFor(file)
		got := ""
		if ok {
			got = p.String()
		}
		if got != want {
			t.Errorf("PurposeFor(%s) = %q, want %q", file, got, want)
		}
	}
	if _, ok := (*Config)(nil).PurposeFor("Dockerfile"); ok {
		t.Error("no config sets a purpose")
	}
	if !cfg.For(reg, "qa/Dockerfile", nil).Ignore["DF003"] {
		t.Error("an override with a purpose still applies its ignores")
	}
	for src, want := range map[string]string{
		"overrides:\n  - files: [x]\n    purpose: developement\n": `.seaworthy.yaml:3: unknown purpose "developement" (want production, development, test or example)`,
		"overrides:\n  - files: [x]\n    purpose: [dev]\n":        ".seaworthy.yaml:3:",
		"purpose: development\n":                                  ".seaworthy.yaml:1:",
	} {
		_, err := Parse(".seaworthy.yaml", []byte(src), reg)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "!!") {
			t.Errorf("Parse(%q) error = %v, want it to contain %q", src, err, want)
		}
	}
}

// TestOverridesRelativeConfig: a config found relative to the working
// directory (conf/.seaworthy.yaml) matches its overrides against the paths
// below its own directory. (They used not to match at all: the relative
// config directory and the absolute file path could not be related.)
func TestOverridesRelativeConfig(t *testing.T) {
	reg := testRegistry()
	t.Chdir(t.TempDir())
	cfg, err := Parse("conf/.seaworthy.yaml", []byte("overrides:\n  - files: [tools]\n    ignore: [DF003]\n    purpose: development\n"), reg)
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.For(reg, "conf/tools/Dockerfile", nil).Ignore["DF003"] {
		t.Error("override ignore not applied")
	}
	if p, ok := cfg.PurposeFor("conf/tools/Dockerfile"); !ok || p != analysis.Development {
		t.Errorf("PurposeFor = %v, %v", p, ok)
	}
	if _, ok := cfg.PurposeFor("tools/Dockerfile"); ok {
		t.Error("tools/ outside conf/ matched")
	}
}
