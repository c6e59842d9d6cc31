package df

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// ShellFormCommand reports a final CMD/ENTRYPOINT that runs through a shell
// which stays PID 1.
var ShellFormCommand = register(&analysis.Rule{
	ID:       "DF013",
	Name:     "shell-form-command",
	Title:    "the container command runs through a shell",
	Severity: analysis.Error,
	Purposes: analysis.Deployed,
	Fixable:  true,
	Doc: analysis.Doc{
		Why: "A shell-form `CMD node server.js` is run as `/bin/sh -c \"node server.js\"`: the shell is PID 1 " +
			"and the app is its child. `docker stop` sends SIGTERM to the shell, which does not pass it on, " +
			"so the app never gets the chance to shut down gracefully and is killed with SIGKILL after the " +
			"stop timeout (10 s by default): in-flight requests are cut off and connections are not closed. " +
			"A shell-form ENTRYPOINT also ignores CMD and the arguments of `docker run`. " +
			"An exec-form array that starts a shell (`[\"sh\", \"-c\", \"node server.js\"]`) has the same problem " +
			"unless the script `exec`s its last command. A shell form whose shell `exec`s the app " +
			"(`CMD exec node server.js`) is only a detour (the app becomes PID 1 and gets the signals) " +
			"and is reported at info. An exec form that is not valid JSON (single quotes, a missing `]`) " +
			"is run through a shell as a whole string, which fails.",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD node server.js\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Write the command as a JSON array (`CMD [\"node\", \"server.js\"]`). When you need the shell " +
			"(variables, several commands), end the script with `exec`: " +
			"`CMD [\"sh\", \"-c\", \"npm run migrate && exec node server.js\"]`. " +
			"`seaworthy fix` converts shell forms that are plain words, and exec forms written with " +
			"single quotes or without the closing `]`, to a valid exec form.",
		AppliesTo: "It is about stopping a deployed container gracefully, so that signals reach the app. A " +
			"development or test container is stopped by hand or thrown away.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		seen := map[*dockerfile.Instruction]bool{}
		for _, st := range f.FinalStages() {
			ep, cmd := stage.Command(st)
			epArgs, epShell, epOK := command.InstructionArgs(ep)
			epInit := epOK && !epShell && len(epArgs) > 0 && command.IsInit(epArgs[0])
			for _, in := range []*dockerfile.Instruction{ep, cmd} {
				args, shell, ok := command.InstructionArgs(in)
				if !ok || seen[in] {
					continue
				}
				seen[in] = true
				if in == cmd && epInit {
					// CMD is the init's argument list: the init is PID 1
					// and forwards signals.
					continue
				}
				if shell && strings.TrimSpace(strings.Join(args, " ")) == "" {
					continue
				}
				if shell {
					cmdReportShellForm(pass, f, in, strings.Join(args, " "), cmdFixSafe(st, in, cmd))
					continue
				}
				words := make([]command.LaunchWord, len(args))
				for i, a := range args {
					words[i] = command.LaunchWord{Text: a, In: in}
				}
				k := command.ShellScriptArg(words)
				if k < 0 {
					continue
				}
				last, execd, ok := command.LastCall(words[k].Text)
				if !ok || execd {
					continue
				}
				pass.Report(analysis.Finding{
					Range: locate.Instruction(f, in),
					Message: fmt.Sprintf("%s runs `%s -c %q`, whose last command `%s` is not exec'd: the shell stays PID 1 and does not forward SIGTERM to it",
						in.Keyword, args[0], analysis.Snippet(words[k].Text, 80), strings.Join(last, " ")),
					Help: fmt.Sprintf("start the last command with `exec` (`… exec %s`), or use the exec form without a shell", strings.Join(last, " ")),
				})
			}
		}
	}),
})

// cmdFixSafe: converting in to exec form keeps what the container runs. A
// SHELL instruction changes what the shell form runs with; an exec-form
// ENTRYPOINT would start taking a CMD as arguments.
func cmdFixSafe(st *dockerfile.Stage, in, cmd *dockerfile.Instruction) bool {
	for _, s := range st.Ancestors() {
		for _, i := range s.Instructions {
			if i.Keyword == "SHELL" {
				return false
			}
			if in.Keyword == "ENTRYPOINT" && i.Keyword == "CMD" && s == in.Stage {
				return false
			}
		}
	}
	return in.Keyword != "ENTRYPOINT" || cmd == nil
}

