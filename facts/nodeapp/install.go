package nodeapp

import (
	"encoding/json"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// This file reads what an install runs and needs: lifecycle scripts and
// their input files, Prisma, a private registry in .npmrc.

// lifecycleScripts run on install, in this order.
var lifecycleScripts = []string{"preinstall", "install", "postinstall", "prepare"}

// readPrisma finds the Prisma schema and its provider.
func (s *Shape) readPrisma(pkg *nodeproject.Package) {
	if !HasDep(pkg, "prisma") && !HasDep(pkg, "@prisma/client") {
		return
	}
	p := &Prisma{Schema: "prisma/schema.prisma"}
	var cfg struct {
		Prisma struct {
			Schema string `json:"schema"`
		} `json:"prisma"`
	}
	if json.Unmarshal(pkg.Source, &cfg) == nil && cfg.Prisma.Schema != "" {
		p.Schema = path.Clean(cfg.Prisma.Schema)
	}
	if b, err := pkg.ReadFile(p.Schema); err == nil && b != nil {
		p.Provider = prismaProvider(b)
	}
	s.Prisma = p
}

var providerLine = regexp.MustCompile(`^\s*provider\s*=\s*"([^"]+)"`)

// prismaProvider reads the provider of a schema's datasource block.
func prismaProvider(schema []byte) string {
	in := false
	for _, l := range strings.Split(string(schema), "\n") {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "datasource ") && strings.HasSuffix(t, "{"):
			in = true
		case in && t == "}":
			in = false
		case in:
			if m := providerLine.FindStringSubmatch(t); m != nil {
				return m[1]
			}
		}
	}
	return ""
}

// readInstallScripts finds the lifecycle scripts an install runs, the
// files they need and whether they need the whole sources: a script
// that runs another package script (`npm run build`, `pnpm run
// generate`) reads files init cannot list.
func (s *Shape) readInstallScripts(pkg *nodeproject.Package) {
	for _, name := range lifecycleScripts {
		script, ok := pkg.Manifest.Scripts[name]
		if !ok {
			continue
		}
		is := InstallScript{Name: name, Command: script}
		cmds := ScriptCommands(script)
		if len(cmds) == 1 {
			if run := command.ScriptRun(command.Unwrap(cmds[0])); run != "" && s.Build != nil && run == s.Build.Script {
				is.RunsBuild = true
			}
		}
		for _, argv := range cmds {
			argv = command.Unwrap(argv)
			if len(argv) == 0 {
				continue
			}
			if run := command.ScriptRun(argv); run != "" {
				if _, ok := pkg.Manifest.Scripts[run]; ok {
					is.NeedsSources = true
				}
				if is.RunsBuild {
					// The build step needs the devDependencies anyway.
					is.NeedsDev = true
				}
				for _, sub := range buildCommands(pkg, pkg.Manifest.Scripts[run], 1) {
					if _, dev := pkg.Manifest.DevDependencies[command.BaseName(sub[0])]; dev {
						is.NeedsDev = true
					}
				}
				continue
			}
			tool := command.BaseName(argv[0])
			if _, dev := pkg.Manifest.DevDependencies[tool]; dev {
				is.NeedsDev = true
			}
			switch tool {
			case "prisma":
				is.NeedsDev = is.NeedsDev || !HasRuntimeDep(pkg, "prisma")
				if s.Prisma != nil {
					is.Needs = append(is.Needs, path.Dir(s.Prisma.Schema))
				}
			case "husky", "lefthook", "simple-git-hooks":
				is.NeedsDev = true
			case "patch-package":
				is.Needs = append(is.Needs, "patches")
			}
			for _, a := range argv[1:] {
				is.Needs = append(is.Needs, filesNamed(pkg, a)...)
			}
		}
		sort.Strings(is.Needs)
		is.Needs = dedupe(is.Needs)
		s.InstallScripts = append(s.InstallScripts, is)
	}
}

// codePath matches a relative file path in inline code:
// `require("./postinstall.js")`.
var codePath = regexp.MustCompile(`(?:\.{1,2}/)?[\w@.-]+(?:/[\w@.-]+)*\.(?:c|m)?[jt]s\b`)

// filesNamed are the package files a script argument names: the
// argument itself, or the paths in inline code (`node -p
// 'require("./postinstall.js")()'`).
func filesNamed(pkg *nodeproject.Package, arg string) []string {
	exists := func(a string) bool {
		a = path.Clean(strings.TrimPrefix(a, "./"))
		return !strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "..") && a != "." && pkg.Exists(a)
	}
	if exists(arg) {
		return []string{path.Clean(strings.TrimPrefix(arg, "./"))}
	}
	var out []string
	for _, m := range codePath.FindAllString(arg, -1) {
		if m != arg && exists(m) {
			out = append(out, path.Clean(strings.TrimPrefix(m, "./")))
		}
	}
	return out
}

// DeferInstallScripts reports whether the project's install scripts need
// the sources (they run a package script, the build among them): the
// install then runs with scripts off, and the scripts run once the
// sources are in.
func (s *Shape) DeferInstallScripts() bool {
	for _, is := range s.InstallScripts {
		if is.NeedsSources {
			return true
		}
	}
	return false
}

// readNpmrc notes a project .npmrc that authenticates to a registry;
// Value is its path relative to the package.
func (s *Shape) readNpmrc(read func(string) ([]byte, error)) {
	b, err := read(".npmrc")
	if err != nil || b == nil {
		return
	}
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "#") || strings.HasPrefix(l, ";") {
			continue
		}
		if strings.Contains(l, "_authToken") || strings.Contains(l, "_auth") || strings.Contains(l, "_password") {
			s.Npmrc = &Fact[string]{Value: ".npmrc", From: ".npmrc authenticates to a registry (" + strings.TrimSpace(strings.SplitN(l, "=", 2)[0]) + ")"}
			return
		}
	}
}
