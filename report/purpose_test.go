package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/seaworthy-dev/seaworthy/analysis"
)

// purposeFixture is the fixture with the purposes of its files: the
// Dockerfile is production, the compose file a test stack, and a Dev
// Container without findings was checked too.
func purposeFixture() *Result {
	res := fixture()
	res.Files = 3
	res.Purposes = []analysis.FilePurpose{
		{File: ".devcontainer/Dockerfile", Purpose: analysis.Development, Reason: "in .devcontainer/"},
		{File: "Dockerfile", Purpose: analysis.Production},
		{File: "compose.yaml", Purpose: analysis.Test, Reason: `its service "cypress" runs tests`},
		{File: "examples/Dockerfile", Purpose: analysis.Example, Reason: "in examples/"},
	}
	return res
}

// TestPurposesGolden: text lists the development and test files before
// the summary; JSON has a files array; SARIF has artifacts and a purpose
// property on results.
func TestPurposesGolden(t *testing.T) {
	for _, format := range []string{"text", "json", "sarif"} {
		t.Run(format, func(t *testing.T) {
			got := render(t, format, purposeFixture(), Options{})
			path := filepath.Join("testdata", "purposes_"+format+".golden")
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

func TestPurposesJSON(t *testing.T) {
	var doc struct {
		Schema int
		Files  []map[string]string
	}
	if err := json.Unmarshal([]byte(render(t, "json", purposeFixture(), Options{})), &doc); err != nil {
		t.Fatal(err)
	}
	want := []map[string]string{
		{"file": ".devcontainer/Dockerfile", "purpose": "development", "purpose_reason": "in .devcontainer/"},
		{"file": "Dockerfile", "purpose": "production"},
		{"file": "compose.yaml", "purpose": "test", "purpose_reason": `its service "cypress" runs tests`},
		{"file": "examples/Dockerfile", "purpose": "example", "purpose_reason": "in examples/"},
	}
	if doc.Schema != 1 {
		t.Errorf("schema %d, want 1: files is an added field", doc.Schema)
	}
	if diff := cmp.Diff(want, doc.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

func TestPurposesText(t *testing.T) {
	got := render(t, "text", purposeFixture(), Options{})
	for _, want := range []string{
		"Checked as development or test files, without the production-only rules:\n" +
			"  .devcontainer/Dockerfile  development  in .devcontainer/\n" +
			"  compose.yaml              test         its service \"cypress\" runs tests\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("text output lacks\n%s\ngot:\n%s", want, got)
		}
	}
	if strings.Contains(got, "examples/Dockerfile") {
		t.Error("an example file is checked with every rule: not listed")
	}
	if q := render(t, "text", purposeFixture(), Options{Quiet: true}); strings.Contains(q, "development") {
		t.Errorf("--quiet lists purposes:\n%s", q)
	}
	// Nothing is listed when every file is production or an example.
	res := purposeFixture()
	res.Purposes = res.Purposes[1:2]
	if got := render(t, "text", res, Options{}); strings.Contains(got, "Checked as") {
		t.Errorf("production files listed:\n%s", got)
	}
	// File names are sanitised like every other text.
	res.Purposes = []analysis.FilePurpose{{File: "a\x1b[31m/Dockerfile.dev", Purpose: analysis.Development, Reason: "named Dockerfile.dev"}}
	if got := render(t, "text", res, Options{}); strings.Contains(got, "\x1b") {
		t.Errorf("escape in output: %q", got)
	}
}
