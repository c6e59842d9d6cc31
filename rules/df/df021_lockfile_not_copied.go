package df

import (
	"fmt"
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// LockfileNotCopied reports a frozen install with no lockfile in the image.
var LockfileNotCopied = register(&analysis.Rule{
	ID:       "DF021",
	Name:     "lockfile-not-copied",
	Title:    "frozen install runs without the lockfile",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "`npm ci`, `yarn install --frozen-lockfile`/`--immutable`, `pnpm install " +
			"--frozen-lockfile` and `bun install --frozen-lockfile` install exactly what the " +
			"lockfile pins, so the lockfile has to be in the image when they run. A stage that " +
			"copies only `package.json` makes `npm ci` fail (\"can only install with an existing " +
			"package-lock.json\"), and makes the other managers either fail or resolve versions " +
			"afresh, which is exactly what the frozen install was meant to prevent.",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci --omit=dev\nUSER node\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\nUSER node\n",
		Fix: "Copy the lockfile with the manifest before the install: `COPY package.json " +
			"package-lock.json ./` (npm), `yarn.lock` (and `.yarnrc.yml`, `.yarn/` for Yarn 2+), " +
			"`pnpm-lock.yaml`, `bun.lock`. A bind mount works too: " +
			"`RUN --mount=type=bind,source=package-lock.json,target=package-lock.json npm ci`.",
		AppliesTo: "The build fails, whatever the image is for.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			chain := st.ChainInstructions()
			for idx, in := range chain {
				if in.Stage != st || in.Keyword != "RUN" || in.Script == nil {
					continue
				}
				for k, c := range in.Script.Commands {
					i, ok := install.Classify(c)
					if !ok || !i.ProjectInstall() || !i.Frozen {
						continue
					}
					names := install.Lockfiles[i.Manager]
					if len(names) == 0 || lockfileAvailable(chain, idx, in.Script.Commands[:k], c, names) {
						continue
					}
					pass.Report(analysis.Finding{
						Range: locate.Command(f, c),
						Message: fmt.Sprintf("`%s` needs %s, but no earlier COPY (or bind mount) brings it into the image: the install fails or ignores the lockfile",
							cmdText(c), lockfileNames(names)),
						Help: fmt.Sprintf("copy %s next to package.json before the install", lockfileNames(names)),
					})
				}
			}
		}
	}),
})

func lockfileNames(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "`" + n + "`"
	}
	return strings.Join(q, " or ")
}

// lockfileAvailable reports whether the lockfile may be present when the
// install c (in chain[idx], after the commands before) runs. It errs on the
// side of "yes": whole-context copies, globs and directory copies that land
// where the install runs, bind mounts, archives and downloads all count.
func lockfileAvailable(chain []*dockerfile.Instruction, idx int, before []*dockerfile.ShellCommand, c *dockerfile.ShellCommand, names []string) bool {
	in := chain[idx]
	runDir := stage.WorkdirAt(chain, idx)
	wide := runDir == "" || movesDir(c)
	for _, p := range in.Script.Commands {
		if p.Base() == "cd" || p.Base() == "pushd" {
			wide = true
		}
	}
	for _, m := range in.Mounts {
		if m.Type != instructions.MountTypeBind {
			continue
		}
		if stage.NamesFile(m.Source, names) || stage.NamesFile(m.Target, names) || m.Source == "" || stage.LooksLikeDir(m.Source) {
			return true
		}
	}
	for _, p := range before {
		if mayWriteLockfile(p, names) {
			return true
		}
	}
	for j, prev := range chain[:idx] {
		if prev.Keyword == "RUN" && prev.Script != nil {
			for _, p := range prev.Script.Commands {
				if mayWriteLockfile(p, names) {
					return true
				}
			}
			continue
		}
		cp, ok := stage.CopyOf(prev)
		if !ok {
			continue
		}
		if stage.NamesFile(cp.Dest, names) && !strings.HasSuffix(cp.Dest, "/") {
			return true
		}
		for _, h := range cp.Heredocs {
			if stage.NamesFile(h, names) {
				return true
			}
		}
		for _, s := range cp.Sources {
			if stage.WholeContext(s) || stage.NamesFile(s, names) || cp.Add && stage.IsArchiveOrRemote(s) {
				return true
			}
			if !stage.LooksLikeDir(s) {
				continue
			}
			if wide || strings.Contains(cp.Dest, "$") {
				return true
			}
			dest := cp.Dest
			if !strings.HasPrefix(dest, "/") {
				base := stage.WorkdirAt(chain, j)
				if base == "" {
					return true
				}
				dest = path.Join(base, dest)
			}
			dest = path.Clean(dest)
			if runDir == dest || strings.HasPrefix(runDir, strings.TrimSuffix(dest, "/")+"/") {
				return true
			}
		}
	}
	return false
}

// movesDir: the install runs elsewhere than the WORKDIR (`npm --prefix`,
// `yarn --cwd`, `pnpm -C`/`--dir`/`--filter`).
func movesDir(c *dockerfile.ShellCommand) bool {
	for _, a := range c.Args {
		k, _, _ := strings.Cut(a, "=")
		switch k {
		case "--prefix", "--cwd", "-C", "--dir", "--filter", "-F", "--workspace", "-w":
			return true
		}
	}
	return false
}

// mayWriteLockfile: commands that can put a lockfile in place (a clone, a
// download or unpack, a copy, a non-frozen install, a redirect into it).
func mayWriteLockfile(c *dockerfile.ShellCommand, names []string) bool {
	for _, r := range c.Redirects {
		if stage.NamesFile(r.Target, names) {
			return true
		}
	}
	switch c.Base() {
	case "git", "curl", "wget", "tar", "unzip", "cp", "mv", "rsync", "ln", "svn", "gh", "degit", "install":
		return true
	case "npx", "pnpx", "bunx":
		return true // degit, create-*, …
	}
	if i, ok := install.Classify(c); ok {
		return !i.Frozen && i.ProjectInstall()
	}
	switch c.Base() {
	case "npm":
		return c.HasArg("shrinkwrap") || c.HasArg("--package-lock-only") || c.HasArg("pack")
	case "yarn", "pnpm":
		return c.HasArg("import")
	}
	return false
}
