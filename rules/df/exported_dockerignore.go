package df

import df "github.com/seaworthy-dev/seaworthy/source/dockerfile"

// Facts the DI (.dockerignore) rules share with the DF rules, exported so
// both families decide the same way (ClassifyInstall is in
// exported_ap.go).

// IsBuildStep reports whether a shell command compiles or bundles
// (`npm run build`, `tsc`, `next build`, `vite build`, …), as DF006 decides.
func IsBuildStep(c *df.ShellCommand) bool { return isBuildStep(c) }

// IsNodeStage reports whether a stage runs Node: a known Node base image,
// Node installed in it, or a command that runs node or a package manager.
func IsNodeStage(st *df.Stage) bool { return isNodeStage(st) }
