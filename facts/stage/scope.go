package stage

import (
	"path"
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"

	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// This file tells what is in force before an instruction: the working
// directory and the values of ENV and ARG variables.

// EnvBefore reports the value of an ENV variable set in the stage (or
// the stages it builds on) before the instruction at line (0: anywhere).
func EnvBefore(st *dockerfile.Stage, name string, line int) (string, bool) {
	chain := st.Ancestors()
	value, found := "", false
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].Instructions {
			if chain[i] == st && line > 0 && in.StartLine >= line {
				break
			}
			env, ok := in.Command.(*instructions.EnvCommand)
			if !ok {
				continue
			}
			for _, kv := range env.Env {
				if kv.Key == name {
					value, found = UnquoteEnv(kv.Value), true
				}
			}
		}
	}
	return value, found
}

// UnquoteEnv strips the quotes buildkit keeps on ENV values (`"production"`).
func UnquoteEnv(v string) string {
	if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
		return v[1 : len(v)-1]
	}
	return v
}

// LastEnv returns the last ENV instruction (stage and ancestors) that sets
// name, with the unquoted value.
func LastEnv(st *dockerfile.Stage, name string) (*dockerfile.Instruction, string) {
	var at *dockerfile.Instruction
	value := ""
	for _, in := range st.ChainInstructions() {
		env, ok := in.Command.(*instructions.EnvCommand)
		if !ok {
			continue
		}
		for _, kv := range env.Env {
			if kv.Key == name {
				at, value = in, UnquoteEnv(kv.Value)
			}
		}
	}
	return at, value
}

// HasWorkdirBefore reports whether a WORKDIR is set in the stage before
// the instruction at line, or in any stage it builds on.
func HasWorkdirBefore(st *dockerfile.Stage, line int) bool {
	for _, s := range st.Ancestors() {
		for _, in := range s.Instructions {
			if s == st && in.StartLine >= line {
				break
			}
			if in.Keyword == "WORKDIR" {
				return true
			}
		}
	}
	return false
}

// Workdir returns the working directory at the end of a stage (its
// last WORKDIR, relative ones joined), "" when none is set or it uses a
// variable.
func Workdir(st *dockerfile.Stage) string {
	chain := st.Ancestors()
	wd := ""
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].Instructions {
			w, ok := in.Command.(*instructions.WorkdirCommand)
			if !ok {
				continue
			}
			p := w.Path
			if strings.Contains(p, "$") {
				wd = "$"
				continue
			}
			if !strings.HasPrefix(p, "/") {
				if wd == "$" {
					continue
				}
				p = path.Join("/", wd, p)
			}
			wd = path.Clean(p)
		}
	}
	if wd == "$" {
		return ""
	}
	return wd
}

