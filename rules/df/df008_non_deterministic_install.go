package df

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/install"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/buildcontext"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/nodeproject"
)

// NonDeterministicInstall reports project installs that may resolve other
// versions than the lockfile pins.
var NonDeterministicInstall = register(&analysis.Rule{
	ID:       "DF008",
	Name:     "non-deterministic-install",
	Title:    "dependency install does not enforce the lockfile",
	Severity: analysis.Warning,
	Fixable:  true,
	Doc: analysis.Doc{
		Why: "`npm install`, `yarn install` and `pnpm install` treat the lockfile as a hint: when it " +
			"and `package.json` disagree, or a range allows a newer version, they resolve again and " +
			"install something else than what was tested. Two builds of the same commit can then ship " +
			"different dependencies. `npm ci`, `yarn install --frozen-lockfile` (Yarn 1) or " +
			"`--immutable` (Yarn 2+), and `pnpm install --frozen-lockfile` install exactly the " +
			"lockfile and fail when it is out of date. (pnpm and Yarn 2+ only default to frozen when " +
			"the `CI` variable is set, which it is not inside `docker build`.)",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm install\nUSER node\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nUSER node\n",
		Fix: "Copy the lockfile before the install and use the frozen install of the package " +
			"manager: `npm ci`, `yarn install --frozen-lockfile` (Yarn 1) or `yarn install " +
			"--immutable` (Yarn 2+), `pnpm install --frozen-lockfile`, `bun install --frozen-lockfile`. " +
			"`seaworthy fix` does it when the lockfile is where the install runs: copied by name before it, or, " +
			"checked with the build context, put there by a glob, directory or whole-context COPY from a file the " +
			"context has and the .dockerignore does not exclude. It replaces `npm install` with `npm ci` and adds " +
			"`--frozen-lockfile` to `pnpm install`, and `--frozen-lockfile` (Yarn 1) or `--immutable` (Yarn 2+, told " +
			"by the lockfile) to `yarn install`. Installing named packages (`npm install -g pm2@5`) is not reported.",
		AppliesTo: "An install that ignores the lockfile gives development and test images other versions than the " +
			"lockfile (and production) has: tests then test something else.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		for _, st := range f.Stages {
			for _, si := range stage.Installs(st) {
				i := si.Install
				if !i.ProjectInstall() || i.Frozen || generatedBefore(st, si.Instr, i.Cmd) {
					continue
				}
				c := i.Cmd
				var msg, help string
				// Name a lockfile only when the Dockerfile copies one: the
				// project may have none, or another manager's.
				lock := copiedLockfile(st, si.Instr, i.Manager)
				pins := "a lockfile would pin"
				if lock != "" {
					pins = lock + " pins"
				}
				switch i.Manager {
				case install.NPM:
					if i.Verb != "install" {
						continue
					}
					msg = fmt.Sprintf("`%s` installs without enforcing the lockfile: the build can resolve different versions than %s", cmdText(c), pins)
					if lock == "" {
						msg = fmt.Sprintf("`%s` installs without enforcing a lockfile: the build can resolve different versions than %s", cmdText(c), pins)
					}
					help = "use `npm ci` (after copying package-lock.json)"
				case install.Yarn:
					if command.HasAssign(c, "YARN_ENABLE_IMMUTABLE_INSTALLS", "true") {
						continue
					}
					if v, ok := stage.EnvBefore(st, "YARN_ENABLE_IMMUTABLE_INSTALLS", si.Instr.StartLine); ok && (v == "true" || v == "1") {
						continue
					}
					msg = fmt.Sprintf("`%s` without `--frozen-lockfile`/`--immutable`: the build can resolve different versions than %s", cmdText(c), pins)
					help = "use `yarn install --frozen-lockfile` (Yarn 1) or `yarn install --immutable` (Yarn 2+)"
				case install.PNPM:
					// CI makes pnpm frozen by default; --offline (after `pnpm
					// fetch`) can only install what the lockfile fetched.
					if instCIEnv(st, si.Instr, c) || c.HasArg("--offline") {
						continue
					}
					msg = fmt.Sprintf("`%s` without `--frozen-lockfile`: the build can resolve different versions than %s (pnpm only defaults to frozen when CI is set)", cmdText(c), pins)
					help = "use `pnpm install --frozen-lockfile`"
				case install.Bun:
					msg = fmt.Sprintf("`%s` without `--frozen-lockfile`: the build can resolve different versions than %s", cmdText(c), pins)
					help = "use `bun install --frozen-lockfile`"
				default:
					continue
				}
				fd := analysis.Finding{
					Range:   locate.Command(f, c),
					Message: msg,
					Help:    help,
				}
				switch i.Manager {
				case install.NPM:
					fd.Fix = npmCIFix(f, st, si)
				case install.PNPM, install.Yarn:
					fd.Fix = frozenFlagFix(f, st, si)
				}
				pass.Report(fd)
			}
		}
	}),
})

