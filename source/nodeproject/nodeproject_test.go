package nodeproject

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func write(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestKeyLine(t *testing.T) {
	src := []byte(`{
  "name": "x",
  "description": "has \"engines\": inside",
  "scripts": {
    "start": "node server.js",
    "dev": "nodemon"
  },
  "engines": { "node": ">=20" },
  "nested": { "engines": { "node": "no" } },
  "list": [{"start": 1}]
}`)
	tests := []struct {
		path []string
		want int
	}{
		{[]string{"name"}, 2},
		{[]string{"scripts"}, 4},
		{[]string{"scripts", "dev"}, 6},
		{[]string{"engines", "node"}, 8},
		{[]string{"start"}, 0},
		{[]string{"node"}, 0},
		{[]string{"nested", "engines", "node"}, 9},
		{[]string{"missing"}, 0},
	}
	for _, tt := range tests {
		if got := JSONKeyLine(src, tt.path...); got != tt.want {
			t.Errorf("JSONKeyLine(%v) = %d, want %d", tt.path, got, tt.want)
		}
	}
	// Malformed input never panics.
	for _, s := range []string{"", "{", `{"a`, `{"a":`, `}]}`, "{\"a\\", "\n"} {
		JSONKeyLine([]byte(s), "a")
	}
}

func TestIsSourceFile(t *testing.T) {
	yes := []string{"server.js", "app.ts", "index.mjs", "x.cjs", "App.tsx", "page.jsx", "next.config.js", "release-notes.js", "viteplugin.ts",
		// Near misses of variant tool configurations.
		"jestHelpers.config.ts", "vite-env.loader.ts", "jest-mongodb.ts"}
	no := []string{"a.d.ts", "x.test.js", "x.spec.ts", "x.test.tsx", "b.stories.tsx", "jquery.min.js", "jest.config.js",
		"vite.config.ts", "webpack.prod.js", "babel.config.cjs", "eslint.config.mjs", ".eslintrc.js", "gulpfile.js",
		"style.css", "data.json", "vitest.setup.ts", "prettierrc.js", ".eslintrc.cjs", ".prettierrc.mjs", ".lintstagedrc.js",
		// Variant configurations: hyperdx's packages/api/jest.int.config.js.
		"jest.int.config.js", "vitest.e2e.config.mts", "playwright-ct.config.ts", "jest.unit.setup.ts", "vite.lib.config.ts"}
	for _, n := range yes {
		if !IsSourceFile(n) {
			t.Errorf("IsSourceFile(%q) = false, want true", n)
		}
	}
	for _, n := range no {
		if IsSourceFile(n) {
			t.Errorf("IsSourceFile(%q) = true, want false", n)
		}
	}
}

func TestSources(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"package.json":              `{"name":"app"}`,
		"server.js":                 "x",
		"src/app.ts":                "x",
		"src/app.test.ts":           "x",
		"src/types.d.ts":            "x",
		"src/__tests__/a.js":        "x",
		"test/a.js":                 "x",
		"node_modules/x/index.js":   "x",
		"dist/server.js":            "x",
		".next/server.js":           "x",
		".hidden/a.js":              "x",
		"scripts/seed.js":           "x",
		"packages/sub/package.json": `{}`,
		"packages/sub/index.js":     "x",
		"packages/other/lib.js":     "x",
		"jest.config.js":            "x",
		"README.md":                 "x",
		"src/big.js":                strings.Repeat("x", MaxSourceSize+1),
	})
	p, err := Load(root)
	if err != nil || p == nil {
		t.Fatal(p, err)
	}
	files, err := p.Sources()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		s := f.Rel
		if !f.Runtime {
			s += "(tool)"
		}
		got = append(got, s)
	}
	sort.Strings(got)
	want := "packages/other/lib.js scripts/seed.js(tool) server.js src/app.ts src/big.js"
	if strings.Join(got, " ") != want {
		t.Errorf("sources:\n got: %s\nwant: %s", strings.Join(got, " "), want)
	}
	// Tests and tool configurations are dev sources; dependencies, build
	// output, declarations and nested packages are not.
	got = nil
	for _, f := range p.DevSources() {
		got = append(got, f.Rel)
	}
	sort.Strings(got)
	want = "jest.config.js src/__tests__/a.js src/app.test.ts test/a.js"
	if strings.Join(got, " ") != want {
		t.Errorf("dev sources:\n got: %s\nwant: %s", strings.Join(got, " "), want)
	}
	seen := make([]bool, len(files))
	if err := p.ReadSources(func(i int, f SourceFile, src []byte, err error) {
		switch {
		case f.Rel == "src/big.js":
			if src != nil || !errors.Is(err, ErrTooLarge) {
				t.Errorf("%s: a file over MaxSourceSize must come with nil content and ErrTooLarge, got %v", f.Rel, err)
			}
		case string(src) != "x":
			t.Errorf("%s: content %q", f.Rel, src)
		}
		seen[i] = true
	}); err != nil {
		t.Fatal(err)
	}
	for i, s := range seen {
		if !s {
			t.Errorf("%s not read", files[i].Rel)
		}
	}
}