func cmdReportShellForm(pass *analysis.Pass, f *dockerfile.File, in *dockerfile.Instruction, text string, canFix bool) {
	var fix *analysis.Fix
	if canFix {
		fix = execFormFix(f, in)
	}
	help := fmt.Sprintf("write it in exec form, e.g. `%s [\"…\", \"…\"]`", in.Keyword)
	if fix != nil {
		help = fmt.Sprintf("write it in exec form: `%s %s`", in.Keyword, fix.Edits[0].NewText)
	}
	var sev analysis.Severity
	msg := fmt.Sprintf("%s `%s` is in shell form: it runs as `/bin/sh -c`, the shell is PID 1 and does not forward SIGTERM to the app", in.Keyword, analysis.Snippet(text, 80))
	if orig, malformed := cmdMalformedExecForm(f, in); malformed {
		msg = fmt.Sprintf("%s `%s` is not valid JSON, so Docker runs it through a shell: `/bin/sh -c` cannot run it as written", in.Keyword, analysis.Snippet(orig, 80))
		help = fmt.Sprintf("write the exec form as a JSON array with double quotes and a closing `]`, e.g. `%s [\"…\", \"…\"]`", in.Keyword)
		fix = nil
		if words, ok := cmdArrayWords(orig); ok {
			arr := jsonArray(words)
			help = fmt.Sprintf("write it as valid JSON: `%s %s`", in.Keyword, arr)
			if canFix {
				fix = replaceArgsFix(f, in, arr)
			}
		}
	} else if _, execd, ok := command.LastCall(text); ok && execd {
		msg = fmt.Sprintf("%s `%s` is in shell form: it runs through `/bin/sh -c` only to be exec'd; the exec form runs it directly", in.Keyword, analysis.Snippet(text, 80))
		// The shell execs the command, which becomes PID 1 and gets the
		// signals: only a detour. A shell-form ENTRYPOINT still drops CMD.
		sev = analysis.Info
		if in.Keyword == "ENTRYPOINT" {
			sev = analysis.Warning
		}
	}
	if in.Keyword == "ENTRYPOINT" {
		msg += "; a shell-form ENTRYPOINT also ignores CMD and `docker run` arguments"
	}
	pass.Report(analysis.Finding{
		Range:    locate.Instruction(f, in),
		Severity: sev,
		Message:  msg,
		Help:     help,
		Fix:      fix,
	})
}

// cmdMalformedExecForm reports whether a shell-form CMD/ENTRYPOINT was
// meant as an exec form: its original text starts with `[` but is not a
// JSON array (single quotes, a missing `]`), so Docker ran it through a
// shell. It returns the arguments as written.
func cmdMalformedExecForm(f *dockerfile.File, in *dockerfile.Instruction) (string, bool) {
	if in.ExecForm() {
		return "", false
	}
	var b strings.Builder
	for n := in.StartLine; n <= in.EndLine; n++ {
		line := strings.TrimSpace(f.Line(n))
		if n > in.StartLine && strings.HasPrefix(line, "#") {
			continue
		}
		if n < in.EndLine {
			line = strings.TrimSuffix(line, "\\")
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strings.TrimSpace(line))
	}
	text := b.String()
	kw, rest, _ := strings.Cut(text, " ")
	if !strings.EqualFold(kw, in.Keyword) {
		return "", false
	}
	rest = strings.TrimSpace(rest)
	return rest, strings.HasPrefix(rest, "[")
}

// cmdArrayWords reads the words of a malformed exec form: `['node',
// 'server.js']`, `["node", "server.js"` or `[node, server.js]`. ok is false
// when an element cannot be read unambiguously.
func cmdArrayWords(text string) ([]string, bool) {
	s := strings.TrimSpace(strings.TrimPrefix(text, "["))
	s = strings.TrimSpace(strings.TrimSuffix(s, "]"))
	if s == "" {
		return nil, false
	}
	var words []string
	for len(s) > 0 {
		var w string
		switch q := s[0]; q {
		case '"', '\'':
			end := -1
			for i := 1; i < len(s); i++ {
				if q == '"' && s[i] == '\\' {
					i++
					continue
				}
				if s[i] == q {
					end = i
					break
				}
			}
			if end < 0 {
				return nil, false
			}
			w = s[1:end]
			if q == '"' {
				u, err := strconv.Unquote(s[:end+1])
				if err != nil {
					return nil, false
				}
				w = u
			}
			s = strings.TrimSpace(s[end+1:])
		default:
			i := strings.IndexByte(s, ',')
			if i < 0 {
				i = len(s)
			}
			w = strings.TrimSpace(s[:i])
			if w == "" || strings.ContainsAny(w, " \t\"'[]") {
				return nil, false
			}
			s = s[i:]
		}
		words = append(words, w)
		if s == "" {
			break
		}
		if s[0] != ',' {
			return nil, false
		}
		s = strings.TrimSpace(s[1:])
	}
	return words, len(words) > 0
}

// replaceArgsFix replaces the arguments of a one-line instruction without
// flags with text.
func replaceArgsFix(f *dockerfile.File, in *dockerfile.Instruction, text string) *analysis.Fix {
	if in.StartLine != in.EndLine || len(in.Flags) > 0 {
		return nil
	}
	line := f.Line(in.StartLine)
	start := len(line) - len(strings.TrimLeft(line, " \t"))
	kw := start + len(in.Keyword)
	if kw > len(line) || !strings.EqualFold(line[start:kw], in.Keyword) {
		return nil
	}
	argStart := kw
	for argStart < len(line) && (line[argStart] == ' ' || line[argStart] == '\t') {
		argStart++
	}
	end := len(strings.TrimRight(line, " \t"))
	if argStart >= end {
		return nil
	}
	return &analysis.Fix{
		Title: "Use the exec form " + text,
		Edits: []analysis.Edit{{
			Start:   analysis.Pos{Line: in.StartLine, Col: argStart + 1},
			End:     analysis.Pos{Line: in.StartLine, Col: end + 1},
			NewText: text,
		}},
	}
}
