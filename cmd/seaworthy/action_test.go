package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// actionFile is what the test reads of action.yml.
type actionFile struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	ID               string            `yaml:"id"`
	Name             string            `yaml:"name"`
	If               string            `yaml:"if"`
	Uses             string            `yaml:"uses"`
	Run              string            `yaml:"run"`
	Shell            string            `yaml:"shell"`
	WorkingDirectory string            `yaml:"working-directory"`
	Env              map[string]string `yaml:"env"`
	With             map[string]string `yaml:"with"`
}

// readRepoYAML decodes a YAML file at the repository root into v.
func readRepoYAML(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), name))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func readAction(t *testing.T) actionFile {
	t.Helper()
	var a actionFile
	readRepoYAML(t, "action.yml", &a)
	if a.Runs.Using != "composite" {
		t.Fatalf("action.yml runs using %q, want composite", a.Runs.Using)
	}
	return a
}

// actionRun is one run of the action's steps as a runner runs them.
type actionRun struct {
	// Ran and Skipped name the steps by their name.
	Ran, Skipped []string
	// Uses holds the evaluated `with:` of each `uses:` step taken.
	Uses map[string]map[string]string
	// Outputs are the steps' outputs by step id.
	Outputs map[string]map[string]string
	// Log is the steps' combined output; Summary the job summary.
	Log, Summary string
	// Failed names the step that failed, if one did.
	Failed string
}