func TestWorkspaceAndManager(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		".git/HEAD":                  "x",
		"package.json":               `{"private":true,"workspaces":["apps/*"]}`,
		"yarn.lock":                  "x",
		"apps/api/package.json":      `{"name":"api","dependencies":{"express":"^4"}}`,
		"apps/web/package.json":      `{"name":"web","packageManager":"pnpm@9.1.0+sha512.abc"}`,
		"apps/web/package-lock.json": "{}",
	})
	api, err := Load(filepath.Join(root, "apps", "api"))
	if err != nil {
		t.Fatal(err)
	}
	ws := api.Workspace()
	if ws == nil || ws.Dir != root || strings.Join(ws.Lockfiles, ",") != "yarn.lock" {
		t.Fatalf("workspace: %+v", ws)
	}
	if m := api.Manager(); m != "yarn" {
		t.Errorf("api manager %q, want yarn", m)
	}
	if !api.HasDependencies() {
		t.Error("api has dependencies")
	}
	web, _ := Load(filepath.Join(root, "apps", "web"))
	if m := web.Manager(); m != "pnpm" {
		t.Errorf("web manager %q, want pnpm (declared)", m)
	}
	if ms := web.LockfileManagers(); strings.Join(ms, ",") != "npm" {
		t.Errorf("web lockfile managers %v", ms)
	}
	top, _ := Load(root)
	if top.Workspace() != nil {
		t.Error("the repository root has no workspace above it")
	}
}

func FuzzJSONKeyLine(f *testing.F) {
	f.Add(`{"engines": {"node": ">=20"}, "scripts": {"start": "node ."}}`)
	f.Add(`{"a\"b": [1, {"c": "d"}]`)
	f.Fuzz(func(t *testing.T, src string) {
		n := JSONKeyLine([]byte(src), "engines", "node")
		if n < 0 || n > strings.Count(src, "\n")+1 {
			t.Fatalf("line %d out of range", n)
		}
	})
}

// TestLoadErrors: a package.json that cannot be used is a *FileError with
// the line where the JSON goes wrong; an unreadable Node version file or
// a field of the wrong type leaves the package usable and is noted in
// Errors.
func TestLoadErrors(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"syntax/package.json": "{\n  \"name\": \"api\",\n  \"scripts\": {\n    \"start\": \"node .\",\n  }\n}\n",
		"types/package.json":  "{\n  \"name\": \"web\",\n  \"scripts\": [\"start\"],\n  \"dependencies\": {\"express\": \"^5\"}\n}\n",
		"nvmrc/package.json":  "{\"name\": \"worker\"}\n",
		"nvmrc/.node-version": "22\n",
	})
	if err := os.MkdirAll(filepath.Join(root, "nvmrc", ".nvmrc"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "dir", "package.json"), 0o755); err != nil {
		t.Fatal(err)
	}

	var fe *FileError
	if p, err := Load(filepath.Join(root, "syntax")); p != nil || !errors.As(err, &fe) || fe.Line != 5 || !strings.HasPrefix(fe.Msg, "invalid package.json: invalid character '}'") {
		t.Errorf("syntax error: %v, %v", p, err)
	}
	if p, err := Load(filepath.Join(root, "dir")); p != nil || !errors.As(err, &fe) || fe.Msg != "cannot be read: not a regular file (a directory)" {
		t.Errorf("directory: %v, %v", p, err)
	}
	p, err := Load(filepath.Join(root, "types"))
	if err != nil || p == nil || p.Manifest.Dependencies["express"] != "^5" || len(p.Errors) != 1 ||
		p.Errors[0].Line != 3 || p.Errors[0].Msg != `invalid package.json: "scripts" must be an object, not an array` {
		t.Errorf("wrong type: %+v, %v", p, err)
	}
	p, err = Load(filepath.Join(root, "nvmrc"))
	if err != nil || p == nil || p.NodeVersionFiles[".node-version"] != "22" || len(p.Errors) != 1 ||
		filepath.Base(p.Errors[0].Path) != ".nvmrc" || p.Errors[0].Msg != "cannot be read: not a regular file (a directory)" {
		t.Errorf("unreadable .nvmrc: %+v, %v", p, err)
	}
	if _, ok := p.NodeVersionFiles[".nvmrc"]; ok {
		t.Error("an unreadable .nvmrc has a value")
	}
}

