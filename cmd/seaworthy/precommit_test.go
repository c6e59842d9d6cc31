package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// hookFile is what the tests read of .pre-commit-hooks.yaml.
type hookFile []struct {
	ID            string `yaml:"id"`
	Language      string `yaml:"language"`
	Entry         string `yaml:"entry"`
	Files         string `yaml:"files"`
	PassFilenames *bool  `yaml:"pass_filenames"`
}

func readHooks(t *testing.T) hookFile {
	t.Helper()
	var hooks hookFile
	readRepoYAML(t, ".pre-commit-hooks.yaml", &hooks)
	return hooks
}

// TestHookFiles: the hook's files pattern (a Python regular expression
// that pre-commit searches each staged path with; this one is also valid
// RE2) takes every file seaworthy reads through a project and no other.
func TestHookFiles(t *testing.T) {
	hooks := readHooks(t)
	if len(hooks) != 1 || hooks[0].ID != "seaworthy" || hooks[0].Language != "golang" || hooks[0].PassFilenames == nil || *hooks[0].PassFilenames {
		t.Fatalf("hooks %+v: want one, seaworthy, language golang, pass_filenames false", hooks)
	}
	files := regexp.MustCompile(hooks[0].Files)
	for _, p := range []string{
		"Dockerfile", "services/api/Dockerfile", "Dockerfile.prod", "Dockerfile-dev", "api.Dockerfile",
		"deploy/worker.dockerfile", "Containerfile", ".dockerignore", "api/.dockerignore",
		"Dockerfile.dockerignore", "api.Dockerfile.dockerignore",
		"compose.yaml", "compose.yml", "compose.override.yaml", "docker-compose.yml",
		"docker-compose.prod.yml", "deploy/docker-compose.ci.yaml", "docker-compose-dev.yml",
		"package.json", "apps/web/package.json",
	} {
		if !files.MatchString(p) {
			t.Errorf("files pattern skips %s", p)
		}
	}
	for _, p := range []string{
		"README.md", "package-lock.json", "src/server.js", "mydocker-compose.yml", "notcompose.yaml",
		"composer.json", "docs/Dockerfiles.md", "compose.json", ".github/workflows/ci.yml",
	} {
		if files.MatchString(p) {
			t.Errorf("files pattern takes %s", p)
		}
	}
}

// TestPreCommit runs the hook with the real pre-commit (`pre-commit
// try-repo` on this repository, which builds it with language golang) in
// a temporary git repository: the hook IDs are the README's snippet's; a
// bad Dockerfile fails the hook, a clean project passes, a commit without
// a Dockerfile, ignore, compose or package.json file skips it.
func TestPreCommit(t *testing.T) {
	if _, err := exec.LookPath("pre-commit"); err != nil {
		t.Fatal("pre-commit not found; run scripts/integrations-setup.sh (Debian package pre-commit)")
	}
	var config struct {
		Repos []struct {
			Repo  string `yaml:"repo"`
			Hooks []struct {
				ID string `yaml:"id"`
			} `yaml:"hooks"`
		} `yaml:"repos"`
	}
	if err := yaml.Unmarshal([]byte(readmeBlock(t, "# .pre-commit-config.yaml")), &config); err != nil {
		t.Fatalf("the README's .pre-commit-config.yaml: %v", err)
	}
	if len(config.Repos) != 1 || config.Repos[0].Repo != "https://github.com/seaworthy-dev/seaworthy" || len(config.Repos[0].Hooks) != 1 {
		t.Fatalf("the README's .pre-commit-config.yaml: %+v, want one seaworthy repo with one hook", config)
	}
	hook := config.Repos[0].Hooks[0].ID

	gomodcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(),
		"PRE_COMMIT_HOME="+t.TempDir(),
		// pre-commit builds the hook with GOPATH in its own cache; the
		// module cache stays the machine's, so the build downloads nothing
		// twice.
		"GOMODCACHE="+strings.TrimSpace(string(gomodcache)),
		"GIT_AUTHOR_NAME=test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=test", "GIT_COMMITTER_EMAIL=test@example.com",
		"NO_COLOR=1")
	git := func(dir string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	project := func(files map[string]string) string {
		t.Helper()
		dir := t.TempDir()
		git(dir, "init", "-q")
		for name, text := range files {
			p := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		git(dir, "add", "-A")
		return dir
	}
	try := func(dir string, args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command("pre-commit", append([]string{"try-repo", repoRoot(t), hook}, args...)...)
		cmd.Dir = dir
		cmd.Env = env
		return runCmd(t, cmd)
	}

	bad := project(map[string]string{
		"Dockerfile": "FROM node\nCOPY . .\nRUN npm install\nCMD npm start\n",
		"README.md":  "# app\n",
	})
	out, code := try(bad, "--files", "Dockerfile")
	if code != 1 || !regexp.MustCompile(`seaworthy\.+Failed`).MatchString(out) || !strings.Contains(out, "DF013") {
		t.Errorf("bad Dockerfile: exit %d, want the hook to fail with DF013:\n%s", code, out)
	}
	out, code = try(bad, "--files", "README.md")
	if code != 0 || !strings.Contains(out, "(no files to check)Skipped") {
		t.Errorf("README.md alone: exit %d, want the hook skipped:\n%s", code, out)
	}

	good := t.TempDir()
	if err := os.CopyFS(good, os.DirFS(filepath.Join(repoRoot(t), "examples", "good-api"))); err != nil {
		t.Fatal(err)
	}
	git(good, "init", "-q")
	if err := os.WriteFile(filepath.Join(good, "docker-compose.prod.yml"), []byte("services:\n  api:\n    build: .\n    init: true\n    read_only: true\n    restart: unless-stopped\n    healthcheck:\n      test: [\"CMD\", \"node\", \"healthcheck.js\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git(good, "add", "-A")
	out, code = try(good, "--files", "docker-compose.prod.yml")
	if !regexp.MustCompile(`seaworthy\.+(Passed|Failed)`).MatchString(out) {
		t.Errorf("docker-compose.prod.yml: exit %d, want the hook to run:\n%s", code, out)
	}
	out, code = try(good, "--all-files")
	t.Logf("clean project:\n%s", out)
	if code != 0 || !regexp.MustCompile(`seaworthy\.+Passed`).MatchString(out) {
		t.Errorf("clean project: exit %d, want the hook to pass:\n%s", code, out)
	}
}
