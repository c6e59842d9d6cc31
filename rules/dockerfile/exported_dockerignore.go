package dockerfile

import df "github.com/seaworthy-dev/seaworthy/source/dockerfile"

// Facts the DI (.dockerignore) rules share with the DF rules, exported so
// both families decide the same way.

// IsNodeStage reports whether a stage is a Node stage (known Node base,
// installs Node, or runs node or a package manager).
func IsNodeStage(st *df.Stage) bool { return isNodeStage(st) }

// IsBuildStep reports whether a shell command compiles or bundles
// (`npm run build`, `tsc`, `next build`, `vite build`, …).
func IsBuildStep(c *df.ShellCommand) bool { return isBuildStep(c) }

// IsProjectInstall reports whether a shell command installs the project's
// dependencies with npm, yarn, pnpm or bun (not named packages, not global
// tools).
func IsProjectInstall(c *df.ShellCommand) bool {
	i, ok := classifyInstall(c)
	return ok && i.ProjectInstall()
}
