package nodeapp

import "github.com/seaworthy-dev/seaworthy/source/nodeproject"

// This file tells whether the app handles the signal `docker stop` sends.

// shutdownLibraries handle SIGTERM for the app (drain, then exit).
var shutdownLibraries = []string{
	"@godaddy/terminus", "http-terminator", "close-with-grace", "lightship", "stoppable",
	"http-graceful-shutdown", "fastify-graceful-shutdown", "@moebius/http-graceful-shutdown",
	"node-graceful-shutdown", "async-exit-hook", "exit-hook", "death", "node-cleanup",
}

// HandlesSignal reports whether anything in the package handles the
// signal: a process.on/once/addListener registration, the signal's name
// as a string anywhere in the sources, NestJS shutdown hooks, or a
// shutdown library among the dependencies.
func HandlesSignal(pkg *nodeproject.Package, src *Sources, signal string) bool {
	if signal == "SIGTERM" {
		for _, lib := range shutdownLibraries {
			if HasDep(pkg, lib) {
				return true
			}
		}
	}
	for _, f := range src.Files {
		for _, s := range f.Signals {
			if s.Name == signal {
				return true
			}
		}
		if f.HasString(signal) {
			return true
		}
		if _, ok := f.Idents["enableShutdownHooks"]; ok && signal == "SIGTERM" {
			return true
		}
	}
	return false
}
