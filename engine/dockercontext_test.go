package engine

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestContextHost reads contexts the real docker CLI creates and selects.
func TestContextHost(t *testing.T) {
	if _, err := exec.LookPath("docker"); err != nil {
		t.Fatal("the docker CLI is needed (Debian package docker.io)")
	}
	dir := t.TempDir()
	docker := func(args ...string) {
		t.Helper()
		cmd := exec.Command("docker", args...)
		cmd.Env = append(os.Environ(), "DOCKER_CONFIG="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	env := map[string]string{"DOCKER_CONFIG": dir}
	getenv := func(k string) string { return env[k] }
	host := func() string {
		t.Helper()
		h, err := contextHost(getenv)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}

	if h := host(); h != "" {
		t.Errorf("no config.json: host %q, want the default", h)
	}
	docker("context", "create", "remote-box", "--docker", "host=tcp://10.1.2.3:2375")
	docker("context", "create", "rootless", "--docker", "host=unix:///run/user/1000/docker.sock")
	if h := host(); h != "" {
		t.Errorf("no current context: host %q, want the default", h)
	}
	docker("context", "use", "rootless")
	if h := host(); h != "unix:///run/user/1000/docker.sock" {
		t.Errorf("after `docker context use rootless`: host %q", h)
	}
	env["DOCKER_CONTEXT"] = "remote-box"
	if h := host(); h != "tcp://10.1.2.3:2375" {
		t.Errorf("DOCKER_CONTEXT=remote-box: host %q", h)
	}
	env["DOCKER_CONTEXT"] = "default"
	if h := host(); h != "" {
		t.Errorf("DOCKER_CONTEXT=default: host %q", h)
	}
	env["DOCKER_CONTEXT"] = "gone"
	if _, err := contextHost(getenv); err == nil || !strings.Contains(err.Error(), `Docker context "gone" (from DOCKER_CONTEXT) not found`) {
		t.Errorf("unknown context: %v", err)
	}
	delete(env, "DOCKER_CONTEXT")
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := contextHost(getenv); err == nil || !strings.Contains(err.Error(), "config.json") {
		t.Errorf("broken config.json: %v", err)
	}
}