// copiedLockfile returns the name of a lockfile of manager m that the
// stage (or a stage it builds on) copies by name before in, or that in
// bind-mounts; "" when the Dockerfile shows none.
func copiedLockfile(st *dockerfile.Stage, in *dockerfile.Instruction, m install.Manager) string {
	names := install.Lockfiles[m]
	lockName := func(p string) string {
		b := path.Base(strings.TrimSuffix(strings.Trim(p, `"'`), "/"))
		for _, n := range names {
			if b == n {
				return n
			}
		}
		return ""
	}
	for _, mt := range in.Mounts {
		if mt.Type != instructions.MountTypeBind {
			continue
		}
		if n := lockName(mt.Source); n != "" {
			return n
		}
		if n := lockName(mt.Target); n != "" {
			return n
		}
	}
	for _, prev := range st.ChainInstructions() {
		if prev == in {
			break
		}
		cp, ok := stage.CopyOf(prev)
		if !ok {
			continue
		}
		for _, src := range append(append([]string{}, cp.Sources...), cp.Heredocs...) {
			if n := lockName(src); n != "" {
				return n
			}
		}
	}
	return ""
}

// instCIEnv reports whether CI is set for the command (pnpm and Yarn 2+ then
// default to a frozen install).
func instCIEnv(st *dockerfile.Stage, in *dockerfile.Instruction, c *dockerfile.ShellCommand) bool {
	if command.HasAssign(c, "CI", "true") || command.HasAssign(c, "CI", "1") {
		return true
	}
	v, ok := stage.EnvBefore(st, "CI", in.StartLine)
	return ok && v != "" && v != "false" && v != "0"
}

// npmCIAccepted are the flags of `npm install` that `npm ci` takes with the
// same meaning; any other flag blocks the fix.
var npmCIAccepted = map[string]bool{
	"--omit=dev": true, "--omit=optional": true, "--omit=peer": true, "--production": true,
	"--only=production": true, "--only=prod": true, "--include=dev": true, "--include=optional": true,
	"--no-audit": true, "--audit=false": true, "--no-fund": true, "--fund=false": true,
	"--legacy-peer-deps": true, "--strict-peer-deps": true, "--ignore-scripts": true,
	"--no-optional": true, "--prefer-offline": true, "--prefer-online": true, "--offline": true,
	"--no-progress": true, "--progress=false": true, "--unsafe-perm": true, "--unsafe-perm=true": true,
	"--silent": true, "--quiet": true, "--verbose": true, "-q": true, "-s": true, "-d": true,
	"--foreground-scripts": true, "--no-update-notifier": true, "--update-notifier=false": true,
}

// npmCIFlagWithValue are accepted flags that may take their value as the
// next word.
var npmCIFlagWithValue = map[string]bool{
	"--omit": true, "--include": true, "--loglevel": true, "--cache": true, "--registry": true,
}

