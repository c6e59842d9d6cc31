// Package dockerfile is a positioned model of a Dockerfile built on Docker's
// own parser (moby/buildkit): stages with resolved base images, typed
// instructions with exact line ranges, and RUN shell parsed into commands.
package dockerfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"

	"github.com/seaworthy-dev/seaworthy/internal/memo"
	"github.com/seaworthy-dev/seaworthy/source/buildcontext"
)

// File is a parsed Dockerfile.
type File struct {
	Path   string
	Source []byte
	// Lines holds the source lines without line terminators; Lines[0] is line 1.
	Lines []string
	// Escape is the escape token (`\` unless `# escape=` says otherwise).
	Escape rune
	// Syntax is the value of a `# syntax=` directive, if any.
	Syntax string
	// Instructions lists every instruction in source order.
	Instructions []*Instruction
	// MetaArgs are the ARG instructions before the first FROM.
	MetaArgs []*Instruction
	Stages   []*Stage
	// Errors are the places where Docker's parser rejects the file. An
	// error on line 0 is about the whole file (see Unusable).
	Errors []SyntaxError
	// Comments are the full-line comments, in order.
	Comments []Comment
	// Context reads the files of the build context the Dockerfile is
	// built from (scripts it runs, the package.json and lockfile it
	// copies, an .npmrc a COPY names); nil when the Dockerfile is checked
	// without one. The checker sets it before rules run. It is the only
	// way rules read the context: facts/stage traces a file of the image
	// back to it (FileAt, ImageFile, Script, RunScript).
	Context *buildcontext.Dir

	// unusable says why the file is no Dockerfile at all (see Unusable).
	unusable error

	derived memo.Table // see Memo
}

// SyntaxError is a parse failure with its position; Line 0 means the
// whole file.
type SyntaxError struct {
	Line    int
	Message string
}

// Unusable says why the file is not a Dockerfile at all: it is empty, has
// only comments, is binary, or could not be read (see Unreadable). Such a
// file has no instructions and one error on line 0 saying the same; nil
// for any other file, even one with syntax errors.
func (f *File) Unusable() error { return f.unusable }

// Unreadable returns the File of a Dockerfile that could not be read:
// nothing but the error, on line 0.
func Unreadable(path string, err error) *File {
	err = fmt.Errorf("cannot be read: %w", err)
	return &File{Path: path, Escape: '\\', unusable: err, Errors: []SyntaxError{{Message: err.Error()}}}
}

// Comment is a full-line `#` comment.
type Comment struct {
	Line int
	Text string // without the leading '#', trimmed
}

// Stage is one FROM and its instructions.
type Stage struct {
	Index int
	// Name is the `AS` name, lower-cased as Docker does; empty when unnamed.
	Name string
	From *Instruction
	Base BaseImage
	// Instructions holds the stage's instructions after FROM.
	Instructions []*Instruction
	// Final is set for the stage built by default (the last) and the
	// stage named by the target, if any.
	Final bool

	derived memo.Table // see Memo
}

// Label names the stage for messages: its name, or its index.
func (s *Stage) Label() string {
	if s.Name != "" {
		return fmt.Sprintf("%q", s.Name)
	}
	return fmt.Sprintf("#%d", s.Index)
}

// Instruction is one Dockerfile instruction.
type Instruction struct {
	// Keyword is the upper-case instruction name ("RUN").
	Keyword string
	Node    *parser.Node
	// Command is the typed instruction from buildkit's instructions
	// package (*instructions.RunCommand, …), nil when it did not parse.
	// The sources and destination of a shell-form COPY or ADD have their
	// quotes removed, as BuildKit's word processing does at build time
	// (`COPY "package.json" "/app/"` copies package.json to /app/);
	// variables stay as written.
	Command any
	// Stage is nil for ARGs before the first FROM.
	Stage              *Stage
	StartLine, EndLine int
	// Flags are the instruction's `--flag=value` words as written.
	Flags []string
	// Script is the parsed shell of RUN, and of shell-form CMD, ENTRYPOINT
	// and HEALTHCHECK CMD; exec forms get one command from the JSON array.
	Script *Script
	// Mounts are the RUN --mount flags.
	Mounts []*instructions.Mount
}

// Args returns the instruction's argument words as Docker split them.
func (in *Instruction) Args() []string {
	var out []string
	for n := in.Node.Next; n != nil; n = n.Next {
		out = append(out, n.Value)
	}
	return out
}

// Flag returns the value of --name=value (and whether it was given).
func (in *Instruction) Flag(name string) (string, bool) {
	for _, f := range in.Flags {
		f = strings.TrimPrefix(f, "--")
		k, v, hasValue := strings.Cut(f, "=")
		if strings.EqualFold(k, name) {
			if !hasValue {
				return "true", true
			}
			return v, true
		}
	}
	return "", false
}

