package ap

import (
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// managerLockfiles are the lockfiles each manager reads.
var managerLockfiles = map[install.Manager][]string{
	install.NPM:  {"package-lock.json", "npm-shrinkwrap.json"},
	install.Yarn: {"yarn.lock"},
	install.PNPM: {"pnpm-lock.yaml"},
	install.Bun:  {"bun.lock", "bun.lockb"},
}

// LockfileManagerMismatch reports an install with a package manager whose
// lockfile the project does not have, while another manager's does.
var LockfileManagerMismatch = register(&analysis.Rule{
	ID:       "AP002",
	Name:     "lockfile-manager-mismatch",
	Title:    "the Dockerfile installs with a package manager whose lockfile is missing",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "Each package manager reads only its own lockfile. `npm ci` in a project that has only a " +
			"yarn.lock fails outright (npm ci needs package-lock.json); `npm install`, `yarn install` or " +
			"`pnpm install` next to another manager's lockfile ignore it and resolve every version afresh, " +
			"so the image does not get the dependency tree the project tested with.\n\n" +
			"Bun installs are not reported: bun migrates package-lock.json and yarn.lock itself.",
		Bad:  "# the project has yarn.lock, no package-lock.json\nFROM node:22-slim\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN npm ci --omit=dev\nUSER node\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile --production\nUSER node\n",
		Fix: "Install with the manager the project uses (the one whose lockfile is committed, or the " +
			"`packageManager` field of package.json), through corepack if needed: " +
			"`RUN corepack enable && yarn install --immutable`.",
		AppliesTo: "The install fails or ignores the lockfile in any image.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, b *project.Build) {
		pkg := b.Package
		f := b.Dockerfile
		if pkg == nil || f == nil {
			return
		}
		present := presentLockfiles(pkg)
		if len(present) == 0 {
			return // AP001's business
		}
		named := copiedLockfileNames(f)
		for _, st := range f.Stages {
			for _, in := range st.Instructions {
				if in.Keyword != "RUN" || in.Script == nil {
					continue
				}
				for _, c := range in.Script.Commands {
					i, ok := install.Classify(c)
					if !ok || !i.ProjectInstall() || i.Manager == install.Bun {
						continue
					}
					own := managerLockfiles[i.Manager]
					if hasAny(present, own) || hasAny(named, own) || otherPackage(b, st, in) {
						continue
					}
					pass.Report(analysis.Finding{
						Range:   locate.Command(f, c),
						Message: mismatchMessage(c, i, present),
						Help:    mismatchHelp(pkg, present),
					})
				}
			}
		}
	}),
})

// presentLockfiles are the lockfiles of the package directory and of its
// workspace root.
func presentLockfiles(pkg *nodeproject.Package) []string {
	out := append([]string(nil), pkg.Lockfiles...)
	if ws := pkg.Workspace(); ws != nil {
		out = append(out, ws.Lockfiles...)
	}
	return out
}

// otherPackage reports whether the install at in works on another
// package of the context: the last COPY of a package.json before it in
// the stage takes it from a directory other than the package's (as in
// `COPY docker/healthcheck/package.json .` followed by `npm install`).
func otherPackage(b *project.Build, st *dockerfile.Stage, install *dockerfile.Instruction) bool {
	pkgRel, err := filepath.Rel(b.ContextDir, b.Package.Dir)
	if err != nil {
		return false
	}
	pkgRel = filepath.ToSlash(pkgRel)
	for i := len(st.Instructions) - 1; i >= 0; i-- {
		in := st.Instructions[i]
		if in.StartLine >= install.StartLine {
			continue
		}
		c, ok := in.Command.(*instructions.CopyCommand)
		if !ok || c.From != "" {
			continue
		}
		for _, src := range c.SourcePaths {
			s := path.Clean(strings.TrimPrefix(filepath.ToSlash(src), "/"))
			base := path.Base(s)
			if base != "package.json" && !(strings.HasPrefix(base, "package") && strings.Contains(base, "*") && strings.HasSuffix(base, ".json")) {
				continue
			}
			return path.Dir(s) != pkgRel
		}
	}
	return false
}

// copiedLockfileNames are lockfile names a COPY/ADD names explicitly (in
// any directory): then the install may well be for another package of
// the context.
func copiedLockfileNames(f *dockerfile.File) []string {
	var out []string
	for _, in := range f.Instructions {
		c, ok := stage.CopyOf(in)
		if !ok || c.From != "" {
			continue
		}
		for _, s := range c.Sources {
			base := s[strings.LastIndex(s, "/")+1:]
			if _, ok := nodeproject.Lockfiles[base]; ok {
				out = append(out, base)
			}
		}
	}
	return out
}

func hasAny(have, want []string) bool {
	for _, h := range have {
		for _, w := range want {
			if h == w {
				return true
			}
		}
	}
	return false
}

func mismatchMessage(c *dockerfile.ShellCommand, i install.Install, present []string) string {
	var lf []string
	seen := map[string]bool{}
	for _, p := range present {
		if !seen[p] {
			seen[p] = true
			lf = append(lf, fmt.Sprintf("%s (%s)", p, nodeproject.Lockfiles[p]))
		}
	}
	sort.Strings(lf)
	own := managerLockfiles[i.Manager][0]
	effect := "it ignores the project's lockfile and resolves every version afresh"
	if i.Manager == install.NPM && i.Verb == "ci" {
		effect = "npm ci fails without package-lock.json"
	}
	return fmt.Sprintf("%s installs with %s, but the project has no %s, only %s: %s",
		quote(c.String()), i.Manager, own, strings.Join(lf, ", "), effect)
}

func mismatchHelp(pkg *nodeproject.Package, present []string) string {
	m := pkg.DeclaredManager()
	if m == "" {
		ms := map[string]bool{}
		for _, p := range present {
			ms[nodeproject.Lockfiles[p]] = true
		}
		if len(ms) == 1 {
			for k := range ms {
				m = k
			}
		}
	}
	switch m {
	case "npm":
		return "install with `npm ci` (add `--omit=dev` in the runtime stage)"
	case "yarn":
		return "install with yarn: `corepack enable && yarn install --immutable` (Yarn 2+) or `yarn install --frozen-lockfile` (Yarn 1)"
	case "pnpm":
		return "install with pnpm: `corepack enable && pnpm install --frozen-lockfile`"
	case "bun":
		return "install with `bun install --frozen-lockfile`"
	}
	return "install with the package manager whose lockfile the project commits"
}