// npmCIFix replaces `install` with `ci` when the stage brought the npm
// lockfile in by name before the RUN (or, checked with its build, a COPY
// put the context's lockfile where the install runs), and every flag
// means the same to `npm ci`.
func npmCIFix(f *dockerfile.File, st *dockerfile.Stage, si stage.Install) *analysis.Fix {
	c := si.Cmd
	if c.Base() != "npm" {
		return nil
	}
	if !npmLockfileBefore(st, si.Instr, c) {
		if _, _, ok := lockfileInContext(f, st, si, install.NPM); !ok {
			return nil
		}
	}
	verb := ""
	for i := 0; i < len(c.Args); i++ {
		a := c.Args[i]
		if strings.HasPrefix(a, "-") {
			k, _, hasValue := strings.Cut(a, "=")
			switch {
			case npmCIAccepted[a]:
			case npmCIFlagWithValue[k] && hasValue:
			case npmCIFlagWithValue[a] && i+1 < len(c.Args):
				i++
			default:
				return nil
			}
			continue
		}
		if verb != "" {
			return nil // a package argument: not a project install
		}
		verb = a
	}
	if verb == "" {
		return nil
	}
	toks := commandTokens(f, si.Instr, c)
	if len(toks) < 2 || toks[0].Text != c.Name {
		return nil
	}
	for _, t := range toks[1:] {
		if strings.HasPrefix(t.Text, "-") {
			if npmCIFlagWithValue[t.Text] {
				return nil // keep it simple: value may look like the verb
			}
			continue
		}
		if t.Text != verb {
			return nil
		}
		return &analysis.Fix{
			Title: fmt.Sprintf("Replace `npm %s` with `npm ci`", verb),
			Edits: []analysis.Edit{wordEdit(t, "ci")},
		}
	}
	return nil
}

// npmLockfileBefore reports whether the stage copies package-lock.json or
// npm-shrinkwrap.json by name, into the directory the install runs in,
// before in (or bind-mounts it into in). A RUN that changes directory
// (`cd`, `--prefix`) gets no fix.
func npmLockfileBefore(st *dockerfile.Stage, in *dockerfile.Instruction, c *dockerfile.ShellCommand) bool {
	names := install.Lockfiles[install.NPM]
	isLock := func(p string) bool {
		b := path.Base(strings.TrimSuffix(p, "/"))
		for _, n := range names {
			if b == n {
				return true
			}
		}
		return false
	}
	runDir := installDir(st, in, c)
	if runDir == "" {
		return false
	}
	for _, m := range in.Mounts {
		if m.Type == instructions.MountTypeBind && (isLock(m.Source) || isLock(m.Target)) {
			return true
		}
	}
	chain := st.ChainInstructions()
	runAt := len(chainBefore(st, in))
	for i, prev := range chain[:runAt] {
		if prev.Stage != st {
			continue
		}
		cp, ok := stage.CopyOf(prev)
		if !ok {
			continue
		}
		named := false
		for _, s := range append(append([]string{}, cp.Sources...), cp.Heredocs...) {
			named = named || isLock(s)
		}
		if !named || strings.Contains(cp.Dest, "$") {
			continue
		}
		dest := cp.Dest
		if isLock(dest) && !strings.HasSuffix(dest, "/") {
			dest = path.Dir(dest)
		}
		if !strings.HasPrefix(dest, "/") {
			base := stage.WorkdirAt(chain, i)
			if base == "" {
				continue
			}
			dest = path.Join(base, dest)
		}
		if path.Clean(dest) == runDir {
			return true
		}
	}
	return false
}

// installDir is the directory an install command runs in: the WORKDIR of
// its RUN; "" when that is unknown or the RUN changes directory (`cd`,
// `--prefix`).
func installDir(st *dockerfile.Stage, in *dockerfile.Instruction, c *dockerfile.ShellCommand) string {
	if movesDir(c) || in.Script == nil {
		return ""
	}
	for _, p := range in.Script.Commands {
		if p.Base() == "cd" || p.Base() == "pushd" {
			return ""
		}
	}
	chain := st.ChainInstructions()
	for i, x := range chain {
		if x == in {
			return stage.WorkdirAt(chain, i)
		}
	}
	return ""
}