// ExecForm reports whether a CMD/ENTRYPOINT/RUN/SHELL is in JSON (exec) form.
func (in *Instruction) ExecForm() bool {
	return in.Node.Attributes["json"]
}

// LineLen returns the byte length of line n (1-based), 0 if out of range.
func (f *File) LineLen(n int) int {
	if n < 1 || n > len(f.Lines) {
		return 0
	}
	return len(f.Lines[n-1])
}

// Line returns line n (1-based) or "".
func (f *File) Line(n int) string {
	if n < 1 || n > len(f.Lines) {
		return ""
	}
	return f.Lines[n-1]
}

// FinalStages returns the stages marked final.
func (f *File) FinalStages() []*Stage {
	var out []*Stage
	for _, s := range f.Stages {
		if s.Final {
			out = append(out, s)
		}
	}
	return out
}

// StageByName finds a stage by its AS name (case-insensitive) or index.
func (f *File) StageByName(name string) *Stage {
	name = strings.ToLower(name)
	for _, s := range f.Stages {
		if s.Name != "" && s.Name == name {
			return s
		}
	}
	for _, s := range f.Stages {
		if fmt.Sprint(s.Index) == name {
			return s
		}
	}
	return nil
}

// What makes a file no Dockerfile at all (see File.Unusable).
var (
	ErrBinary         = errors.New("not a text file (binary content)")
	ErrEmpty          = errors.New("empty Dockerfile")
	ErrNoInstructions = errors.New("no instructions (only comments or blank lines)")
)

// Options control parsing.
type Options struct {
	// Target names the stage built with --target; it is marked final in
	// addition to the last stage, or instead of it with TargetOnly.
	Target string
	// TargetOnly says the last stage is not built: the target is the
	// only final stage (with Targets, the targets are).
	TargetOnly bool
	// Targets are the stages a project's build commands build when they
	// name several (uptime-kuma's `--target nightly` and `--target
	// pr-test2`), marked final like Target; names of no stage are
	// skipped, and when none is left the last stage stays final.
	Targets []string
}

// Equal reports whether two option sets parse a Dockerfile the same way.
func (o Options) Equal(p Options) bool {
	return o.Target == p.Target && o.TargetOnly == p.TargetOnly && slices.Equal(o.Targets, p.Targets)
}

// ErrUnknownTarget is returned when Options.Target names no stage.
type ErrUnknownTarget struct{ Target string }

func (e *ErrUnknownTarget) Error() string {
	return fmt.Sprintf("target stage %q not found", e.Target)
}