func TestWorkspaceMembers(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string // member dirs and names, or the error
	}{
		{"array of globs", map[string]string{
			"package.json":              `{"workspaces": ["apps/*", "packages/*", "!packages/old"]}`,
			"apps/api/package.json":     `{"name": "api"}`,
			"apps/notes/README.md":      "no package.json",
			"packages/a/package.json":   `{"name": "@x/a"}`,
			"packages/old/package.json": `{"name": "old"}`,
		}, "apps/api=api packages/a=@x/a"},
		{"a glob also matches files", map[string]string{
			"package.json":                    `{"workspaces": ["packages/toolkit/*"]}`,
			"packages/toolkit/README.md":      "# toolkit (a file the glob matches)",
			"packages/toolkit/x/package.json": `{"name": "x"}`,
		}, "packages/toolkit/x=x"},
		{"object with packages", map[string]string{
			"package.json":        `{"workspaces": {"packages": ["libs/**"]}}`,
			"libs/b/package.json": `{"name": "b"}`,
		}, "libs/b=b"},
		{"pnpm-workspace.yaml", map[string]string{
			"package.json":            `{}`,
			"pnpm-workspace.yaml":     "packages:\n  - 'services/*'\n",
			"services/w/package.json": `{"name": "w"}`,
		}, "services/w=w"},
		{"workspaces of the wrong type", map[string]string{
			"package.json": `{"workspaces": "apps/*"}`,
		}, "error: package.json workspaces must be an array of globs"},
		{"a member's package.json is not JSON", map[string]string{
			"package.json":          `{"workspaces": ["apps/*"]}`,
			"apps/api/package.json": `{`,
		}, "error: invalid package.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			write(t, root, tt.files)
			members, err := (&WorkspaceRoot{Dir: root}).Members()
			if wantErr, ok := strings.CutPrefix(tt.want, "error: "); ok {
				if err == nil || !strings.Contains(err.Error(), wantErr) {
					t.Errorf("error %v, want one saying %q", err, wantErr)
				}
				return
			}
			var got []string
			for _, m := range members {
				got = append(got, m.Rel+"="+m.Name)
			}
			if err != nil || strings.Join(got, " ") != tt.want {
				t.Errorf("got %q (error %v), want %q", strings.Join(got, " "), err, tt.want)
			}
		})
	}
}

func TestManifestTypeErrors(t *testing.T) {
	for src, want := range map[string]string{
		`{"scripts": []}`:             `invalid package.json: "scripts" must be an object, not an array`,
		`{"scripts": {"start": 5}}`:   `invalid package.json: every value in "scripts" must be a string, not a number`,
		`{"engines": {"node": true}}`: `invalid package.json: every value in "engines" must be a string, not a boolean`,
		`[]`:                          `invalid package.json: the top level must be an object, not an array`,
		`"app"`:                       `invalid package.json: the top level must be an object, not a string`,
		` null`:                       `invalid package.json: the top level must be an object, not null`,
	} {
		p, err := Parse(t.TempDir(), []byte(src))
		if err != nil || p == nil || len(p.Errors) != 1 || p.Errors[0].Msg != want {
			var got any = err
			if p != nil && len(p.Errors) > 0 {
				got = p.Errors[0].Msg
			}
			t.Errorf("Parse(%s): %v, want %q", src, got, want)
		}
	}
}
