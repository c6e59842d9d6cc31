package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v4"
)

// TestGitLabJob runs the README's GitLab CI job script (its seaworthy line;
// the go install line before it builds the same binary) on a sample
// project and validates the artifact it declares against the Code Quality
// schema in report/testdata/gitlab.
func TestGitLabJob(t *testing.T) {
	var ci map[string]struct {
		Script    []string `yaml:"script"`
		Artifacts struct {
			When    string `yaml:"when"`
			Reports struct {
				CodeQuality string `yaml:"codequality"`
			} `yaml:"reports"`
		} `yaml:"artifacts"`
	}
	if err := yaml.Unmarshal([]byte(readmeBlock(t, "# .gitlab-ci.yml")), &ci); err != nil {
		t.Fatalf("the README's .gitlab-ci.yml: %v", err)
	}
	job, ok := ci["seaworthy"]
	if !ok || len(job.Script) != 2 || !strings.HasPrefix(job.Script[0], "go install github.com/seaworthy-dev/seaworthy/cmd/seaworthy@") {
		t.Fatalf("the README's GitLab job: %+v, want go install then seaworthy", ci)
	}
	if job.Artifacts.When != "always" || job.Artifacts.Reports.CodeQuality == "" {
		t.Errorf("the job's artifacts %+v: want the codequality report kept when the job fails", job.Artifacts)
	}

	ws := sampleWorkspace(t, "node-api")
	cmd := exec.Command("bash", "-c", job.Script[1])
	cmd.Dir = ws
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(hostBinary(t))+string(os.PathListSeparator)+os.Getenv("PATH"))
	if out, code := runCmd(t, cmd); code != 1 {
		t.Fatalf("%s: exit code %d, want 1 (findings)\n%s", job.Script[1], code, out)
	}
	f, err := os.Open(filepath.Join(ws, job.Artifacts.Reports.CodeQuality))
	if err != nil {
		t.Fatalf("the job does not write its artifact: %v", err)
	}
	defer f.Close()
	report, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	schema := filepath.Join(repoRoot(t), "report", "testdata", "gitlab", "codequality.schema.json")
	sch, err := c.Compile(schema)
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(report); err != nil {
		t.Errorf("the job's report does not follow GitLab's Code Quality format: %v", err)
	}
	issues, _ := report.([]any)
	if len(issues) == 0 {
		t.Fatal("the job's report has no issues")
	}
	if path := issues[0].(map[string]any)["location"].(map[string]any)["path"]; path != "Dockerfile" && path != ".dockerignore" && path != "package.json" && path != "compose.yaml" {
		t.Errorf("first issue's path %v, want a path relative to the project root", path)
	}
}
