package rules

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/checker"
	"github.com/seaworthy-dev/seaworthy/config"
)

// TestFixExamples runs `seaworthy fix` (checker.Fix with every rule) on
// the Bad example of every fixable rule, built into its project as
// TestDocExamples builds it: afterwards the rule does not fire, no file
// became one its parser rejects (a X000 finding), the build still works in
// principle (see buildProblems: no problem the example did not have
// before), and a second fix changes nothing.
func TestFixExamples(t *testing.T) {
	ctx := context.Background()
	for _, r := range Registry().Rules() {
		if !r.Fixable {
			continue
		}
		t.Run(r.ID, func(t *testing.T) {
			c := exampleCase(t, r, "Bad", r.Doc.Bad)
			root := c.Extract(t)
			was := buildProblems(t, root, c.Settings.Dockerfile)
			req := checker.Request{Paths: []string{root}, Rules: Registry(), Settings: config.Settings{Today: "2026-11-23", FailOn: "none"}}
			res, err := checker.Fix(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Changes) == 0 {
				t.Fatalf("fix changes nothing")
			}
			for _, c := range res.Changes {
				if err := os.WriteFile(c.Path, c.New, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			after, err := checker.Check(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range after.Findings {
				if f.Rule == r || strings.HasSuffix(f.Rule.ID, "000") {
					t.Errorf("%s fires after fix: %s:%d: %s", f.Rule.ID, f.File, f.Range.Start.Line, f.Message)
				}
			}
			for _, p := range buildProblems(t, root, c.Settings.Dockerfile) {
				if !slices.Contains(was, p) {
					t.Errorf("after the fix, the build breaks: %s", p)
				}
			}
			again, err := checker.Fix(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range again.Changes {
				t.Errorf("a second fix changes %s:\n%s", c.Path, c.Diff())
			}
		})
	}
}
