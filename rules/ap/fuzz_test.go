package ap

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/analysis/analysistest"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/nodeapp"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// FuzzRules: no AP rule panics on any project made of a Dockerfile, a
// package.json, a .nvmrc and one source file, and every finding has a
// line. Seeds are the testdata cases' files.
func FuzzRules(f *testing.F) {
	cases, _ := filepath.Glob(filepath.Join("testdata", "AP*", "*.txtar"))
	for _, c := range cases {
		ar, err := txtar.ParseFile(c)
		if err != nil {
			f.Fatal(err)
		}
		files := map[string]string{}
		for _, file := range ar.Files {
			files[file.Name] = string(file.Data)
		}
		src := ""
		for _, name := range []string{"server.js", "src/index.ts", "src/server.mjs", "log.js", "app.js", "src/logger.js"} {
			if s := files[name]; s != "" {
				src = s
				break
			}
		}
		f.Add(files["Dockerfile"], files["package.json"], files[".nvmrc"], src)
	}
	f.Fuzz(func(t *testing.T, dockerfileSrc, manifest, nvmrc, source string) {
		dir := t.TempDir()
		for name, body := range map[string]string{"Dockerfile": dockerfileSrc, "package.json": manifest, ".nvmrc": nvmrc, "src/index.ts": source, "server.js": source} {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		dfPath := filepath.Join(dir, "Dockerfile")
		b, err := project.NewBuild(dfPath, dir, dir)
		if err != nil {
			t.Fatal(err) // an invalid package.json is the build's PackageError
		}
		df, err := dockerfile.Parse(dfPath, []byte(dockerfileSrc), dockerfile.Options{})
		if err != nil {
			return
		}
		for _, r := range Rules() {
			pass := analysis.NewPass(r, dfPath, func(fd analysis.Finding) {
				if fd.Range.Start.Line < 1 {
					t.Fatalf("%s finding without a line: %s", fd.Rule.ID, fd.Message)
				}
			})
			b.Dockerfile, pass.Today = df, analysistest.Today
			analysis.Run(r, pass, b)
		}
	})
}

// FuzzVersions feeds arbitrary engines ranges, version files, commands
// and paths to the AP parsers: they must never panic.
func FuzzVersions(f *testing.F) {
	for _, s := range []string{">=18.18 <23 || >=24", "^20.12.0", "lts/iron", "v22.11.0\n", "20.x", "~", ">= 20 ||", "*"} {
		f.Add(s, 20)
	}
	f.Fuzz(func(t *testing.T, s string, major int) {
		if major < 0 || major > 1000 {
			return
		}
		nodeapp.EngineAllows(s, major, nil)
		nodeapp.VersionFileMajor(s)
		nodeapp.IsLoopback(s)
		nodeapp.SplitPath(s)
		nearestRoute(s, []string{"/health", "/api"})
		nodeapp.ScriptCommands(s)
		command.DevRunner([]string{s, s})
		command.ScriptRun([]string{"npm", "run", s})
	})
}
