package df

import (
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// Facts shared by the dependency-install rules (DF006–DF009, DF020, DF021,
// DF032, DF035, DF037). Names carry an `inst` prefix to stay clear of the
// other rule groups' helpers in this package.

// instCopy is a COPY or ADD instruction's sources and destination.
type instCopy struct {
	In      *dockerfile.Instruction
	Add     bool
	From    string // --from of COPY
	Sources []string
	// Heredocs are the names of inline (heredoc) sources.
	Heredocs []string
	Dest     string
}

// instCopyOf returns the sources of a COPY/ADD that parsed.
func instCopyOf(in *dockerfile.Instruction) (instCopy, bool) {
	switch c := in.Command.(type) {
	case *instructions.CopyCommand:
		out := instCopy{In: in, From: c.From, Sources: c.SourcePaths, Dest: c.DestPath}
		for _, h := range c.SourceContents {
			out.Heredocs = append(out.Heredocs, h.Path)
		}
		return out, true
	case *instructions.AddCommand:
		out := instCopy{In: in, Add: true, Sources: c.SourcePaths, Dest: c.DestPath}
		for _, h := range c.SourceContents {
			out.Heredocs = append(out.Heredocs, h.Path)
		}
		return out, true
	}
	return instCopy{}, false
}

// instKeywordText is `COPY . .` as written on the instruction's first line
// (flags kept), for messages.
func instKeywordText(f *dockerfile.File, in *dockerfile.Instruction) string {
	t := strings.TrimSpace(f.Line(in.StartLine))
	t = strings.TrimSuffix(t, "\\")
	t = strings.TrimSpace(t)
	return instShorten(t)
}

// instShorten caps a quoted snippet at a readable length.
func instShorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 72 {
		cut := strings.LastIndex(s[:69], " ")
		if cut < 20 {
			cut = 69
		}
		s = s[:cut] + " …"
	}
	return s
}

// instCmdText renders a shell command for a message.
func instCmdText(c *dockerfile.ShellCommand) string {
	return instShorten(c.String())
}

// instWholeContext reports whether a COPY/ADD source is the whole build
// context (or, with --from, a whole stage's root).
func instWholeContext(src string) bool {
	switch strings.TrimSpace(src) {
	case ".", "./", "./.", "/", "*", "./*", "/*", ".*":
		return true
	}
	return false
}

// instBroadCopy reports whether the instruction is a COPY/ADD of the whole
// build context (not --from another stage). It returns the source.
func instBroadCopy(in *dockerfile.Instruction) (string, bool) {
	if in.Keyword != "COPY" && in.Keyword != "ADD" {
		return "", false
	}
	cp, ok := instCopyOf(in)
	if !ok || cp.From != "" {
		return "", false
	}
	for _, s := range cp.Sources {
		if instWholeContext(s) {
			return s, true
		}
	}
	return "", false
}

// instWorkdirAt is the working directory in force for an instruction of
// the stage chain at index i of instChain; "" when it depends on a variable.
func instWorkdirAt(chain []*dockerfile.Instruction, i int) string {
	dir := "/"
	for _, in := range chain[:i] {
		if in.Keyword != "WORKDIR" {
			continue
		}
		w, ok := in.Command.(*instructions.WorkdirCommand)
		if !ok {
			continue
		}
		p := w.Path
		if strings.Contains(p, "$") || dir == "" {
			dir = ""
			continue
		}
		if !strings.HasPrefix(p, "/") {
			p = path.Join(dir, p)
		}
		dir = path.Clean(p)
	}
	return dir
}

// instHasArgEq reports whether a command has `--name=value` or `--name value`.
func instHasArgEq(c *dockerfile.ShellCommand, name string, values ...string) bool {
	for i, a := range c.Args {
		for _, v := range values {
			if a == name+"="+v || a == name && i+1 < len(c.Args) && c.Args[i+1] == v {
				return true
			}
		}
	}
	return false
}

// instHasAssign reports whether a command is prefixed with NAME=value.
func instHasAssign(c *dockerfile.ShellCommand, name, value string) bool {
	for _, a := range c.Assigns {
		k, v, _ := strings.Cut(a, "=")
		if k == name && strings.Trim(v, `"'`) == value {
			return true
		}
	}
	return false
}

