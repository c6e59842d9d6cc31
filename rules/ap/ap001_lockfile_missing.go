package ap

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/project"
)

// LockfileMissing reports a package with dependencies and no lockfile.
var LockfileMissing = register(&analysis.Rule{
	ID:       "AP001",
	Name:     "lockfile-missing",
	Title:    "package.json has dependencies but no lockfile",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "Without a lockfile (package-lock.json, yarn.lock, pnpm-lock.yaml, bun.lock) every image " +
			"build resolves the version ranges of package.json afresh: two builds of the same commit can " +
			"ship different dependency trees, a bad release of a transitive dependency goes straight into " +
			"production, and `npm ci` / frozen-lockfile installs cannot be used at all. The lockfile is " +
			"what makes a build reproducible.\n\n" +
			"A lockfile in the workspace root above the package (a directory whose package.json has " +
			"`workspaces`, or that holds pnpm-workspace.yaml) counts.",
		ExampleFile: "project tree",
		Bad:         "api/\n├── Dockerfile\n├── package.json        \"dependencies\": { \"express\": \"^4.21.0\" }\n└── server.js\n",
		Good:        "api/\n├── Dockerfile\n├── package-lock.json   committed\n├── package.json        \"dependencies\": { \"express\": \"^4.21.0\" }\n└── server.js\n",
		Fix: "Run your package manager's install once (`npm install`, `yarn install`, `pnpm install`) and " +
			"commit the lockfile it writes; then install with `npm ci` (or `yarn install --immutable`, " +
			"`pnpm install --frozen-lockfile`) in the Dockerfile.\n\n" +
			"package.json has no comments, so this finding cannot be ignored inline; use `.seaworthy.yaml` " +
			"or `--ignore`.",
		AppliesTo: "Without a lockfile no image build is reproducible, development and test builds included.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, b *project.Build) {
		pkg := b.Package
		if pkg == nil || !pkg.HasDependencies() || len(pkg.Lockfiles) > 0 {
			return
		}
		if ws := pkg.Workspace(); ws != nil && len(ws.Lockfiles) > 0 {
			return
		}
		m := pkg.Manifest
		n := len(m.Dependencies) + len(m.DevDependencies) + len(m.OptionalDependencies)
		line := pkg.KeyLine("dependencies")
		for _, k := range []string{"devDependencies", "optionalDependencies"} {
			if line == 0 {
				line = pkg.KeyLine(k)
			}
		}
		where := "beside it"
		if ws := pkg.Workspace(); ws != nil {
			where = "beside it or in its workspace root " + relPath(pkg, ws.Dir)
		}
		pass.Report(analysis.Finding{
			File:  pkg.ManifestPath,
			Range: lineRange(line),
			Message: fmt.Sprintf("package.json declares %d %s but there is no lockfile %s: every image build resolves versions afresh",
				n, plural(n, "dependency", "dependencies"), where),
			Help: lockfileHelp(pkg.DeclaredManager()),
		})
	}),
})

func lockfileHelp(manager string) string {
	switch manager {
	case "yarn":
		return "run `yarn install`, commit yarn.lock, and install with `yarn install --immutable` (Yarn 2+) or `--frozen-lockfile` (Yarn 1) in the Dockerfile"
	case "pnpm":
		return "run `pnpm install`, commit pnpm-lock.yaml, and install with `pnpm install --frozen-lockfile` in the Dockerfile"
	case "bun":
		return "run `bun install`, commit bun.lock, and install with `bun install --frozen-lockfile` in the Dockerfile"
	}
	return "run `npm install`, commit package-lock.json, and install with `npm ci` in the Dockerfile"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
