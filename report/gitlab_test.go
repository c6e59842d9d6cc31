package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// gitlabSchema compiles the Code Quality schema in testdata/gitlab (see
// its README for where it comes from).
func gitlabSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("testdata/gitlab/codequality.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	const url = "codequality.schema.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validateGitLab(t *testing.T, sch *jsonschema.Schema, out string) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("the gitlab report does not follow GitLab's Code Quality format: %v\n%s", err, out)
	}
}

func TestGitLabSchema(t *testing.T) {
	sch := gitlabSchema(t)
	validateGitLab(t, sch, render(t, "gitlab", fixture(), Options{}))
	validateGitLab(t, sch, render(t, "gitlab", emptyResult(), Options{}))

	// The schema is not vacuous: it rejects what GitLab would.
	for _, bad := range []string{
		`{}`,
		`[{"description":"d","check_name":"c","fingerprint":"f","severity":"warning","location":{"path":"a","lines":{"begin":1}}}]`,
		`[{"description":"d","check_name":"c","fingerprint":"f","severity":"minor","location":{"path":"./a","lines":{"begin":1}}}]`,
		`[{"description":"d","check_name":"c","severity":"minor","location":{"path":"a","lines":{"begin":1}}}]`,
		`[{"description":"d","check_name":"c","fingerprint":"f","severity":"minor","location":{"path":"a"}}]`,
	} {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(inst) == nil {
			t.Errorf("the schema accepts %s", bad)
		}
	}
}

func gitlabIssues(t *testing.T, res *Result) []gitlabIssue {
	t.Helper()
	var issues []gitlabIssue
	if err := json.Unmarshal([]byte(render(t, "gitlab", res, Options{})), &issues); err != nil {
		t.Fatal(err)
	}
	return issues
}

func TestGitLabIssues(t *testing.T) {
	issues := gitlabIssues(t, fixture())
	want := []gitlabIssue{
		{Description: `RUN installs "curl" with apt-get but keeps /var/lib/apt/lists`, CheckName: "DF026 apt-lists-kept", Severity: "major",
			Location: gitlabLocation{Path: "Dockerfile", Lines: gitlabLines{Begin: 4, End: 5}}},
		{Description: `CMD uses shell form: "node" runs under /bin/sh -c, so it never sees SIGTERM`, CheckName: "DF013 shell-form-command", Severity: "critical",
			Location: gitlabLocation{Path: "Dockerfile", Lines: gitlabLines{Begin: 6}}},
		{Description: `service "web" has no healthcheck, so <depends_on> & restarts can't see 100% of failures`, CheckName: "CO004 missing-healthcheck", Severity: "info",
			Location: gitlabLocation{Path: "compose.yaml", Lines: gitlabLines{Begin: 3}}},
		{Description: "image config has no USER: the app runs as root (uid 0)", CheckName: "IM003 runs-as-root", Severity: "major",
			Location: gitlabLocation{Path: "registry:example.com/app:1.0", Lines: gitlabLines{Begin: 1}}},
	}
	if diff := cmp.Diff(want, issues, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Fingerprint" }, cmp.Ignore())); diff != "" {
		t.Errorf("issues (-want +got):\n%s", diff)
	}
	seen := map[string]bool{}
	for _, is := range issues {
		if len(is.Fingerprint) != 32 || seen[is.Fingerprint] {
			t.Errorf("fingerprint %q: want 32 hex digits, unique", is.Fingerprint)
		}
		seen[is.Fingerprint] = true
	}
}

// TestGitLabFingerprints: a finding keeps its fingerprint from run to run
// and when lines above it move; identical findings get distinct ones.
func TestGitLabFingerprints(t *testing.T) {
	first := gitlabIssues(t, fixture())
	if again := gitlabIssues(t, fixture()); !cmp.Equal(first, again) {
		t.Fatalf("two runs differ:\n%v\n%v", first, again)
	}

	moved := fixture()
	moved.Sources["Dockerfile"] = append([]string{"# a comment", ""}, dockerfile...)
	for i := range moved.Findings {
		if moved.Findings[i].File == "Dockerfile" {
			moved.Findings[i].Range.Start.Line += 2
			moved.Findings[i].Range.End.Line += 2
		}
	}
	shifted := gitlabIssues(t, moved)
	for i := range first {
		if first[i].Fingerprint != shifted[i].Fingerprint {
			t.Errorf("%s: fingerprint changed when the finding moved down two lines", first[i].CheckName)
		}
	}
	if shifted[1].Location.Lines.Begin != 8 {
		t.Errorf("moved finding begins on line %d, want 8", shifted[1].Location.Lines.Begin)
	}

	twice := fixture()
	twice.Findings = append(twice.Findings[:1], twice.Findings[0])
	dup := gitlabIssues(t, twice)
	if dup[0].Fingerprint == dup[1].Fingerprint {
		t.Error("two identical findings share a fingerprint; GitLab would show one")
	}
	if dup[0].Fingerprint != first[0].Fingerprint {
		t.Error("the first of two identical findings changed its fingerprint")
	}

	other := fixture()
	other.Findings[1].Rule = ruleRoot
	if gitlabIssues(t, other)[1].Fingerprint == first[1].Fingerprint {
		t.Error("another rule on the same line has the same fingerprint")
	}
}

// TestGitLabPath: `seaworthy check $CI_PROJECT_DIR` names files by absolute
// paths; GitLab wants them relative to the repository (the job's working
// directory). Paths outside it stay as they are.
func TestGitLabPath(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		filepath.Join(wd, "api", "Dockerfile"): "api/Dockerfile",
		"./api/Dockerfile":                     "api/Dockerfile",
		"/elsewhere/Dockerfile":                "/elsewhere/Dockerfile",
	} {
		if got := gitlabPath(in); got != want {
			t.Errorf("gitlabPath(%q) = %q, want %q", in, got, want)
		}
	}
}
