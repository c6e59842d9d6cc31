package df

import (
	"strings"
	"testing"
	"time"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile/dockerfiletest"
)

// findings runs rules over a Dockerfile's text.
func findings(t *testing.T, src string, rules ...*analysis.Rule) []analysis.Finding {
	t.Helper()
	f := dockerfiletest.Parse(t, src)
	var out []analysis.Finding
	for _, r := range rules {
		pass := analysis.NewPass(r, "Dockerfile", func(fd analysis.Finding) { out = append(out, fd) })
		pass.Today = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
		analysis.Run(r, pass, f)
	}
	return out
}

// TestHelpKeepsSingleStageBuildWorking: in a single-stage TypeScript build,
// DF010 and DF007 must not suggest omitting devDependencies before the
// build (DF044), and once their suggestions are applied the file builds,
// they are silent, and DF006 no longer claims devDependencies ship.
func TestHelpKeepsSingleStageBuildWorking(t *testing.T) {
	bad := "FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nUSER node\nCMD [\"node\", \"dist/server.js\"]\n"
	helps := map[string]string{}
	for _, fd := range findings(t, bad, NodeEnvNotProduction, DevDependenciesInRuntime) {
		helps[fd.Rule.ID] = fd.Help
	}
	if h := helps["DF010"]; !strings.Contains(h, "after the build on line 6") {
		t.Errorf("DF010 help = %q, want it to place ENV after the build on line 6", h)
	}
	if h := helps["DF007"]; strings.Contains(h, "--omit=dev`,") || !strings.Contains(h, "npm prune --omit=dev") || !strings.Contains(h, "line 6") {
		t.Errorf("DF007 help = %q, want a prune after the build on line 6", h)
	}
	// The suggestions applied: prune and NODE_ENV after the build.
	fixed := strings.Replace(bad, "RUN npm run build\n", "RUN npm run build && npm prune --omit=dev\nENV NODE_ENV=production\n", 1)
	for _, fd := range findings(t, fixed, NodeEnvNotProduction, DevDependenciesInRuntime, BuildDepsOmitted, SingleStageBuild) {
		switch fd.Rule.ID {
		case "DF006":
			if strings.Contains(fd.Message, "devDependencies") {
				t.Errorf("DF006 still claims devDependencies ship after the prune: %s", fd.Message)
			}
		default:
			t.Errorf("%s fires on the fixed file: %s", fd.Rule.ID, fd.Message)
		}
	}
	// The advice DF044 exists for: NODE_ENV before the install breaks a tsc build.
	broken := strings.Replace(bad, "WORKDIR /app\n", "ENV NODE_ENV=production\nWORKDIR /app\n", 1)
	broken = strings.Replace(broken, "npm run build", "npx tsc", 1)
	if got := findings(t, broken, BuildDepsOmitted); len(got) != 1 {
		t.Errorf("DF044 findings on NODE_ENV before a tsc build = %d, want 1", len(got))
	}
}