var exprRE = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// runAction runs action.yml's steps the way a GitHub runner runs a
// composite action's: each `run:` with `bash --noprofile --norc -eo
// pipefail`, in GITHUB_WORKSPACE or its working-directory, with its env
// mapping evaluated and the runner's files (GITHUB_OUTPUT, GITHUB_PATH,
// GITHUB_STEP_SUMMARY, RUNNER_TEMP). `uses:` steps are not run (setup-go,
// upload-sarif): their evaluated inputs are recorded. The expressions the
// action may use are inputs.X, github.action_path and steps.ID.outputs.X,
// and `if:` compares one of them with a quoted literal; anything else
// fails the test, so the action stays within what this runs.
func runAction(t *testing.T, workspace string, inputs map[string]string) *actionRun {
	t.Helper()
	a := readAction(t)
	root := repoRoot(t)
	temp := t.TempDir()
	in := map[string]string{}
	for name, spec := range a.Inputs {
		in[name] = spec.Default
	}
	for name, v := range inputs {
		if _, ok := a.Inputs[name]; !ok {
			t.Fatalf("action.yml has no input %q", name)
		}
		in[name] = v
	}
	res := &actionRun{Uses: map[string]map[string]string{}, Outputs: map[string]map[string]string{}}
	ref := func(r string) string {
		parts := strings.Split(r, ".")
		switch {
		case len(parts) == 2 && parts[0] == "inputs":
			return in[parts[1]]
		case r == "github.action_path":
			return root
		case len(parts) == 4 && parts[0] == "steps" && parts[2] == "outputs":
			return res.Outputs[parts[1]][parts[3]]
		}
		t.Fatalf("action.yml: expression %q is beyond what the test runner evaluates", r)
		return ""
	}
	eval := func(s string) string {
		return exprRE.ReplaceAllStringFunc(s, func(m string) string { return ref(exprRE.FindStringSubmatch(m)[1]) })
	}
	cond := func(c string) bool {
		c = strings.TrimSpace(c)
		if m := exprRE.FindStringSubmatch(c); m != nil && m[0] == c {
			c = m[1]
		}
		for _, op := range []string{"==", "!="} {
			if l, r, ok := strings.Cut(c, " "+op+" "); ok && strings.HasPrefix(r, "'") && strings.HasSuffix(r, "'") {
				eq := ref(strings.TrimSpace(l)) == strings.Trim(r, "'")
				return eq == (op == "==")
			}
		}
		t.Fatalf("action.yml: condition %q is beyond what the test runner evaluates", c)
		return false
	}

	summary := filepath.Join(temp, "step_summary")
	pathFile := filepath.Join(temp, "github_path")
	for _, f := range []string{summary, pathFile} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	runnerTemp := filepath.Join(temp, "runner_temp")
	if err := os.Mkdir(runnerTemp, 0o755); err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	for i, st := range a.Runs.Steps {
		if res.Failed != "" || (st.If != "" && !cond(st.If)) {
			res.Skipped = append(res.Skipped, st.Name)
			continue
		}
		res.Ran = append(res.Ran, st.Name)
		if st.Uses != "" {
			with := map[string]string{}
			for k, v := range st.With {
				with[k] = eval(v)
			}
			res.Uses[st.Uses] = with
			continue
		}
		if st.Shell != "bash" {
			t.Fatalf("step %q: shell %q, want bash (the runner's shell on every OS)", st.Name, st.Shell)
		}
		script := filepath.Join(temp, fmt.Sprintf("step-%d.sh", i))
		if err := os.WriteFile(script, []byte(st.Run), 0o644); err != nil {
			t.Fatal(err)
		}
		output := filepath.Join(temp, fmt.Sprintf("output-%d", i))
		if err := os.WriteFile(output, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		added, err := os.ReadFile(pathFile)
		if err != nil {
			t.Fatal(err)
		}
		path := os.Getenv("PATH")
		for _, dir := range strings.Fields(string(added)) {
			path = dir + string(os.PathListSeparator) + path
		}
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Dir = workspace
		if st.WorkingDirectory != "" {
			cmd.Dir = eval(st.WorkingDirectory)
		}
		cmd.Env = append(os.Environ(),
			"PATH="+path, "CI=true", "GITHUB_ACTIONS=true", "NO_COLOR=",
			"GITHUB_WORKSPACE="+workspace, "GITHUB_ACTION_PATH="+root,
			"GITHUB_OUTPUT="+output, "GITHUB_PATH="+pathFile, "GITHUB_STEP_SUMMARY="+summary,
			"RUNNER_TEMP="+runnerTemp)
		for k, v := range st.Env {
			cmd.Env = append(cmd.Env, k+"="+eval(v))
		}
		out, err := cmd.CombinedOutput()
		fmt.Fprintf(&log, "== %s\n%s", st.Name, out)
		outs, rerr := os.ReadFile(output)
		if rerr != nil {
			t.Fatal(rerr)
		}
		if st.ID != "" {
			res.Outputs[st.ID] = map[string]string{}
			for _, line := range strings.Split(strings.TrimSpace(string(outs)), "\n") {
				if line == "" {
					continue
				}
				k, v, ok := strings.Cut(line, "=")
				if !ok {
					t.Fatalf("step %q wrote %q to GITHUB_OUTPUT, want NAME=VALUE", st.Name, line)
				}
				res.Outputs[st.ID][k] = v
			}
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			res.Failed = st.Name
		} else if err != nil {
			t.Fatal(err)
		}
	}
	res.Log = log.String()
	b, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	res.Summary = string(b)
	return res
}

// sampleWorkspace copies an example project to a fresh workspace.
func sampleWorkspace(t *testing.T, example string) string {
	t.Helper()
	ws := t.TempDir()
	if err := os.CopyFS(ws, os.DirFS(filepath.Join(repoRoot(t), "examples", example))); err != nil {
		t.Fatal(err)
	}
	return ws
}

// TestActionSteps runs the action's shell steps with the environment a
// runner gives them, on a project with findings and on a clean one, in
// both formats, and with bad inputs.
func TestActionSteps(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("the action's build step needs the go command")
	}
	bad := sampleWorkspace(t, "node-api")

	t.Run("sarif", func(t *testing.T) {
		r := runAction(t, bad, nil)
		if r.Failed != "Fail on findings" {
			t.Fatalf("failed step %q, want the job to fail at \"Fail on findings\" after the upload\n%s", r.Failed, r.Log)
		}
		if got := r.Outputs["check"]["exit-code"]; got != "1" {
			t.Errorf("exit-code output %q, want 1", got)
		}
		sarif := r.Outputs["check"]["sarif-file"]
		up, ok := r.Uses["github/codeql-action/upload-sarif@v4"]
		if !ok || up["sarif_file"] != sarif || up["category"] != "seaworthy" {
			t.Errorf("upload-sarif step: taken %v with %v, want sarif_file %s", ok, up, sarif)
		}
		data, err := os.ReadFile(sarif)
		if err != nil {
			t.Fatal(err)
		}
		var log struct {
			Runs []struct {
				Results []struct {
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI string } `json:"artifactLocation"`
						} `json:"physicalLocation"`
					}
				}
			}
		}
		if err := json.Unmarshal(data, &log); err != nil || len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 {
			t.Fatalf("SARIF file: %v, %d runs\n%s", err, len(log.Runs), data)
		}
		// Code scanning resolves URIs against the checkout: they must be
		// relative to the workspace.
		if uri := log.Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; strings.HasPrefix(uri, "/") || strings.HasPrefix(uri, "file:") {
			t.Errorf("SARIF artifact URI %q is not relative to the workspace", uri)
		}
		if !strings.Contains(r.Summary, "### seaworthy") || !strings.Contains(r.Summary, "Found ") {
			t.Errorf("job summary:\n%s", r.Summary)
		}
	})

	t.Run("fail-on none", func(t *testing.T) {
		r := runAction(t, bad, map[string]string{"fail-on": "none"})
		if r.Failed != "" || r.Outputs["check"]["exit-code"] != "0" {
			t.Errorf("failed %q, exit-code %q; want a passing job\n%s", r.Failed, r.Outputs["check"]["exit-code"], r.Log)
		}
	})

	t.Run("github annotations", func(t *testing.T) {
		r := runAction(t, bad, map[string]string{"format": "github", "min-severity": "error"})
		if r.Failed != "Fail on findings" {
			t.Errorf("failed %q, want \"Fail on findings\"\n%s", r.Failed, r.Log)
		}
		if !strings.Contains(r.Log, "::error file=Dockerfile,line=") {
			t.Errorf("no error annotation on Dockerfile in the log:\n%s", r.Log)
		}
		if strings.Contains(r.Log, "::warning ") || strings.Contains(r.Log, "::notice ") {
			t.Errorf("min-severity error still annotates warnings:\n%s", r.Log)
		}
		if _, ok := r.Uses["github/codeql-action/upload-sarif@v4"]; ok {
			t.Error("format github uploads SARIF")
		}
	})

	t.Run("clean project", func(t *testing.T) {
		r := runAction(t, sampleWorkspace(t, "good-api"), map[string]string{"production": "true"})
		if r.Failed != "" || r.Outputs["check"]["exit-code"] != "0" || !strings.Contains(r.Summary, "No problems found") {
			t.Errorf("failed %q, exit-code %q, summary %q\n%s", r.Failed, r.Outputs["check"]["exit-code"], r.Summary, r.Log)
		}
	})

	t.Run("bad inputs", func(t *testing.T) {
		for _, c := range []struct {
			inputs map[string]string
			want   string
		}{
			{map[string]string{"format": "xml"}, `::error title=seaworthy::input format is "xml": want sarif or github`},
			{map[string]string{"production": "yes"}, `input production is "yes": want true or false`},
			{map[string]string{"config": "ci/seaworthy.yaml"}, "ci/seaworthy.yaml"},
			{map[string]string{"fail-on": "sometimes"}, `"sometimes"`},
		} {
			r := runAction(t, bad, c.inputs)
			if r.Failed != "Check" || !strings.Contains(r.Log, c.want) {
				t.Errorf("inputs %v: failed %q, want Check to fail saying %q\n%s", c.inputs, r.Failed, c.want, r.Log)
			}
		}
	})
}