// Parse parses Dockerfile source. Content Docker cannot parse is recorded
// in File.Errors with its line (the DF000 finding), and so is input that
// is not a Dockerfile at all (see File.Unusable: binary, empty, only
// comments). Parse itself fails only for an unknown target.
func Parse(path string, src []byte, opts Options) (*File, error) {
	f := &File{Path: path, Source: src, Escape: '\\'}
	if isBinary(src) {
		f.unusable = ErrBinary
		f.Errors = []SyntaxError{{Message: ErrBinary.Error()}}
		return f, nil
	}
	text := strings.TrimSuffix(string(src), "\n")
	if text != "" {
		f.Lines = strings.Split(text, "\n")
		for i, l := range f.Lines {
			f.Lines[i] = strings.TrimSuffix(l, "\r")
		}
	}
	for i, l := range f.Lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "#") {
			f.Comments = append(f.Comments, Comment{Line: i + 1, Text: strings.TrimSpace(strings.TrimPrefix(t, "#"))})
		}
	}
	if syn, ok := detectSyntax(src); ok {
		f.Syntax = syn
	}
	if !hasInstruction(f.Lines) {
		f.unusable = ErrNoInstructions
		if len(bytes.TrimSpace(src)) == 0 {
			f.unusable = ErrEmpty
		}
		f.Errors = []SyntaxError{{Message: f.unusable.Error()}}
		return f, nil
	}
	res, err := parseAST(src)
	if err != nil {
		f.Errors = append(f.Errors, syntaxError(err, 1))
		return f, nil
	}
	f.Escape = res.EscapeToken
	var cur *Stage
	curFrom := 0 // the index in f.Instructions of cur's FROM
	// A stage's instructions are the run of f.Instructions after its FROM.
	// end is the index after the stage's last instruction.
	closeStage := func(end int) {
		if cur != nil && end > curFrom+1 {
			cur.Instructions = f.Instructions[curFrom+1 : end : end]
		}
	}
	all := make([]Instruction, len(res.AST.Children)) // one allocation for all
	for i, node := range res.AST.Children {
		in := &all[i]
		*in = Instruction{
			Keyword:   strings.ToUpper(node.Value),
			Node:      node,
			StartLine: node.StartLine,
			EndLine:   node.EndLine,
			Flags:     node.Flags,
		}
		cmd, perr := parseInstruction(node)
		if perr != nil {
			f.Errors = append(f.Errors, syntaxError(perr, node.StartLine))
		} else {
			in.Command = cmd
			if !node.Attributes["json"] {
				f.unquotePaths(cmd)
			}
		}
		if f.Instructions == nil {
			f.Instructions = make([]*Instruction, 0, len(all))
		}
		f.Instructions = append(f.Instructions, in)
		if in.Keyword == "FROM" {
			closeStage(len(f.Instructions) - 1)
			curFrom = len(f.Instructions) - 1
			st := &Stage{Index: len(f.Stages), From: in}
			if s, ok := cmd.(*instructions.Stage); ok {
				st.Name = s.Name
			} else if args := in.Args(); len(args) == 3 && strings.EqualFold(args[1], "as") {
				st.Name = strings.ToLower(args[2])
			}
			in.Stage = st
			f.Stages = append(f.Stages, st)
			cur = st
			continue
		}
		if cur == nil {
			if in.Keyword == "ARG" {
				f.MetaArgs = append(f.MetaArgs, in)
			} else if perr == nil {
				f.Errors = append(f.Errors, SyntaxError{Line: node.StartLine, Message: fmt.Sprintf("%s before the first FROM: only ARG may come before FROM", in.Keyword)})
			}
			continue
		}
		in.Stage = cur
		if run, ok := cmd.(*instructions.RunCommand); ok && hasMountFlag(node.Flags) {
			// The parser defers --mount options to build-time expansion and
			// leaves them empty; expand them as written (variables kept).
			in.Mounts = runMounts(run)
		}
	}
	closeStage(len(f.Instructions))
	if len(f.Stages) == 0 && len(f.Errors) == 0 {
		line := 1
		if len(f.Instructions) > 0 {
			line = f.Instructions[0].StartLine
		}
		f.Errors = append(f.Errors, SyntaxError{Line: line, Message: "no FROM instruction: a Dockerfile must start a stage with FROM"})
	}
	f.resolveBases()
	var named []*Stage
	for _, t := range opts.Targets {
		if st := f.StageByName(t); st != nil {
			named = append(named, st)
		}
	}
	if n := len(f.Stages); n > 0 && (opts.Target == "" && len(named) == 0 || !opts.TargetOnly) {
		f.Stages[n-1].Final = true
	}
	for _, st := range named {
		st.Final = true
	}
	if opts.Target != "" && len(f.Stages) > 0 {
		st := f.StageByName(opts.Target)
		if st == nil {
			return nil, &ErrUnknownTarget{Target: opts.Target}
		}
		st.Final = true
	}
	f.parseScripts()
	return f, nil
}

// parseAST runs Docker's parser, turning a panic inside it (never seen, but
// the parser is not ours) into an error.
func parseAST(src []byte) (res *parser.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("parser failure: %v", r)
		}
	}()
	return parser.Parse(bytes.NewReader(src))
}

// parseInstruction types one instruction without buildkit's linter. The
// comments above an instruction only feed that linter (`# check=`
// directives, definition descriptions) and the doc comments of the typed
// FROM and ARG, which nothing here reads; the parser would run its
// directive regexp on each of them, so they are hidden while it runs.
func parseInstruction(node *parser.Node) (cmd any, err error) {
	comments := node.PrevComment
	node.PrevComment = nil
	defer func() {
		node.PrevComment = comments
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot parse %s: %v", strings.ToUpper(node.Value), r)
		}
	}()
	cmd, err = instructions.ParseInstruction(node)
	if err != nil {
		// HEALTHCHECK's --interval and the like go through
		// time.ParseDuration, whose error names Go's package.
		var num *strconv.NumError
		if v, ok := strings.CutPrefix(err.Error(), "time: "); ok {
			err = fmt.Errorf("%s: %s (want a duration such as 30s or 1m30s)", strings.ToUpper(node.Value), v)
		} else if errors.As(err, &num) {
			// --retries and the like go through strconv.
			err = fmt.Errorf("%s: %q is not a whole number", strings.ToUpper(node.Value), num.Num)
		}
	}
	return cmd, err
}

