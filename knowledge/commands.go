package knowledge

import "strings"

// This file holds what seaworthy knows about the programs Dockerfiles run:
// shells, init processes, command wrappers and build tools. Names are base
// names (no directory).

// shells are the POSIX-like shells a script or `sh -c` runs in.
var shells = map[string]bool{"sh": true, "bash": true, "ash": true, "dash": true, "zsh": true, "ksh": true, "mksh": true}

// IsShell reports whether name (a base name) is a POSIX-like shell.
func IsShell(name string) bool { return shells[name] }

// inits are the minimal init processes that forward signals and reap
// zombies when they run as PID 1.
var inits = map[string]bool{"tini": true, "dumb-init": true, "docker-init": true, "catatonit": true}

// IsInit reports whether path names an init process: tini (also its
// static builds, tini-static, tini_amd64), dumb-init, docker-init,
// catatonit, or s6-overlay's /init.
func IsInit(path string) bool {
	b := path[strings.LastIndexByte(path, '/')+1:]
	return inits[b] || strings.HasPrefix(b, "tini-") || strings.HasPrefix(b, "tini_") || path == "/init"
}

// A CommandWrapper runs the rest of its arguments as a command, after its
// own options and operands.
type CommandWrapper struct {
	// Operands is how many operands come before the command (`gosu USER
	// cmd`: 1).
	Operands int
	// ValueFlags are options whose value is the next word (`sudo -u USER`).
	ValueFlags []string
	// Assignments: NAME=value words before the command are skipped (env).
	Assignments bool
}

// CommandWrappers are the wrappers looked through to find the command
// that really runs (`sudo -E apt-get install`, `gosu node npm start`).
var CommandWrappers = map[string]CommandWrapper{
	"sudo":         {ValueFlags: []string{"-u", "-g", "-C", "-D", "-h", "-p", "-U"}},
	"env":          {Assignments: true},
	"nice":         {ValueFlags: []string{"-n"}},
	"nohup":        {},
	"time":         {},
	"command":      {},
	"exec":         {},
	"gosu":         {Operands: 1},
	"su-exec":      {Operands: 1},
	"s6-setuidgid": {Operands: 1},
}

// buildTools are OS and npm packages only a build needs: compilers,
// toolchains and node-gyp. dualUseTools are what node-gyp and dependency
// installs run (python for node-gyp, git and ssh for git dependencies;
// git runs ssh)
// but also what apps call at run time (a git storage module, a Python
// sandbox): they are build tools only when the build uses them.
var (
	buildTools = map[string]bool{
		"build-essential": true, "gcc": true, "g++": true, "gcc-c++": true, "make": true,
		"cmake": true, "clang": true, "node-gyp": true, "alpine-sdk": true, "build-base": true,
	}
	dualUseTools = map[string][]string{
		"git": {"git"}, "python3": {"python3", "python"}, "python": {"python", "python3"},
		"python2": {"python2", "python"}, "openssh-client": {"ssh", "scp", "ssh-keyscan", "git"},
		"openssh-clients": {"ssh", "scp", "ssh-keyscan", "git"},
	}
)

// IsBuildTool reports whether a package (its name without version) is a
// build tool: a compiler, toolchain or node-gyp.
func IsBuildTool(pkg string) bool { return buildTools[pkg] }

// DualUseTool reports whether a package (its name without version) is a
// tool a build runs that apps may also need at run time, and the
// commands it provides.
func DualUseTool(pkg string) (commands []string, ok bool) {
	commands, ok = dualUseTools[pkg]
	return commands, ok
}

// processManagers are programs that start and supervise other processes
// and are run as a container's main process, with why that is wrong
// there. pm2-runtime (and its old name pm2-docker) is pm2's mode made for
// containers and is not listed.
var processManagers = map[string]string{
	"pm2":          "daemonizes and restarts the app itself, hiding crashes from the orchestrator (use `pm2-runtime` in a container)",
	"concurrently": "runs several processes in one container and does not stop the container when one of them dies",
	"forever":      "restarts the app itself, hiding crashes from the orchestrator",
	"nodemon":      "is a development watcher: it restarts on file changes and does not forward signals reliably",
	"supervisord":  "restarts the processes itself, hiding crashes from the orchestrator, and runs several in one container",
}

// ProcessManager reports whether a command (a base name) is a process
// manager and why it should not be a container's main process.
func ProcessManager(name string) (why string, ok bool) {
	why, ok = processManagers[name]
	return why, ok
}

