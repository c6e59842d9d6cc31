package nodeapp

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

var shapeDay = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// project writes files (name → content) under a fresh repository root
// and loads the package in dir.
func project(t *testing.T, dir string, files map[string]string) *nodeproject.Package {
	t.Helper()
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pkg, err := nodeproject.Load(filepath.Join(root, filepath.FromSlash(dir)))
	if err != nil || pkg == nil {
		t.Fatalf("Load: %v", err)
	}
	return pkg
}

func TestToolchainOf(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string // manager@version berry lockfile
		pnp   bool
	}{
		{"npm lockfile", map[string]string{"package.json": `{}`, "package-lock.json": `{}`}, "npm@ false package-lock.json", false},
		{"no lockfile", map[string]string{"package.json": `{}`}, "npm@ false ", false},
		{"pnpm field with hash", map[string]string{"package.json": `{"packageManager": "pnpm@9.15.9+sha512.abc"}`, "pnpm-lock.yaml": ""}, "pnpm@9.15.9 false pnpm-lock.yaml", false},
		{"yarn classic lockfile", map[string]string{"package.json": `{}`, "yarn.lock": "# yarn lockfile v1\n"}, "yarn@ false yarn.lock", false},
		// Fly's generator reads this one as Yarn 1: the lockfile header says berry.
		{"yarn berry by lockfile header", map[string]string{"package.json": `{}`, "yarn.lock": "# generated\n\n__metadata:\n  version: 8\n", ".yarnrc.yml": "nodeLinker: node-modules\n"}, "yarn@ true yarn.lock", false},
		{"yarn berry by yarnPath, Plug'n'Play", map[string]string{"package.json": `{}`, "yarn.lock": "", ".yarnrc.yml": "yarnPath: .yarn/releases/yarn-4.6.0.cjs\n"}, "yarn@4.6.0 true yarn.lock", true},
		{"yarn berry by field, no .yarnrc.yml", map[string]string{"package.json": `{"packageManager": "yarn@4.5.3"}`, "yarn.lock": ""}, "yarn@4.5.3 true yarn.lock", true},
		{"pnpm major from the lockfile", map[string]string{"package.json": `{}`, "pnpm-lock.yaml": "lockfileVersion: '6.0'\n"}, "pnpm@8 false pnpm-lock.yaml", false},
		{"bun", map[string]string{"package.json": `{}`, "bun.lock": "{}"}, "bun@ false bun.lock", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tc := ToolchainOf(project(t, ".", tt.files))
			got := tc.Manager + "@" + tc.Pin() + " " + map[bool]string{true: "true", false: "false"}[tc.Berry] + " " + tc.Lockfile
			if got != tt.want || tc.PnP != tt.pnp {
				t.Errorf("got %q pnp %v, want %q pnp %v (why: %v)", got, tc.PnP, tt.want, tt.pnp, tc.Why)
			}
		})
	}
}

func TestToolchainOfWorkspaceMember(t *testing.T) {
	pkg := project(t, "apps/api", map[string]string{
		"package.json":          `{"workspaces": ["apps/*"], "packageManager": "npm@10.9.2"}`,
		"package-lock.json":     `{}`,
		"apps/api/package.json": `{"name": "api"}`,
	})
	tc := ToolchainOf(pkg)
	if tc.Manager != "npm" || tc.Version != "10.9.2" || tc.Lockfile != "package-lock.json" || tc.LockDir == "" {
		t.Errorf("got %+v", tc)
	}
	if tc.FrozenInstall(false) != "npm ci" || tc.RunIn("build", "apps/api", "api") != "npm run build -w apps/api" {
		t.Errorf("install %q, run %q", tc.FrozenInstall(false), tc.RunIn("build", "apps/api", "api"))
	}
}

func TestNodeLineOfWorkspaceMember(t *testing.T) {
	pkg := project(t, "apps/api", map[string]string{
		"package.json":          `{"workspaces": ["apps/*"]}`,
		".nvmrc":                "24\n",
		"apps/api/package.json": `{"name": "api"}`,
	})
	if nl := NodeLineOf(pkg, shapeDay); nl.Major != 24 || nl.From != "the workspace root's .nvmrc" {
		t.Errorf("got %+v", nl)
	}
	// The member's own version wins.
	pkg = project(t, "apps/api", map[string]string{
		"package.json":          `{"workspaces": ["apps/*"]}`,
		".nvmrc":                "24\n",
		"apps/api/package.json": `{"name": "api", "engines": {"node": "22.x"}}`,
	})
	if nl := NodeLineOf(pkg, shapeDay); nl.Major != 22 || nl.From != "engines.node" {
		t.Errorf("got %+v", nl)
	}
}

