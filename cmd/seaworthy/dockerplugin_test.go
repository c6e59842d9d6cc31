package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seaworthy-dev/seaworthy/internal/enginetest"
)

// pluginDocker installs the binary as a Docker CLI plugin with the
// README's lines, in a fresh HOME with the binary on PATH, and returns a
// function that runs the real docker CLI there with DOCKER_HOST as given
// ("" unsets it) and returns its combined output and exit code. The
// README's last line, `docker seaworthy check`, runs in project.
func pluginDocker(t *testing.T, bin, project string) (config string, docker func(host string, args ...string) (string, int)) {
	t.Helper()
	if _, err := exec.LookPath("docker"); err != nil {
		t.Fatal("the docker CLI is needed (Debian package docker.io)")
	}
	home := t.TempDir()
	config = filepath.Join(home, ".docker")
	bindir := t.TempDir()
	copyFile(t, bin, filepath.Join(bindir, "seaworthy"), 0o755)
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG", "HOME", "PATH":
		default:
			env = append(env, kv)
		}
	}
	env = append(env, "HOME="+home, "PATH="+bindir+string(os.PathListSeparator)+os.Getenv("PATH"), "NO_COLOR=1")
	run := func(cmd *exec.Cmd, host string) (string, int) {
		t.Helper()
		cmd.Env = env
		if host != "" {
			cmd.Env = append(env, "DOCKER_HOST="+host)
		}
		return runCmd(t, cmd)
	}

	snippet := readmeBlock(t, "# the docker CLI plugin")
	sh := exec.Command("bash", "-c", snippet)
	sh.Dir = project
	out, code := run(sh, "")
	if code != 1 || !strings.Contains(out, "Dockerfile:1:") {
		t.Fatalf("the README's plugin lines: exit %d, want 1 with findings in the Dockerfile:\n%s", code, out)
	}
	docker = func(host string, args ...string) (string, int) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		return run(exec.CommandContext(ctx, "docker", args...), host)
	}
	return config, docker
}

// TestDockerPlugin runs the binary as `docker seaworthy` with the real
// docker CLI: the CLI lists it, runs check, audits an image of the
// engine, and the plugin's verify finds the engine by DOCKER_HOST, by -H,
// by `docker context use` and by --context, as the CLI's own commands do.
func TestDockerPlugin(t *testing.T) {
	e := enginetest.Shared(t)
	bin := e.Binary(t)
	project := t.TempDir()
	if err := os.WriteFile(filepath.Join(project, "Dockerfile"), []byte("FROM node\nCOPY . .\nRUN npm install\nCMD npm start\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	config, docker := pluginDocker(t, bin, project)

	out, code := docker("", "--help")
	if code != 0 || !strings.Contains(out, "seaworthy*") || !strings.Contains(out, "Check that a Node.js service is ready for production containers") {
		t.Errorf("docker --help (exit %d) does not list the plugin:\n%s", code, out)
	}
	// The metadata, as the CLI reads it.
	meta, err := exec.Command(filepath.Join(config, "cli-plugins", "docker-seaworthy"), "docker-cli-plugin-metadata").Output()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(meta, &m); err != nil {
		t.Fatalf("metadata %s: %v", meta, err)
	}
	if m["SchemaVersion"] != "0.1.0" || m["Vendor"] != "seaworthy-dev" || m["Version"] == "" || m["URL"] != "https://github.com/seaworthy-dev/seaworthy" {
		t.Errorf("metadata %v", m)
	}

	out, code = docker("", "seaworthy", "check", "--format", "json", project)
	if code != 1 || !strings.Contains(out, `"rule": "DF001"`) {
		t.Errorf("docker seaworthy check: exit %d, want 1 with DF001:\n%s", code, out)
	}
	out, code = docker("", "seaworthy", "version")
	if code != 0 || !strings.HasPrefix(out, "seaworthy ") {
		t.Errorf("docker seaworthy version: exit %d\n%s", code, out)
	}

	// audit reads an image from the engine the CLI points it at: one
	// built from the test base with an .npmrc holding a token, as root,
	// with a shell-form command.
	e.Base(t, enginetest.Node22Slim)
	bad := t.TempDir()
	for name, data := range map[string]string{
		"Dockerfile": "FROM " + enginetest.Node22Slim + "\nWORKDIR /app\nCOPY . .\nCMD node server.js\n",
		"server.js":  "require('http').createServer().listen(3000)\n",
		".npmrc":     "//registry.npmjs.org/:_authToken=npm_a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6\n",
	} {
		if err := os.WriteFile(filepath.Join(bad, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const audited = "seaworthy-test/plugin-audit:1"
	e.Build(t, bad, audited)
	out, code = docker(e.Host, "seaworthy", "audit", "--format", "json", "docker-daemon:"+audited)
	for _, rule := range []string{"IM001", "IM005", "IM010"} {
		if code != 1 || !strings.Contains(out, `"rule": "`+rule+`"`) {
			t.Errorf("docker seaworthy audit docker-daemon:%s: exit %d, want 1 with %s:\n%s", audited, code, rule, out)
		}
	}
	if strings.Contains(out, "npm_a1b2c3") {
		t.Errorf("docker seaworthy audit prints the token:\n%s", out)
	}
	out, code = docker("unix:///nonexistent/docker.sock", "seaworthy", "audit", "docker-daemon:"+audited)
	if code != 2 || !strings.Contains(out, `image "`+audited+`": engine unreachable at unix:///nonexistent/docker.sock`) {
		t.Errorf("docker seaworthy audit with no engine: exit %d, want 2 naming the image and the engine:\n%s", code, out)
	}

	// verify reaches an engine when it reports the image missing there;
	// with no engine it says it cannot reach the one it tried.
	const image = "seaworthy-test/no-such-image"
	reached := func(how string, host string, args ...string) {
		t.Helper()
		out, code := docker(host, append(args, "seaworthy", "verify", image)...)
		if code != 2 || !strings.Contains(out, `image "`+image+`" not found`) {
			t.Errorf("%s: exit %d, want the test engine to answer that the image is missing:\n%s", how, code, out)
		}
	}
	const nowhere = "unix:///nonexistent/docker.sock"
	reached("DOCKER_HOST", e.Host)
	reached("-H", "", "-H", e.Host)
	out, code = docker(nowhere, "seaworthy", "verify", image)
	if code != 2 || !strings.Contains(out, "cannot reach the Docker engine at "+nowhere) {
		t.Errorf("DOCKER_HOST=%s: exit %d, want it named as unreachable:\n%s", nowhere, code, out)
	}

	if out, code := docker("", "context", "create", "sw-test", "--docker", "host="+e.Host); code != 0 {
		t.Fatalf("docker context create: %s", out)
	}
	reached("--context", nowhere, "--context", "sw-test") // the flag wins over DOCKER_HOST, as for the CLI
	if out, code := docker("", "context", "use", "sw-test"); code != 0 {
		t.Fatalf("docker context use: %s", out)
	}
	reached("docker context use", "")
	out, code = docker(nowhere, "seaworthy", "verify", image) // DOCKER_HOST wins over the current context
	if code != 2 || !strings.Contains(out, nowhere) {
		t.Errorf("DOCKER_HOST over the current context: exit %d:\n%s", code, out)
	}
	out, code = docker("", "--context", "sw-test", "-H", e.Host, "seaworthy", "version")
	if code == 0 || !strings.Contains(out, "conflicting options") {
		t.Errorf("--context with -H: exit %d, want conflicting options:\n%s", code, out)
	}
}