// lockfileInContext returns the lockfile of manager m that a COPY before
// the install put into the directory it runs in, read from the build
// context (stage.FileAt), with its content.
func lockfileInContext(f *dockerfile.File, st *dockerfile.Stage, si stage.Install, m install.Manager) (string, []byte, bool) {
	dir := installDir(st, si.Instr, si.Cmd)
	if dir == "" {
		return "", nil, false
	}
	for _, name := range install.Lockfiles[m] {
		if lock := stage.FileAt(f, chainBefore(st, si.Instr), path.Join(dir, name), writesLockfile, buildcontext.MaxFixFileSize); lock.Read {
			return name, lock.Data, true
		}
	}
	return "", nil, false
}

// chainBefore returns the instructions of the stage chain of st that run
// before in.
func chainBefore(st *dockerfile.Stage, in *dockerfile.Instruction) []*dockerfile.Instruction {
	chain := st.ChainInstructions()
	for i, x := range chain {
		if x == in {
			return chain[:i]
		}
	}
	return nil
}

// writesLockfile reports whether a RUN may put another lockfile in place.
func writesLockfile(in *dockerfile.Instruction) bool {
	if in.Script == nil {
		return true
	}
	for _, c := range in.Script.Commands {
		if mayWriteLockfile(c, nodeproject.LockfileNames) {
			return true
		}
	}
	return false
}

// frozenBlockers are pnpm and Yarn flags that ask for a lockfile update
// or say the install is not to be frozen: no fix then.
var frozenBlockers = map[string]bool{
	"--no-frozen-lockfile": true, "--frozen-lockfile=false": true, "--no-immutable": true, "--immutable=false": true,
	"--fix-lockfile": true, "--lockfile-only": true, "--no-lockfile": true, "--update-checksums": true,
	"--mode=update-lockfile": true, "--refresh-lockfile": true, "--force": true,
}

// frozenFlagFix adds the frozen-install flag to `pnpm install` (after
// `install`) and to `yarn install` or bare `yarn`: `--frozen-lockfile`
// for pnpm and Yarn 1, `--immutable` for Yarn 2+ (told by the lockfile:
// Yarn 1's starts with "# yarn lockfile v1", Yarn 2+'s has __metadata).
// Only when the manager's lockfile, traced to the build context, is
// where the install runs.
func frozenFlagFix(f *dockerfile.File, st *dockerfile.Stage, si stage.Install) *analysis.Fix {
	c := si.Cmd
	if string(si.Manager) != c.Base() {
		return nil // through corepack, npx or a wrapper: left alone
	}
	for _, a := range c.Args {
		if frozenBlockers[a] {
			return nil
		}
	}
	_, lock, ok := lockfileInContext(f, st, si, si.Manager)
	if !ok {
		return nil
	}
	flag := "--frozen-lockfile"
	if si.Manager == install.Yarn {
		switch {
		case bytes.Contains(lock, []byte("# yarn lockfile v1")):
		case bytes.Contains(lock, []byte("__metadata:")):
			flag = "--immutable"
		default:
			return nil
		}
	}
	toks := commandTokens(f, si.Instr, c)
	if len(toks) < 1 || toks[0].Text != c.Name {
		return nil
	}
	at := toks[0]
	if si.Verb != "" {
		found := false
		for _, t := range toks[1:] {
			if strings.HasPrefix(t.Text, "-") {
				continue
			}
			if t.Text != "install" && t.Text != "i" {
				return nil
			}
			at, found = t, true
			break
		}
		if !found {
			return nil
		}
	}
	pos := analysis.Pos{Line: at.Line, Col: at.Col + len(at.Text)}
	return &analysis.Fix{
		Title: fmt.Sprintf("Add `%s`", flag),
		Edits: []analysis.Edit{{Start: pos, End: pos, NewText: " " + flag}},
	}
}

// generatedBefore reports whether the stage generates the project before
// the install c of the RUN in (`yarn create nocobase-app`, `npx
// create-next-app`, `npm init vite`): a project generated in the build has
// no committed lockfile to enforce.
func generatedBefore(st *dockerfile.Stage, in *dockerfile.Instruction, c *dockerfile.ShellCommand) bool {
	for _, rc := range stage.RunCommands(st) {
		if rc.In.StartLine > in.StartLine || rc.Cmd == c {
			break
		}
		if command.GeneratesProject(command.Words(rc.Cmd)) {
			return true
		}
	}
	return false
}