// WorkdirAt is the working directory in force for an instruction of
// the stage chain at index i of instChain; "" when it depends on a variable.
func WorkdirAt(chain []*dockerfile.Instruction, i int) string {
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

// Scope is what is in force before an instruction: the WORKDIR and the
// values of ENV and ARG (defaults) variables.
type Scope struct {
	Workdir string
	Vars    map[string]string
}

// Resolve makes a path absolute against the WORKDIR, with known variables
// substituted.
func (s Scope) Resolve(p string) string {
	return Resolve(s.Expand(p), s.Workdir)
}

// Expand substitutes the known variables of a word (`$APP_HOME`,
// `${APP_HOME}`); unknown ones stay as written.
func (s Scope) Expand(w string) string {
	if !strings.Contains(w, "$") {
		return w
	}
	return varWord.ReplaceAllStringFunc(w, func(m string) string {
		name := strings.Trim(m, "${}")
		if v, ok := s.Vars[name]; ok && !strings.Contains(v, "$") {
			return v
		}
		return m
	})
}

// ExpandDefaults is Expand that also reads `${X:-default}` and
// `${X-default}`: the value of X when set (and, for `:-`, not empty),
// the default otherwise. For messages that should show what a build
// without --build-arg uses.
func (s Scope) ExpandDefaults(w string) string {
	if !strings.Contains(w, "$") {
		return w
	}
	w = defaultWord.ReplaceAllStringFunc(w, func(m string) string {
		g := defaultWord.FindStringSubmatch(m)
		v, ok := s.Vars[g[1]]
		if ok && strings.Contains(v, "$") {
			return m
		}
		if ok && (v != "" || g[2] == "-") {
			return v
		}
		if d := s.Expand(g[3]); !strings.Contains(d, "$") {
			return d
		}
		return m
	})
	return s.Expand(w)
}

var defaultWord = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(:?-)([^{}]*)\}`)

var varWord = regexp.MustCompile(`\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*`)

// Scopes returns the scope before each instruction of the stage,
// following the stages it builds on (WORKDIR "/" when none is set).
func Scopes(st *dockerfile.Stage) map[*dockerfile.Instruction]Scope {
	return scopesKey.Get(st.Memo(), func() map[*dockerfile.Instruction]Scope { return computeScopes(st) })
}

func computeScopes(st *dockerfile.Stage) map[*dockerfile.Instruction]Scope {
	out := make(map[*dockerfile.Instruction]Scope, len(st.Instructions))
	cur := Scope{Workdir: "/", Vars: map[string]string{}}
	// Scopes share the variable map until ENV/ARG changes it (copy on
	// write): most instructions change nothing. shared is set while a
	// scope holds cur.Vars.
	shared := false
	writable := func() {
		if shared {
			cur.Vars = cloneVars(cur.Vars)
			shared = false
		}
	}
	chain := st.Ancestors()
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].Instructions {
			if chain[i] == st {
				out[in] = Scope{Workdir: cur.Workdir, Vars: cur.Vars}
				shared = true
			}
			switch c := in.Command.(type) {
			case *instructions.WorkdirCommand:
				cur.Workdir = cur.Resolve(c.Path)
			case *instructions.EnvCommand:
				writable()
				for _, kv := range c.Env {
					cur.Vars[kv.Key] = cur.Expand(strings.Trim(kv.Value, `"'`))
				}
			case *instructions.ArgCommand:
				writable()
				for _, kv := range c.Args {
					if kv.Value != nil {
						if _, set := cur.Vars[kv.Key]; !set {
							cur.Vars[kv.Key] = cur.Expand(strings.Trim(*kv.Value, `"'`))
						}
					}
				}
			}
		}
	}
	return out
}

var braceVar = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// Resolve makes p absolute against dir and cleans it; `${X}` is written
// `$X` so both spellings compare equal, and a trailing `/*` or `/.` is
// dropped (it names the directory's content).
func Resolve(p, dir string) string {
	p = strings.Trim(p, `"'`)
	if strings.Contains(p, "${") {
		p = braceVar.ReplaceAllString(p, "$$$1")
	}
	if p == "" {
		return dir
	}
	if strings.HasPrefix(p, "~") {
		p = "$HOME" + p[1:]
	}
	if !strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "$") {
		p = dir + "/" + p
	}
	p = path.Clean(p)
	for strings.HasSuffix(p, "/*") {
		p = strings.TrimSuffix(p, "/*")
	}
	return p
}

// Home writes a path under /root or /home/<user> as $HOME/….
func Home(p string) string {
	if p == "/root" || strings.HasPrefix(p, "/root/") {
		return "$HOME" + strings.TrimPrefix(p, "/root")
	}
	if rest, ok := strings.CutPrefix(p, "/home/"); ok {
		if i := strings.Index(rest, "/"); i >= 0 {
			return "$HOME" + rest[i:]
		}
		return "$HOME"
	}
	return p
}

// Under reports whether p is dir or inside it.
func Under(p, dir string) bool {
	return p == dir || dir == "/" || strings.HasPrefix(p, dir+"/")
}

// ArgNames returns the ARG names declared before the first FROM and in
// the stage (and the stages it builds on).
func ArgNames(f *dockerfile.File, st *dockerfile.Stage) map[string]bool {
	out := map[string]bool{}
	add := func(in *dockerfile.Instruction) {
		if a, ok := in.Command.(*instructions.ArgCommand); ok {
			for _, kv := range a.Args {
				out[kv.Key] = true
			}
		}
	}
	for _, in := range f.MetaArgs {
		add(in)
	}
	for _, s := range st.Ancestors() {
		for _, in := range s.Instructions {
			add(in)
		}
	}
	return out
}

func cloneVars(m map[string]string) map[string]string {
	out := make(map[string]string, len(m)+2)
	for k, v := range m {
		out[k] = v
	}
	return out
}
