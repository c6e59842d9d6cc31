package df

import (
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/analysis/analysistest"
)

// TestHelpKeepsTheBuild checks the help of findings in stages that build
// (tsc, `npm run build`): followed literally, it must not leave out the
// devDependencies the build needs.
func TestHelpKeepsTheBuild(t *testing.T) {
	for _, tc := range []struct {
		rule      *analysis.Rule
		file      string
		want, not string
	}{
		{NodeEnvNotProduction, "testdata/DF010/typescript_build.txtar", "add `ENV NODE_ENV=production` after the build (`npm run build`, line 7), before CMD", "after this FROM"},
		{DevDependenciesInRuntime, "testdata/DF007/typescript_build.txtar", "`pnpm run build` needs the devDependencies: run `pnpm prune --prod` after it", "--prod --frozen-lockfile"},
	} {
		c, err := analysistest.ReadCase(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		_, findings := c.Check(t, []*analysis.Rule{tc.rule})
		if len(findings) != 1 {
			t.Fatalf("%s: %d findings, want 1", tc.file, len(findings))
		}
		if h := findings[0].Help; !strings.Contains(h, tc.want) || strings.Contains(h, tc.not) {
			t.Errorf("%s: help %q, want it to say %q and not %q", tc.file, h, tc.want, tc.not)
		}
	}
}