// instRunCommands lists the shell commands of the RUNs in instrs, in order,
// with the instruction of each.
type instRunCmd struct {
	In  *dockerfile.Instruction
	Cmd *dockerfile.ShellCommand
}

// instStageRunCommands is instRunCommands of the stage's own instructions,
// computed once per stage.
func instStageRunCommands(st *dockerfile.Stage) []instRunCmd {
	return stageFact(st, factRunCommands, func(st *dockerfile.Stage) []instRunCmd { return instRunCommands(st.Instructions) })
}

// instChainRunCommands is instRunCommands of the stage's chain (see
// dockerfile.Stage.ChainInstructions), computed once per stage.
func instChainRunCommands(st *dockerfile.Stage) []instRunCmd {
	return stageFact(st, factChainRunCommands, func(st *dockerfile.Stage) []instRunCmd { return instRunCommands(st.ChainInstructions()) })
}

func instRunCommands(instrs []*dockerfile.Instruction) []instRunCmd {
	var out []instRunCmd
	for _, in := range instrs {
		if in.Keyword != "RUN" || in.Script == nil {
			continue
		}
		for _, c := range in.Script.Commands {
			out = append(out, instRunCmd{In: in, Cmd: c})
		}
	}
	return out
}

// instToken is a word of a shell command as written in the Dockerfile.
// instToken is a shell word with its position in the Dockerfile.
type instToken = dockerfile.SourceWord

// instCommandTokens returns the words of a shell command as written in the
// Dockerfile (see dockerfile.File.SourceWords).
func instCommandTokens(f *dockerfile.File, in *dockerfile.Instruction, c *dockerfile.ShellCommand) []instToken {
	return f.SourceWords(in, c)
}

// instWordEdit replaces one token's text.
func instWordEdit(t instToken, newText string) analysis.Edit {
	return analysis.Edit{
		Start:   analysis.Pos{Line: t.Line, Col: t.Col},
		End:     analysis.Pos{Line: t.Line, Col: t.Col + len(t.Text)},
		NewText: newText,
	}
}

// instLockfiles are the lockfiles each manager's frozen install needs.
var instLockfiles = map[Manager][]string{
	NPM:  {"package-lock.json", "npm-shrinkwrap.json"},
	Yarn: {"yarn.lock"},
	PNPM: {"pnpm-lock.yaml"},
	Bun:  {"bun.lock", "bun.lockb"},
}

// instNamesFile reports whether a COPY source (a path or a glob) can name
// one of the files.
func instNamesFile(src string, names []string) bool {
	base := path.Base(strings.TrimSuffix(src, "/"))
	for _, n := range names {
		if base == n {
			return true
		}
		if ok, err := path.Match(base, n); err == nil && ok {
			return true
		}
	}
	return false
}

// instLooksLikeDir reports whether a COPY source may be a directory: it
// ends in `/`, has no extension, or uses a variable.
func instLooksLikeDir(src string) bool {
	if strings.Contains(src, "$") || strings.HasSuffix(src, "/") {
		return true
	}
	base := path.Base(src)
	if strings.ContainsAny(base, "*?[") {
		return base == "*"
	}
	return !strings.Contains(strings.TrimPrefix(base, "."), ".")
}

// instIsArchiveOrRemote: ADD sources Docker fetches or unpacks.
func instIsArchiveOrRemote(src string) bool {
	l := strings.ToLower(src)
	if strings.Contains(l, "://") || strings.HasPrefix(l, "git@") {
		return true
	}
	for _, ext := range []string{".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst"} {
		if strings.HasSuffix(l, ext) {
			return true
		}
	}
	return false
}

// instIsBuildTool names the packages that only a build needs.
var instBuildTools = map[string]bool{
	"build-essential": true, "gcc": true, "g++": true, "gcc-c++": true, "make": true,
	"cmake": true, "clang": true, "python3": true, "python": true, "python2": true,
	"git": true, "node-gyp": true, "alpine-sdk": true, "build-base": true,
}

// instStripVersion drops an npm-style version (`node-gyp@10`, `@scope/x@1`).
func instStripVersion(pkg string) string {
	if i := strings.LastIndex(pkg, "@"); i > 0 {
		return pkg[:i]
	}
	return pkg
}