// actionlint returns the path of actionlint: on PATH, or where
// scripts/integrations-setup.sh's `go install` puts it.
func actionlint(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("actionlint"); err == nil {
		return p
	}
	out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output()
	if err == nil {
		dirs := strings.Split(strings.TrimSpace(string(out)), "\n")
		for _, d := range []string{dirs[0], filepath.Join(dirs[len(dirs)-1], "bin")} {
			if p := filepath.Join(d, "actionlint"); d != "" && fileExists(p) {
				return p
			}
		}
	}
	t.Fatal("actionlint not found; run scripts/integrations-setup.sh")
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// TestActionlint lints the README's sample workflow with actionlint, as
// written and with the action taken from this checkout (`uses: ./`), so
// actionlint also checks the workflow's inputs against action.yml.
func TestActionlint(t *testing.T) {
	lint := actionlint(t)
	sample := readmeBlock(t, "# .github/workflows/seaworthy.yml")
	const remote = "uses: seaworthy-dev/seaworthy@main"
	if !strings.Contains(sample, remote) {
		t.Fatalf("the README's workflow does not use %q:\n%s", remote, sample)
	}
	run := func(workflow string) (string, error) {
		t.Helper()
		dir := t.TempDir()
		if out, err := exec.Command("git", "init", "-q", dir).CombinedOutput(); err != nil {
			t.Fatalf("git init: %v\n%s", err, out)
		}
		copyFile(t, filepath.Join(repoRoot(t), "action.yml"), filepath.Join(dir, "action.yml"), 0o644)
		wf := filepath.Join(dir, ".github", "workflows", "seaworthy.yml")
		if err := os.MkdirAll(filepath.Dir(wf), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(wf, []byte(workflow), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(lint, "-no-color")
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run(sample); err != nil {
		t.Errorf("actionlint on the README's workflow: %v\n%s", err, out)
	}
	local := strings.Replace(sample, remote, "uses: ./", 1)
	if out, err := run(local); err != nil {
		t.Errorf("actionlint on the README's workflow with uses: ./: %v\n%s", err, out)
	}
	// actionlint reads action.yml: an input it does not declare is an error.
	if out, err := run(strings.Replace(local, "fail-on: error", "fail-on: error\n          fail-level: error", 1)); err == nil || !strings.Contains(out, `"fail-level" is not defined`) {
		t.Errorf("actionlint accepted an undeclared input (%v):\n%s", err, out)
	}
}