// checksumTools are the commands that verify a downloaded file against a
// checksum or signature, with the argument that makes them verify ("" when
// the bare command does: its output is compared or checked with -c).
var checksumTools = map[string]string{
	"sha256sum": "", "sha512sum": "", "sha384sum": "", "sha1sum": "", "sha224sum": "", "shasum": "",
	"md5sum": "", "b2sum": "", "gpgv": "", "minisign": "-V",
	"gpg": "--verify", "gpg2": "--verify", "cosign": "verify-blob", "openssl": "dgst", "slsa-verifier": "verify-artifact",
}

// VerifiesChecksum reports whether a command (its words, wrappers
// removed) checks a checksum or a signature: sha256sum, shasum, gpg
// --verify, cosign verify-blob, `apk add file.apk` (signed packages), ….
func VerifiesChecksum(words []string) bool {
	if len(words) == 0 {
		return false
	}
	name := words[0][strings.LastIndexByte(words[0], '/')+1:]
	if name == "apk" {
		return apkVerifiesFile(words[1:])
	}
	need, ok := checksumTools[name]
	if !ok {
		return false
	}
	if need == "" {
		return true
	}
	for _, w := range words[1:] {
		if w == need || strings.HasPrefix(w, need) {
			return true
		}
	}
	return false
}

// apkVerifiesFile: `apk add pkg.apk` checks a downloaded package's
// signature against the keys in /etc/apk/keys, unless told not to
// (--allow-untrusted).
func apkVerifiesFile(args []string) bool {
	file := false
	for _, a := range args {
		if a == "--allow-untrusted" {
			return false
		}
		file = file || strings.HasSuffix(a, ".apk")
	}
	return file
}

// artifactSuffixes end the names of downloaded archives, packages and
// binaries; notArtifactSuffixes those of keys, signatures and checksum
// lists fetched to verify them.
var (
	artifactSuffixes = []string{
		".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2", ".tar.zst", ".tar", ".zip", ".gz", ".xz",
		".deb", ".rpm", ".apk", ".jar", ".bin", ".run", ".appimage", ".exe", ".msi", ".whl",
	}
	notArtifactSuffixes = []string{".asc", ".sig", ".gpg", ".key", ".pub", ".pem", ".sha256", ".sha512", ".sha256sum", ".sha512sum", ".md5"}
)

// DownloadKind classifies a URL: "archive" for a release archive, package
// or binary (by its file name, or a GitHub `releases/download` or
// `releases/latest` path), "" for anything else (pages, APIs, keys,
// signatures, checksum lists).
func DownloadKind(url string) string {
	u := strings.ToLower(url)
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	for _, s := range notArtifactSuffixes {
		if strings.HasSuffix(u, s) {
			return ""
		}
	}
	base := u[strings.LastIndexByte(u, '/')+1:]
	if strings.Contains(base, "sums") || strings.Contains(base, "checksum") {
		return ""
	}
	if strings.Contains(u, "/releases/download/") || strings.Contains(u, "/releases/latest") {
		return "archive"
	}
	for _, s := range artifactSuffixes {
		if strings.HasSuffix(u, s) {
			return "archive"
		}
	}
	return ""
}

// sourceDirs are the folders projects keep application source code in;
// a bind mount of one (or of the project root) replaces the code an image
// was built with.
var sourceDirs = map[string]bool{
	"src": true, "app": true, "lib": true, "server": true, "client": true, "api": true, "apps": true,
	"packages": true, "pages": true, "routes": true, "backend": true, "frontend": true, "web": true,
}

// IsSourceDir reports whether a project-relative folder name (one path
// element) is where projects keep source code.
func IsSourceDir(name string) bool { return sourceDirs[name] }

// staticFileServers are npm packages whose binary serves a folder of
// static files (http-server, serve, sirv-cli's sirv, live-server,
// local-web-server's ws): a container running one is a file server, not a
// Node application, so nothing in it reads NODE_ENV.
var staticFileServers = map[string]bool{
	"http-server": true, "serve": true, "sirv": true, "live-server": true, "ws": true, "static-server": true,
}

// IsStaticFileServer reports whether a command name is a Node static file
// server's binary.
func IsStaticFileServer(name string) bool { return staticFileServers[name] }

// productionServers are framework servers that set NODE_ENV=production
// themselves when it is unset: react-router-serve
// (`process.env.NODE_ENV = process.env.NODE_ENV ?? "production"` before it
// loads the app).
var productionServers = map[string]bool{"react-router-serve": true}

// DefaultsToProduction reports whether a command name is a server binary
// that sets NODE_ENV=production when it is unset.
func DefaultsToProduction(name string) bool { return productionServers[name] }
