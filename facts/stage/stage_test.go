package stage

import (
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile/dockerfiletest"
)

func parse(t *testing.T, src string) *dockerfile.File {
	t.Helper()
	return dockerfiletest.Parse(t, src)
}

func final(f *dockerfile.File) *dockerfile.Stage { return f.Stages[len(f.Stages)-1] }

// TestProcess: the process a container runs, through Docker's rules for
// CMD and ENTRYPOINT across stages and what stands in front of the app.
func TestProcess(t *testing.T) {
	for _, c := range []struct {
		name, src string
		argv      string // "" when the process cannot be resolved
		init      string
		shell     bool
		script    string
	}{
		{"exec form", "FROM node:22\nCMD [\"node\", \"server.js\"]\n", "node server.js", "", false, ""},
		{"inherited CMD", "FROM node:22 AS base\nCMD [\"node\", \"a.js\"]\nFROM base\nRUN true\n", "node a.js", "", false, ""},
		{"ENTRYPOINT resets an inherited CMD", "FROM node:22 AS base\nCMD [\"node\", \"a.js\"]\nFROM base\nENTRYPOINT [\"node\", \"b.js\"]\n", "node b.js", "", false, ""},
		{"init", "FROM node:22\nENTRYPOINT [\"tini\", \"--\"]\nCMD [\"node\", \"s.js\"]\n", "node s.js", "tini", false, ""},
		{"shell form", "FROM node:22\nCMD node s.js\n", "node s.js", "", true, ""},
		{"sh -c with exec", "FROM node:22\nCMD [\"sh\", \"-c\", \"npm run migrate && exec node s.js\"]\n", "node s.js", "", false, ""},
		{"wrappers", "FROM node:22\nCMD [\"su-exec\", \"node\", \"env\", \"PORT=3\", \"node\", \"s.js\"]\n", "node s.js", "", false, ""},
		{"official node entrypoint adds node", "FROM node:22\nCMD [\"server.js\"]\n", "node server.js", "", false, ""},
		{"script", "FROM node:22\nCOPY entrypoint.sh /\nENTRYPOINT [\"/entrypoint.sh\"]\nCMD [\"node\", \"s.js\"]\n", "/entrypoint.sh node s.js", "", false, "/entrypoint.sh"},
		{"no command", "FROM node:22\nRUN true\n", "", "", false, ""},
	} {
		f := parse(t, c.src)
		p, ok := ProcessOf(f, final(f))
		argv := ""
		if ok {
			words := make([]string, len(p.Argv))
			for i, w := range p.Argv {
				words[i] = w.Text
			}
			argv = strings.Join(words, " ")
		}
		script := ""
		if p.Script != nil {
			script = p.Script.Text
		}
		if argv != c.argv || p.Init != c.init || p.ShellFront != c.shell || script != c.script {
			t.Errorf("%s: argv %q init %q shell %v script %q; want %q %q %v %q", c.name, argv, p.Init, p.ShellFront, script, c.argv, c.init, c.shell, c.script)
		}
	}
}

// TestShippedAndNode: which stages reach the final image, and which run
// Node.
func TestShippedAndNode(t *testing.T) {
	f := parse(t, `FROM node:22 AS build
RUN npm ci && npm run build
FROM debian:12 AS tools
RUN apt-get update && apt-get install -y nodejs
FROM build AS runtime-base
FROM gcr.io/distroless/nodejs22-debian12
COPY --from=build /app /app
CMD ["app/server.js"]
`)
	var shipped, node []bool
	for _, st := range f.Stages {
		shipped = append(shipped, Shipped(f, st))
		node = append(node, IsNode(st))
	}
	// Stages: build, tools, runtime-base (FROM build), the final one.
	if shipped[0] || shipped[1] || shipped[2] || !shipped[3] {
		t.Errorf("shipped = %v: only the final stage ships (COPY --from takes files, not the stage)", shipped)
	}
	if !node[0] || !node[1] || !node[2] || !node[3] {
		t.Errorf("node = %v: node images, an apt install of nodejs and distroless nodejs are Node stages", node)
	}
}