func TestNodeLineOf(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		major int
		from  string
		note  string // a substring of the notes, "" for none
	}{
		{"nvmrc", map[string]string{".nvmrc": "v22.12.0\n"}, 22, ".nvmrc", ""},
		{"nvmrc codename", map[string]string{".nvmrc": "lts/krypton\n"}, 24, ".nvmrc", ""},
		{"node-version", map[string]string{".node-version": "24\n"}, 24, ".node-version", ""},
		{"tool-versions", map[string]string{".tool-versions": "python 3.12.1\nnodejs 22.11.0\n"}, 22, ".tool-versions", ""},
		{"engines range: newest LTS line it admits", map[string]string{"package.json": `{"engines": {"node": ">=20 <25"}}`}, 24, "engines.node", ""},
		{"engines open range", map[string]string{"package.json": `{"engines": {"node": ">=18"}}`}, 26, "engines.node", ""},
		{"end of life line", map[string]string{".nvmrc": "20\n"}, 20, ".nvmrc", "reached end of life on 2026-04-30"},
		{"engines only EOL", map[string]string{"package.json": `{"engines": {"node": "^18.0.0"}}`}, 18, "engines.node", "reached end of life"},
		{"version file against engines", map[string]string{".nvmrc": "22\n", "package.json": `{"engines": {"node": ">=24"}}`}, 22, ".nvmrc", "the version file wins"},
		{"nothing", nil, 26, "", "names no Node version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"package.json": `{}`}
			for k, v := range tt.files {
				files[k] = v
			}
			nl := NodeLineOf(project(t, ".", files), shapeDay)
			if nl.Major != tt.major || nl.From != tt.from {
				t.Errorf("got Node %d from %q, want %d from %q", nl.Major, nl.From, tt.major, tt.from)
			}
			notes := strings.Join(nl.Notes, "\n")
			if tt.note == "" && notes != "" || !strings.Contains(notes, tt.note) {
				t.Errorf("notes %q, want %q", notes, tt.note)
			}
		})
	}
}

// TestNodeLineOfPastTheSchedule: on a day past the release schedule's
// data no LTS line is supported; the choice is the newest LTS line it
// knows, and the note says the schedule is out of date.
func TestNodeLineOfPastTheSchedule(t *testing.T) {
	day := time.Date(2045, 1, 1, 0, 0, 0, 0, time.UTC)
	nl := NodeLineOf(project(t, ".", map[string]string{"package.json": `{}`}), day)
	if notes := strings.Join(nl.Notes, "\n"); nl.Major < 24 || !strings.Contains(notes, "has no LTS line supported on 2045-01-01: Node "+strconv.Itoa(nl.Major)+" is the newest it knows") {
		t.Errorf("got Node %d, notes %q; want the newest LTS line the schedule knows, and why", nl.Major, notes)
	}
	eol := NodeLineOf(project(t, ".", map[string]string{"package.json": `{}`, ".nvmrc": "20\n"}), day)
	if notes := strings.Join(eol.Notes, "\n"); eol.Major != 20 || !eol.EndOfLife || !strings.Contains(notes, "move the project to Node "+strconv.Itoa(nl.Major)) {
		t.Errorf("got Node %d, notes %q; want 20 past its end of life, moved to Node %d", eol.Major, notes, nl.Major)
	}
}

// TestShapeOfNativeAddonListedTwice: a native addon in dependencies and
// optionalDependencies is one addon.
func TestShapeOfNativeAddonListedTwice(t *testing.T) {
	pkg := project(t, ".", map[string]string{"package.json": `{"dependencies": {"bcrypt": "5"}, "optionalDependencies": {"bcrypt": "5"}, "scripts": {"start": "node index.js"}}`, "index.js": ""})
	s, err := ShapeOf(pkg, shapeDay)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.NativeAddons, ","); got != "bcrypt" {
		t.Errorf("native addons %q, want bcrypt once", got)
	}
}

