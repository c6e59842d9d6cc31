package cli

import (
	"fmt"
	"os"
	"sort"

	"github.com/rogpeppe/go-internal/diff"
	"github.com/spf13/cobra"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/source/dockerignore"
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
	// changed is shared by all inputs: Dockerfiles of one context share
	// its .dockerignore, and a later input sees the earlier fixes.
	changed := map[string]*change{}
	for _, in := range s.inputs {
		if in.path == "<stdin>" && !o.diff {
			return usageError("fix cannot write to stdin; use --diff")
		}
		n, err := fixInput(in, s.opts, changed)
		if err != nil {
			return err
		}
		total += n
	}
	if len(s.compose) > 0 {
		n, err := applyFixes(checker.CheckComposeProjects(s.compose, s.opts, checker.Sources{}), changed)
		if err != nil {
			return err
		}
		total += n
	}
	for _, path := range sortedKeys(changed) {
		c := changed[path]
		if o.diff {
			streams.Out.Write(diff.Diff("a/"+path, c.old, "b/"+path, c.new))
			continue
		}
		mode := os.FileMode(0o644)
		if st, err := os.Stat(path); err == nil {
			mode = st.Mode().Perm()
		}
		if err := os.WriteFile(path, c.new, mode); err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("writing %s: %w", path, err)}
		}
	}
	verb := "Fixed"
	if o.diff {
		verb = "Would fix"
	}
	fmt.Fprintf(streams.Err, "%s %d %s.\n", verb, total, plural(total, "problem", "problems"))
	return nil
}

// change is one file's text before and after fixing.
type change struct{ old, new []byte }

// fixInput checks one Dockerfile with its build, applies the
// non-overlapping fixes of every finding to the file each finding is in
// (the Dockerfile, its .dockerignore, …), and repeats until no fix is left.
// Nothing is written: changed receives the files' old and new text (in
// memory, so re-checks see the fixed content); it returns the number of
// findings fixed.
func fixInput(in input, opts checker.Options, changed map[string]*change) (int, error) {
	content := func(path string) ([]byte, error) {
		if c, ok := changed[path]; ok {
			return c.new, nil
		}
		if path == in.path {
			return in.src, nil
		}
		return checker.ReadFile(path)
	}
	if _, ok := changed[in.path]; !ok && in.build == nil {
		// stdin: no file to read the text from again.
		changed[in.path] = &change{old: in.src, new: in.src}
	}
	count := 0
	for round := 0; round < maxFixRounds; round++ {
		src, _ := content(in.path)
		var findings []analysis.Finding
		if in.build != nil {
			b := *in.build
			if b.Ignore != nil {
				if data, err := content(b.IgnorePath); err == nil {
					if ig, err := dockerignore.Parse(b.IgnorePath, data); err == nil {
						b.Ignore = ig
					}
				}
			}
			res, err := checker.CheckBuild(&b, src, opts, checker.Sources{})
			if err != nil {
				return 0, usageError("%s: %v", in.path, err)
			}
			findings = res.Findings
		} else {
			res, err := checker.CheckDockerfile(in.path, src, opts)
			if err != nil {
				return 0, usageError("%s: %v", in.path, err)
			}
			findings = res.Findings
		}
		n, err := applyFixes(findings, changed)
		if err != nil {
			return 0, err
		}
		count += n
		if n == 0 {
			break
		}
	}
	return count, nil
}

// applyFixes applies the non-overlapping fixes of findings to the files
// they are in, on top of what changed already holds, and returns how many
// findings it fixed.
func applyFixes(findings []analysis.Finding, changed map[string]*change) (int, error) {
	byFile := map[string][]analysis.Finding{}
	for _, f := range findings {
		if f.Fix != nil {
			byFile[f.File] = append(byFile[f.File], f)
		}
	}
	count := 0
	for path, fs := range byFile {
		set := pickEdits(fs)
		if len(set.edits) == 0 {
			continue
		}
		var old []byte
		if c, ok := changed[path]; ok {
			old = c.new
		} else {
			data, err := checker.ReadFile(path)
			if err != nil {
				return 0, usageError("%s: %v", path, unwrapPathError(err))
			}
			old = data
		}
		next, err := analysis.ApplyEdits(old, set.edits)
		if err != nil {
			return 0, &exitError{code: ExitError, err: fmt.Errorf("%s: applying fixes: %w", path, err)}
		}
		if c, ok := changed[path]; ok {
			c.new = next
		} else {
			changed[path] = &change{old: old, new: next}
		}
		count += set.findings
	}
	return count, nil
}

func sortedKeys(m map[string]*change) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
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
