package dockerfile

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/shell"

	"github.com/seaworthy-dev/seaworthy/internal/memo"
)

// BaseImage is a stage's FROM reference, resolved through ARG defaults and
// stage names.
type BaseImage struct {
	// Raw is the reference as written (`node:${NODE}-slim`).
	Raw string
	// Expanded is Raw with ARG defaults substituted.
	Expanded string
	// Stage is the earlier stage this one builds on, if FROM names one.
	Stage *Stage
	// Scratch is set for `FROM scratch`.
	Scratch bool
	// Unresolved is set when a variable in Raw has no default value:
	// rules that need the base skip such stages.
	Unresolved bool
	// Registry is the registry host ("" for Docker Hub).
	Registry string
	// Repository is the image path without registry, e.g. "node",
	// "distroless/nodejs22-debian12"; Docker Hub's "library/" is dropped.
	Repository string
	Tag        string
	Digest     string
}

// External reports whether the base is an image from a registry (not a
// stage, not scratch, resolved).
func (b BaseImage) External() bool {
	return b.Stage == nil && !b.Scratch && !b.Unresolved && b.Repository != ""
}

// Name is registry/repository, e.g. "gcr.io/distroless/nodejs22-debian12".
func (b BaseImage) Name() string {
	if b.Registry == "" {
		return b.Repository
	}
	return b.Registry + "/" + b.Repository
}

// Root follows stage references to the external (or scratch or
// unresolved) base the stage ultimately builds on.
func (s *Stage) Root() BaseImage {
	chain := s.Ancestors()
	return chain[len(chain)-1].Base
}

// Ancestors returns the stage and the stages it is built FROM, nearest first.
func (s *Stage) Ancestors() []*Stage {
	out := make([]*Stage, 0, 4)
	for cur := s; cur != nil && !containsStage(out, cur); cur = cur.Base.Stage {
		out = append(out, cur)
	}
	return out
}

// containsStage: chains are a few stages long, a scan beats a set.
func containsStage(chain []*Stage, st *Stage) bool {
	for _, s := range chain {
		if s == st {
			return true
		}
	}
	return false
}

// ChainInstructions returns the instructions of the stage and the stages
// it builds on, oldest first: what is in force in the stage's image. The
// list is computed once and shared: callers must not modify it.
func (s *Stage) ChainInstructions() []*Instruction {
	return chainInstructionsKey.Get(s.Memo(), s.chainInstructions)
}

var chainInstructionsKey = memo.NewKey[[]*Instruction]("chain instructions")

func (s *Stage) chainInstructions() []*Instruction {
	var out []*Instruction
	chain := s.Ancestors()
	for i := len(chain) - 1; i >= 0; i-- {
		out = append(out, chain[i].Instructions...)
	}
	return out[:len(out):len(out)]
}

func (f *File) resolveBases() {
	defaults := map[string]string{}
	var env []string
	for _, in := range f.MetaArgs {
		for _, kv := range argPairs(in) {
			if kv.hasValue {
				defaults[kv.key] = kv.value
				env = append(env, kv.key+"="+kv.value)
			}
		}
	}
	var lex *shell.Lex // only FROMs with variables need one
	for _, st := range f.Stages {
		args := st.From.Args()
		if len(args) == 0 {
			continue
		}
		raw := args[0]
		b := BaseImage{Raw: raw, Expanded: raw}
		if strings.ContainsAny(raw, "$") {
			if lex == nil {
				lex = shell.NewLex(f.Escape)
			}
			res, err := lex.ProcessWordWithMatches(raw, shell.EnvsFromSlice(env))
			if err != nil || hasUndefined(raw, res.Unmatched) {
				b.Unresolved = true
			} else {
				b.Expanded = res.Result
			}
		}
		if !b.Unresolved {
			ref := strings.ToLower(b.Expanded)
			if prev := f.stageBefore(ref, st.Index); prev != nil {
				b.Stage = prev
			} else if ref == "scratch" {
				b.Scratch = true
			} else if ref == "" {
				b.Unresolved = true
			} else {
				b.Registry, b.Repository, b.Tag, b.Digest = SplitReference(b.Expanded)
			}
		}
		st.Base = b
	}
}

func (f *File) stageBefore(name string, index int) *Stage {
	for _, s := range f.Stages[:index] {
		if s.Name != "" && s.Name == name {
			return s
		}
	}
	return nil
}

// SplitReference splits an image reference into registry, repository, tag
// and digest, normalising Docker Hub names (docker.io/library/node → node).
// Compose rules read `image:` with it too.
func SplitReference(ref string) (registry, repo, tag, digest string) {
	if i := strings.Index(ref, "@"); i >= 0 {
		ref, digest = ref[:i], ref[i+1:]
	}
	if i := strings.LastIndex(ref, ":"); i >= 0 && !strings.Contains(ref[i:], "/") {
		ref, tag = ref[:i], ref[i+1:]
	}
	parts := strings.SplitN(ref, "/", 2)
	if len(parts) == 2 && (strings.ContainsAny(parts[0], ".:") || parts[0] == "localhost") {
		registry, ref = strings.ToLower(parts[0]), parts[1]
	}
	if registry == "docker.io" || registry == "index.docker.io" || registry == "registry-1.docker.io" {
		registry = ""
	}
	if registry == "" {
		ref = strings.TrimPrefix(ref, "library/")
	}
	return registry, strings.ToLower(ref), tag, digest
}

type argPair struct {
	key, value string
	hasValue   bool
}

func argPairs(in *Instruction) []argPair {
	var out []argPair
	for _, a := range in.Args() {
		k, v, ok := strings.Cut(a, "=")
		if ok {
			v = unquote(v)
		}
		out = append(out, argPair{key: k, value: v, hasValue: ok})
	}
	return out
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}

// hasUndefined reports whether a variable without a value is used without an
// inline default (`${V:-x}` and `${V-x}` supply one).
func hasUndefined(raw string, unmatched map[string]struct{}) bool {
	for name := range unmatched {
		if !strings.Contains(raw, "${"+name+":-") && !strings.Contains(raw, "${"+name+"-") {
			return true
		}
	}
	return false
}