func TestShapeOf(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		check func(t *testing.T, s *Shape)
	}{
		{"ts-node start maps to the build output", map[string]string{
			"package.json":  `{"scripts": {"build": "tsc", "start": "ts-node src/server.ts"}, "devDependencies": {"typescript": "5"}}`,
			"tsconfig.json": `{"compilerOptions": {"outDir": "out"}}`,
		}, func(t *testing.T, s *Shape) {
			if got := strings.Join(s.Start.Value, " "); got != "node out/server.js" {
				t.Errorf("start %q", got)
			}
		}},
		{"cross-env and node flags kept", map[string]string{
			"package.json": `{"scripts": {"start": "cross-env NODE_ENV=production node --enable-source-maps index.js"}}`,
		}, func(t *testing.T, s *Shape) {
			if got := strings.Join(s.Start.Value, " "); got != "node --enable-source-maps index.js" {
				t.Errorf("start %q", got)
			}
		}},
		{"no health route: none invented", map[string]string{
			"package.json": `{"main": "index.js"}`,
			"index.js":     "require('http').createServer((q, r) => r.end()).listen(4321)\n",
		}, func(t *testing.T, s *Shape) {
			if s.Health.Value != "" || !strings.Contains(s.Health.From, "none is invented") {
				t.Errorf("health %+v", s.Health)
			}
			if s.Port.Value != 4321 {
				t.Errorf("port %+v", s.Port)
			}
		}},
		{"port from the env example", map[string]string{
			"package.json": `{"main": "index.js"}`,
			".env.example": "PORT=5050\n",
			"index.js":     "require('http').createServer((q, r) => r.end()).listen(process.env.PORT)\n",
		}, func(t *testing.T, s *Shape) {
			if s.Port.Value != 5050 || s.Port.From != ".env.example sets PORT=5050" {
				t.Errorf("port %+v", s.Port)
			}
		}},
		{"prepare with husky needs devDependencies, patch-package needs patches", map[string]string{
			"package.json":    `{"scripts": {"prepare": "husky", "postinstall": "patch-package"}, "devDependencies": {"husky": "9"}, "dependencies": {"patch-package": "8"}}`,
			"patches/x.patch": "",
		}, func(t *testing.T, s *Shape) {
			if len(s.InstallScripts) != 2 || s.InstallScripts[0].Name != "postinstall" || strings.Join(s.InstallScripts[0].Needs, ",") != "patches" ||
				!s.InstallScripts[1].NeedsDev {
				t.Errorf("install scripts %+v", s.InstallScripts)
			}
		}},
		{"runtime sources: code and asset directories, no tests", map[string]string{
			"package.json":     `{"main": "app.js", "dependencies": {"express": "4"}}`,
			"app.js":           "require('./lib/routes');\n",
			"lib/routes.js":    "module.exports = 1;\n",
			"views/index.ejs":  "<h1>hi</h1>\n",
			"test/app.test.js": "require('../app');\n",
			"eslint.config.js": "module.exports = [];\n",
		}, func(t *testing.T, s *Shape) {
			if got := strings.Join(s.Sources, " "); got != "app.js lib views" {
				t.Errorf("sources %q", got)
			}
		}},
		{"private registry", map[string]string{
			"package.json": `{}`,
			".npmrc":       "; comment _authToken\n//registry.example/:_authToken=${TOKEN}\n",
		}, func(t *testing.T, s *Shape) {
			if s.Npmrc == nil || s.Npmrc.Value != ".npmrc" {
				t.Errorf("npmrc %+v", s.Npmrc)
			}
		}},
		{"public .npmrc is no secret", map[string]string{
			"package.json": `{}`,
			".npmrc":       "engine-strict=true\n",
		}, func(t *testing.T, s *Shape) {
			if s.Npmrc != nil {
				t.Errorf("npmrc %+v", s.Npmrc)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ShapeOf(project(t, ".", tt.files), shapeDay)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, s)
		})
	}
}

func TestBuildOutput(t *testing.T) {
	tests := []struct {
		build string
		files map[string]string
		want  string
	}{
		{"babel src/ -d lib/ --copy-files", nil, "lib (babel -d)"},
		{"babel src --out-dir=build", nil, "build (babel --out-dir)"},
		{"swc src -d out", nil, "out (swc -d)"},
		{"tsc --outDir ./built", nil, "built (tsc --outDir)"},
		{"tsup src/index.ts --out-dir bundle", nil, "bundle (tsup --out-dir)"},
		{"tsup", map[string]string{"tsup.config.ts": "export default { outDir: 'build' }"}, "build (tsup.config.ts sets outDir)"},
		{"esbuild src/index.ts --bundle --outfile=out/server.js", nil, "out (esbuild --outfile)"},
		{"esbuild src/index.ts --outdir=dist-server", nil, "dist-server (esbuild --outdir)"},
		{"cross-env NODE_ENV=production nest build", nil, "dist (nest build writes dist)"},
		{"webpack --config webpack.prod.js", nil, "dist assumed"},
	}
	for _, tt := range tests {
		t.Run(tt.build, func(t *testing.T) {
			files := map[string]string{"package.json": `{"scripts": {"build": "` + tt.build + `"}}`}
			for k, v := range tt.files {
				files[k] = v
			}
			s, err := ShapeOf(project(t, ".", files), shapeDay)
			if err != nil {
				t.Fatal(err)
			}
			got := s.Build.OutDir.Value + " (" + s.Build.OutDir.From + ")"
			if s.Build.Assumed {
				got = s.Build.OutDir.Value + " assumed"
			}
			if got != tt.want {
				t.Errorf("build %q: output %s, want %s", tt.build, got, tt.want)
			}
		})
	}
}

func TestPortSkipsTestsAndPrivilegedPorts(t *testing.T) {
	pkg := project(t, ".", map[string]string{
		"package.json":    `{"scripts": {"start": "node src/server.js"}, "dependencies": {"express": "4"}}`,
		"spec/helper.js":  "const express = require('express');\nconst port = 8378;\nexpress().listen(port);\n",
		"src/identd.js":   "const http = require('http');\nhttp.createServer().listen(113);\n",
		"src/server.js":   "const express = require('express');\nexpress().listen(Number(process.env.PORT || 4100));\n",
		"extra/dns.js":    "const http = require('http');\nhttp.createServer().listen(5300);\n",
		"examples/app.js": "const http = require('http');\nhttp.createServer().listen(7000);\n",
	})
	s, err := ShapeOf(pkg, shapeDay)
	if err != nil {
		t.Fatal(err)
	}
	if s.Port.Value != 4100 || s.PortUnsure {
		t.Errorf("port %d (unsure %v, %s), want 4100 from src/server.js", s.Port.Value, s.PortUnsure, s.Port.From)
	}
}
