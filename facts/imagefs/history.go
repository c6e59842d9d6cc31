package imagefs

import (
	"strconv"
	"strings"

	"github.com/seaworthy-dev/seaworthy/facts/secret"
)

// Instruction turns a history entry's created_by into the Dockerfile
// instruction it records, in every builder's format: the classic
// builder's `/bin/sh -c #(nop)  CMD […]` and `|2 A=1 B=2 /bin/sh -c npm ci`
// (a RUN with build arguments), BuildKit's `RUN /bin/sh -c npm ci #
// buildkit` and bare `COPY . . # buildkit`, buildah's plain ones.
func Instruction(createdBy string) string {
	s := strings.TrimSpace(createdBy)
	s = strings.TrimSpace(strings.TrimSuffix(s, "# buildkit"))
	run := false
	if rest, ok := strings.CutPrefix(s, "RUN "); ok {
		s, run = strings.TrimSpace(rest), true
	}
	if _, rest, ok := buildArgPrefix(s); ok {
		s, run = rest, true
	}
	for _, sh := range []string{"/bin/sh -c ", "/bin/bash -c ", "cmd /S /C "} {
		if rest, ok := strings.CutPrefix(s, sh); ok {
			s, run = strings.TrimSpace(rest), true
			break
		}
	}
	if rest, ok := strings.CutPrefix(s, "#(nop)"); ok {
		return strings.TrimSpace(rest)
	}
	if run {
		return "RUN " + s
	}
	return s
}

// KV is a build argument and its value.
type KV struct{ Key, Value string }

// BuildArgs returns the build arguments a history entry records: the
// `|N K=V …` prefix of a RUN (both builders write the values in clear),
// and the default of an `ARG K=V`.
func BuildArgs(createdBy string) []KV {
	s := strings.TrimSpace(createdBy)
	s = strings.TrimPrefix(s, "RUN ")
	if args, _, ok := buildArgPrefix(s); ok {
		return args
	}
	ins := Instruction(createdBy)
	if rest, ok := strings.CutPrefix(ins, "ARG "); ok {
		var out []KV
		for _, f := range strings.Fields(rest) {
			if k, v, ok := strings.Cut(f, "="); ok {
				out = append(out, KV{k, strings.Trim(v, `"'`)})
			}
		}
		return out
	}
	return nil
}

// buildArgPrefix parses `|N K=V … rest`.
func buildArgPrefix(s string) ([]KV, string, bool) {
	if !strings.HasPrefix(s, "|") {
		return nil, s, false
	}
	fields := strings.SplitN(s[1:], " ", 2)
	n, err := strconv.Atoi(fields[0])
	if err != nil || len(fields) < 2 {
		return nil, s, false
	}
	rest := fields[1]
	var out []KV
	for range n {
		var f string
		f, rest, _ = strings.Cut(rest, " ")
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			return nil, s, false
		}
		out = append(out, KV{k, v})
	}
	return out, strings.TrimSpace(rest), true
}

// ShownInstruction is Instruction as it may be shown: credentials and
// every build argument value masked, whitespace collapsed.
func ShownInstruction(createdBy string) string {
	ins := secret.MaskCredentials(Instruction(createdBy))
	for _, kv := range BuildArgs(createdBy) {
		if kv.Value != "" {
			ins = strings.ReplaceAll(ins, kv.Key+"="+kv.Value, kv.Key+"="+secret.Mask(kv.Value))
		}
	}
	return strings.Join(strings.Fields(ins), " ")
}
