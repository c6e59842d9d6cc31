package nodeapp

import (
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
	if jsonUnmarshal(pkg.Source, &cfg) == nil && cfg.Prisma.Schema != "" {
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

// readInstallScripts finds the lifecycle scripts an install runs and the
// files they need.
func (s *Shape) readInstallScripts(pkg *nodeproject.Package) {
	for _, name := range lifecycleScripts {
		script, ok := pkg.Manifest.Scripts[name]
		if !ok {
			continue
		}
		is := InstallScript{Name: name, Command: script}
		for _, argv := range ScriptCommands(script) {
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
				a = path.Clean(strings.TrimPrefix(a, "./"))
				if !strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "..") && a != "." && pkg.Exists(a) {
					is.Needs = append(is.Needs, a)
				}
			}
		}
		sort.Strings(is.Needs)
		is.Needs = dedupe(is.Needs)
		s.InstallScripts = append(s.InstallScripts, is)
	}
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
