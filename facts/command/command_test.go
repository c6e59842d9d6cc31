package command

import (
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// commandsOf parses a one-RUN Dockerfile and returns its shell commands.
func commandsOf(t *testing.T, run string) []*dockerfile.ShellCommand {
	t.Helper()
	f, err := dockerfile.Parse("Dockerfile", []byte("FROM debian\nRUN "+run+"\n"), dockerfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := f.Stages[0].Instructions[0]
	if in.Script == nil || len(in.Script.Commands) == 0 {
		t.Fatalf("no commands in %q", run)
	}
	return in.Script.Commands
}

func TestWords(t *testing.T) {
	for run, want := range map[string]string{
		"apt-get install -y curl":                   "apt-get install -y curl",
		"sudo -E apt-get install -y curl":           "apt-get install -y curl",
		"sudo -u app npm ci":                        "npm ci",
		"env NODE_ENV=production npm ci":            "npm ci",
		"nice -n 5 nohup node build.js":             "node build.js",
		"gosu node npm start":                       "npm start",
		"sudo env A=b gosu node npm start":          "npm start",
		"gosu node":                                 "gosu node", // nothing to run: not a wrapper call
		"/usr/bin/sudo /usr/bin/apt-get update -qq": "/usr/bin/apt-get update -qq",
	} {
		got := strings.Join(Words(commandsOf(t, run)[0]), " ")
		if got != want {
			t.Errorf("Words(%q) = %q, want %q", run, got, want)
		}
	}
}

func TestTransparentWrapper(t *testing.T) {
	words := func(s ...string) []LaunchWord {
		out := make([]LaunchWord, len(s))
		for i, w := range s {
			out[i] = LaunchWord{Text: w}
		}
		return out
	}
	for _, c := range []struct {
		argv []string
		want int
	}{
		{[]string{"su-exec", "node", "node", "server.js"}, 2},
		{[]string{"env", "PORT=3000", "node", "server.js"}, 2},
		{[]string{"nohup", "node", "server.js"}, 1},
		{[]string{"node", "server.js"}, 0},
		{[]string{"gosu", "node"}, 0},
	} {
		if got := TransparentWrapper(words(c.argv...)); got != c.want {
			t.Errorf("TransparentWrapper(%q) = %d, want %d", c.argv, got, c.want)
		}
	}
}

func TestNames(t *testing.T) {
	for name, want := range map[string]string{
		"/usr/local/bin/node":           "node",
		`node_modules\.bin\nodemon.cmd`: "nodemon",
		"C:/nodejs/node.exe":            "node",
		"build.exe.sh":                  "build.exe.sh",
		".exe":                          ".exe",
		"docker-entrypoint.sh":          "docker-entrypoint.sh",
	} {
		if got := BaseName(name); got != want {
			t.Errorf("BaseName(%q) = %q, want %q", name, got, want)
		}
	}
	for _, sh := range []string{"sh", "/bin/bash", "ash", "dash", "zsh", "ksh", "/bin/mksh"} {
		if !IsShell(sh) {
			t.Errorf("IsShell(%q) = false", sh)
		}
	}
	for _, notSh := range []string{"node", "shell", "fish-like", "pwsh"} {
		if IsShell(notSh) {
			t.Errorf("IsShell(%q) = true", notSh)
		}
	}
	for _, init := range []string{"tini", "/sbin/tini", "tini-static", "dumb-init", "/init", "catatonit"} {
		if !IsInit(init) {
			t.Errorf("IsInit(%q) = false", init)
		}
	}
	for _, notInit := range []string{"init.sh", "/usr/bin/init-db", "node"} {
		if IsInit(notInit) {
			t.Errorf("IsInit(%q) = true", notInit)
		}
	}
}

func TestLastCall(t *testing.T) {
	for script, want := range map[string]string{
		"npm run migrate && exec node server.js":                                 "exec node server.js",
		"npm run migrate && npm start":                                           "npm start",
		"set -e\nif [ -n \"$X\" ]; then exec node a.js; else exec node b.js; fi": "exec node b.js",
		"start() { exec node server.js; }\nstart":                                "exec node server.js",
		"node server.js &\nwait":                                                 "node server.js",
		// hyperdx's entry.local.base.sh: messages between the jobs and wait.
		"node server.js &\necho \"\"\necho \"Visit the UI\"\nwait -n\nexit $?": "node server.js",
		// Near miss: with no wait, the echo is the last command.
		"node server.js\necho done": "echo done",
	} {
		words, execd, ok := LastCall(script)
		got := strings.Join(words, " ")
		if execd {
			got = "exec " + got
		}
		if !ok || got != want {
			t.Errorf("LastCall(%q) = %q, %v, want %q", script, got, ok, want)
		}
	}
	if _, _, ok := LastCall("if then fi ((("); ok {
		t.Error("a script that does not parse has no last call")
	}
}

func TestDownloadIntoShell(t *testing.T) {
	for text, want := range map[string]string{
		"curl -fsSL https://get.pnpm.io/install.sh | sh -":             "curl -fsSL https://get.pnpm.io/install.sh",
		"wget -qO- https://x.io/i.sh | sudo -E bash":                   "wget -qO- https://x.io/i.sh",
		`sh -c "$(curl -fsSL https://x.io/i.sh)"`:                      "curl -fsSL https://x.io/i.sh",
		"bash <(curl -s https://x.io/i.sh)":                            "curl -s https://x.io/i.sh",
		"curl -fsSL https://x.io/a.tar.gz | tar -xz -C /opt":           "",
		"curl -fsSL https://x.io/i.sh -o i.sh && sh -c 'echo hi'":      "",
		"curl -s https://deb.nodesource.com/setup_22.x | bash - && ls": "curl -s https://deb.nodesource.com/setup_22.x",
	} {
		if got := DownloadIntoShell(text); got != want {
			t.Errorf("DownloadIntoShell(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestInitSignalsGroup(t *testing.T) {
	for line, want := range map[string]bool{
		"dumb-init pnpm run start":           true,
		"dumb-init -- node server.js":        true,
		"dumb-init --single-child npm start": false,
		"dumb-init -c -- npm start":          false,
		"tini -- npm start":                  false,
		"tini -g -- npm start":               true,
		"/usr/bin/tini -s -g -- npm start":   true,
		"npm start":                          false,
	} {
		var ws []LaunchWord
		for _, f := range strings.Fields(line) {
			ws = append(ws, LaunchWord{Text: f})
		}
		if got := InitSignalsGroup(ws); got != want {
			t.Errorf("InitSignalsGroup(%q) = %v, want %v", line, got, want)
		}
	}
}