// TestOmitsDevDependencies: an install that omits devDependencies, a later
// prune, NODE_ENV=production in force, or node_modules copied from a
// stage that did one of those.
func TestOmitsDevDependencies(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      bool
	}{
		{"omit flag", "FROM node:22\nRUN npm ci --omit=dev\n", true},
		{"plain install", "FROM node:22\nRUN npm ci\n", false},
		{"pruned later", "FROM node:22\nRUN npm ci\nRUN npm run build && npm prune --omit=dev\n", true},
		{"NODE_ENV before", "FROM node:22\nENV NODE_ENV=production\nRUN npm ci\n", true},
		{"NODE_ENV after", "FROM node:22\nRUN npm ci\nENV NODE_ENV=production\n", false},
		{"bare prune under NODE_ENV", "FROM node:22\nRUN npm ci\nENV NODE_ENV=production\nRUN npm prune\n", true},
		{"include dev wins", "FROM node:22\nENV NODE_ENV=production\nRUN npm ci --include=dev\n", false},
		{"copied from a pruned stage", "FROM node:22 AS deps\nRUN npm ci --omit=dev\nFROM node:22-slim\nCOPY --from=deps /app/node_modules ./node_modules\n", true},
		{"copied from a full stage", "FROM node:22 AS deps\nRUN npm ci\nFROM node:22-slim\nCOPY --from=deps /app/node_modules ./node_modules\n", false},
	} {
		f := parse(t, c.src)
		if _, _, got := OmitsDevDependencies(f, final(f)); got != c.want {
			t.Errorf("%s: OmitsDevDependencies = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestScopes: paths resolve against WORKDIR and ENV/ARG values in force
// before each instruction, through the stages a stage builds on.
func TestScopes(t *testing.T) {
	f := parse(t, `FROM node:22 AS base
ENV APP_HOME=/srv/app
WORKDIR $APP_HOME
FROM base
WORKDIR api
ARG CACHE=/tmp/cache
COPY . .
RUN rm -rf ${CACHE}/x
`)
	st := final(f)
	scopes := Scopes(st)
	in := st.Instructions[2] // COPY
	if got := scopes[in].Resolve("."); got != "/srv/app/api" {
		t.Errorf("COPY destination . resolves to %q, want /srv/app/api", got)
	}
	run := st.Instructions[3]
	if got := scopes[run].Resolve("${CACHE}/x"); got != "/tmp/cache/x" {
		t.Errorf("${CACHE}/x resolves to %q, want /tmp/cache/x", got)
	}
	if got := Workdir(st); got != "" {
		t.Errorf("Workdir = %q, want \"\" (it depends on a variable)", got)
	}
	g := parse(t, "FROM node:22 AS base\nWORKDIR /srv\nFROM base\nWORKDIR app\n")
	if got := Workdir(final(g)); got != "/srv/app" {
		t.Errorf("Workdir = %q, want /srv/app", got)
	}
	if v, ok := EnvBefore(st, "APP_HOME", run.StartLine); !ok || v != "/srv/app" {
		t.Errorf("EnvBefore(APP_HOME) = %q, %v", v, ok)
	}
	if Home("/root/.npm") != "$HOME/.npm" || Home("/home/node/.cache") != "$HOME/.cache" || Home("/app") != "/app" {
		t.Error("Home does not write home directories as $HOME")
	}
}

// TestExpandDefaults: `${X:-default}` reads the default when X is not set
// (or, for `:-`, empty); set variables win.
func TestExpandDefaults(t *testing.T) {
	s := Scope{Vars: map[string]string{"PORT": "8080", "EMPTY": ""}}
	for in, want := range map[string]string{
		"${PORT:-3333}":   "8080",
		"${NOPE:-3333}":   "3333",
		"${EMPTY:-3333}":  "3333",
		"${EMPTY-3333}":   "",
		"$PORT/tcp":       "8080/tcp",
		"${NOPE}":         "${NOPE}",
		"${NOPE:-$PORT}":  "8080",
		"${NOPE:-$OTHER}": "${NOPE:-$OTHER}",
		"3000":            "3000",
	} {
		if got := s.ExpandDefaults(in); got != want {
			t.Errorf("ExpandDefaults(%q) = %q, want %q", in, got, want)
		}
	}
}