// detectSyntax is parser.DetectSyntax: the `# syntax=` (or `// syntax=`)
// directive among the leading comment lines, or the "syntax" key of a JSON
// object. It feeds the leading lines to buildkit's directive parser itself,
// sparing the line scanners DetectSyntax allocates for every file.
func detectSyntax(src []byte) (string, bool) {
	body := bytes.TrimPrefix(src, []byte{0xEF, 0xBB, 0xBF})
	if bytes.HasPrefix(body, []byte("#!")) {
		_, body, _ = bytes.Cut(body, []byte("\n"))
	}
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) > 0 && t[0] == '{' {
		syn, _, _, ok := parser.DetectSyntax(src) // maybe JSON
		return syn, ok
	}
	for _, prefix := range []string{"#", "//"} {
		p := parser.DirectiveParser{}
		p.SetComment(prefix)
		for rest := body; len(rest) > 0; {
			var line []byte
			line, rest, _ = bytes.Cut(rest, []byte("\n"))
			if len(line) >= 4096 {
				// Long lines: leave the scanner's limits to DetectSyntax.
				syn, _, _, ok := parser.DetectSyntax(src)
				return syn, ok
			}
			d, err := p.ParseLine(bytes.TrimSuffix(line, []byte("\r")))
			if err != nil || d == nil {
				break // a repeated directive, or the directives ended
			}
			if d.Name == "syntax" {
				syn, _, _ := strings.Cut(d.Value, " ")
				return syn, true
			}
		}
	}
	return "", false
}

func syntaxError(err error, fallbackLine int) SyntaxError {
	line := fallbackLine
	var le *parser.LocationError
	if errors.As(err, &le) && len(le.Locations) > 0 && len(le.Locations[0]) > 0 {
		if l := le.Locations[0][0].Start.Line; l > 0 {
			line = l
		}
	}
	msg := err.Error()
	var unknown *instructions.UnknownInstructionError
	if errors.As(err, &unknown) {
		msg = unknown.Error()
	}
	return SyntaxError{Line: line, Message: msg}
}

func isBinary(src []byte) bool {
	head := src
	if len(head) > 8000 {
		head = head[:8000]
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	// Text in any 8-bit encoding (UTF-8, Latin-1, Windows-1252) is text:
	// only control characters other than whitespace, backspace and escape
	// make data binary, when they are more than one byte in ten.
	control := 0
	for _, c := range head {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != '\b' && c != 0x1b) || c == 0x7f {
			control++
		}
	}
	return control*10 > len(head)
}

// hasInstruction reports whether some line is neither blank nor a
// comment.
func hasInstruction(lines []string) bool {
	for _, l := range lines {
		if t := strings.TrimSpace(l); t != "" && t[0] != '#' {
			return true
		}
	}
	return false
}

// ReadAll reads r fully, refusing more than max bytes.
func ReadAll(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("larger than %d bytes", max)
	}
	return data, nil
}

// hasMountFlag reports whether the flags include a --mount (without one a
// RUN has no mounts to expand).
func hasMountFlag(flags []string) bool {
	for _, fl := range flags {
		if len(fl) >= 7 && strings.EqualFold(fl[:7], "--mount") {
			return true
		}
	}
	return false
}

// runMounts expands a RUN's --mount options as written (variables kept; the
// parser defers them to build time) and returns them. Expansion of odd
// flags can fail inside buildkit; then the RUN has no known mounts.
func runMounts(run *instructions.RunCommand) (mounts []*instructions.Mount) {
	defer func() {
		if recover() != nil {
			mounts = nil
		}
	}()
	if err := run.Expand(func(w string) (string, error) { return w, nil }); err != nil {
		return nil
	}
	return instructions.GetMounts(run)
}

// InputKind names the kind of rule input a File is (see analysis.Input).
func (*File) InputKind() string { return "Dockerfile" }

// unquotePaths removes the quotes and escapes of a shell-form COPY or ADD's
// sources and destination with BuildKit's own word processing and the
// file's escape token, keeping variables as written (they are expanded
// against the build's ARG and ENV only at build time). The JSON form needs
// nothing: the parser already decoded its strings. A word the lexer
// rejects stays as written.
func (f *File) unquotePaths(cmd any) {
	var sd *instructions.SourcesAndDest
	switch c := cmd.(type) {
	case *instructions.CopyCommand:
		sd = &c.SourcesAndDest
	case *instructions.AddCommand:
		sd = &c.SourcesAndDest
	default:
		return
	}
	quoted := func(s string) bool { return strings.ContainsAny(s, "\"'") || strings.ContainsRune(s, f.Escape) }
	if !quoted(sd.DestPath) && !slices.ContainsFunc(sd.SourcePaths, quoted) {
		return
	}
	lex := shell.NewLex(f.Escape)
	lex.SkipUnsetEnv = true
	env := shell.EnvsFromSlice(nil)
	word := func(s string) string {
		if !quoted(s) {
			return s
		}
		out, _, err := lex.ProcessWord(s, env)
		if err != nil {
			return s
		}
		return out
	}
	srcs := make([]string, len(sd.SourcePaths))
	for i, s := range sd.SourcePaths {
		srcs[i] = word(s)
	}
	sd.SourcePaths = srcs
	sd.DestPath = word(sd.DestPath)
}
