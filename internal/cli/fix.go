package cli

import (
	"fmt"
	"os"
	"sort"

	"github.com/rogpeppe/go-internal/diff"
	"github.com/spf13/cobra"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/checker"
)

type fixOptions struct {
	checkOptions
	diff bool
}

func newFixCmd(streams *IO) *cobra.Command {
	o := &fixOptions{}
	cmd := &cobra.Command{
		Use:     "fix [PATH...]",
		Short:   "Apply the safe autofixes in place (--diff prints them instead)",
		Example: "  seaworthy fix --diff\n  seaworthy fix services/api",
		RunE:    func(cmd *cobra.Command, args []string) error { return runFix(streams, o, args) },
	}
	o.addFlags(cmd, false)
	cmd.Flags().BoolVar(&o.diff, "diff", false, "print a unified diff instead of writing files")
	return cmd
}

// maxFixRounds bounds re-checking after fixes (a fix may enable another).
const maxFixRounds = 5

func runFix(streams *IO, o *fixOptions, args []string) error {
	s, err := newSession(streams, &o.checkOptions, args)
	if err != nil {
		return err
	}
	total := 0
	for _, in := range s.inputs {
		if in.path == "<stdin>" && !o.diff {
			return usageError("fix cannot write to stdin; use --diff")
		}
		fixed, n, err := fixSource(in.path, in.src, s.opts)
		if err != nil {
			return err
		}
		if n == 0 {
			continue
		}
		total += n
		if o.diff {
			streams.Out.Write(diff.Diff("a/"+in.path, in.src, "b/"+in.path, fixed))
			continue
		}
		mode := os.FileMode(0o644)
		if st, err := os.Stat(in.path); err == nil {
			mode = st.Mode().Perm()
		}
		if err := os.WriteFile(in.path, fixed, mode); err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("writing %s: %w", in.path, err)}
		}
	}
	verb := "Fixed"
	if o.diff {
		verb = "Would fix"
	}
	fmt.Fprintf(streams.Err, "%s %d %s.\n", verb, total, plural(total, "problem", "problems"))
	return nil
}

// fixSource applies non-overlapping fixes, re-checks, and repeats until no
// fix is left; it returns the new text and how many findings it fixed.
func fixSource(path string, src []byte, opts checker.Options) ([]byte, int, error) {
	count := 0
	for round := 0; round < maxFixRounds; round++ {
		res, err := checker.CheckDockerfile(path, src, opts)
		if err != nil {
			return nil, 0, usageError("%s: %v", path, err)
		}
		edits := pickEdits(res.Findings)
		if len(edits.edits) == 0 {
			break
		}
		next, err := analysis.ApplyEdits(src, edits.edits)
		if err != nil {
			return nil, 0, &exitError{code: ExitError, err: fmt.Errorf("%s: applying fixes: %w", path, err)}
		}
		count += edits.findings
		src = next
	}
	return src, count, nil
}

type editSet struct {
	edits    []analysis.Edit
	findings int
}

// pickEdits takes each finding's fix unless it overlaps a fix already
// taken; the skipped ones are retried in the next round.
func pickEdits(findings []analysis.Finding) editSet {
	var set editSet
	type span struct{ from, to analysis.Pos }
	var taken []span
	less := func(a, b analysis.Pos) bool { return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col }
	overlaps := func(a, b span) bool { return !less(a.to, b.from) && !less(b.to, a.from) }
	sort.SliceStable(findings, func(i, j int) bool { return less(findings[i].Range.Start, findings[j].Range.Start) })
	for _, f := range findings {
		if f.Fix == nil || len(f.Fix.Edits) == 0 {
			continue
		}
		ok := true
		for _, e := range f.Fix.Edits {
			for _, t := range taken {
				if overlaps(span{e.Start, e.End}, t) {
					ok = false
				}
			}
		}
		if !ok {
			continue
		}
		for _, e := range f.Fix.Edits {
			taken = append(taken, span{e.Start, e.End})
		}
		set.edits = append(set.edits, f.Fix.Edits...)
		set.findings++
	}
	return set
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
