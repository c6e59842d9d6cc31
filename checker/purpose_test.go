package checker_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/checker"
)

// purposeProject has a production Dockerfile, a Dev Container, a test
// stack and a tools image, none of which runs as a non-root user.
var purposeProject = map[string]string{
	"Dockerfile":               "FROM node:22-slim\nWORKDIR /app\nCOPY server.js .\nCMD [\"node\", \"server.js\"]\n",
	".devcontainer/Dockerfile": "FROM node:22\nARG GITHUB_TOKEN\nWORKDIR /workspace\n",
	"tools/Dockerfile":         "FROM node:22-slim\nCMD [\"node\", \"tool.js\"]\n",
	"e2e/compose.yaml":         "services:\n  db:\n    image: postgres:16\n    ports: [\"5432:5432\"]\n",
	"compose.yaml":             "services:\n  db:\n    image: postgres:16\n    ports: [\"5432:5432\"]\n    restart: always\n",
}

// purposes lists Result.Purposes as "file purpose (reason)".
func purposes(res *checker.Result) []string {
	var out []string
	for _, p := range res.Purposes {
		out = append(out, p.File+" "+p.Purpose.String()+" ("+p.Reason+")")
	}
	return out
}

// has reports whether a finding of rule points at file.
func has(findings []analysis.Finding, file, rule string) bool {
	for _, f := range findings {
		if f.File == file && f.Rule.ID == rule {
			return true
		}
	}
	return false
}

// TestCheckPurpose: production-only rules do not run on development and
// test files; rules that matter everywhere do; --production and a
// `purpose:` in the config overrule the classification.
func TestCheckPurpose(t *testing.T) {
	t.Chdir(t.TempDir())
	writeFiles(t, ".", purposeProject)
	res, err := checker.Check(context.Background(), request("."))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		".devcontainer/Dockerfile development (in .devcontainer/)",
		"Dockerfile production ()",
		"compose.yaml production ()",
		"e2e/compose.yaml test (in e2e/)",
		"tools/Dockerfile production ()",
	}
	if got := purposes(res); !slices.Equal(got, want) {
		t.Errorf("purposes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, c := range []struct {
		file, rule string
		want       bool
	}{
		{"Dockerfile", "DF011", true},
		{".devcontainer/Dockerfile", "DF011", false}, // production-only
		{".devcontainer/Dockerfile", "DF022", true},  // everywhere
		{"compose.yaml", "CO008", true},
		{"e2e/compose.yaml", "CO008", false},
		{"e2e/compose.yaml", "CO002", false},
	} {
		if got := has(res.Findings, c.file, c.rule); got != c.want {
			t.Errorf("%s %s: found %v, want %v", c.file, c.rule, got, c.want)
		}
	}

	req := request(".")
	req.Production = true
	res, err = checker.Check(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Purposes {
		if p.Purpose != analysis.Production || p.Reason != "--production" {
			t.Errorf("--production: %s is %v (%s)", p.File, p.Purpose, p.Reason)
		}
	}
	if !has(res.Findings, ".devcontainer/Dockerfile", "DF011") || !has(res.Findings, "e2e/compose.yaml", "CO008") {
		t.Errorf("--production: production-only rules did not run on every file: %v", ids(res.Findings))
	}

	writeFiles(t, ".", map[string]string{".seaworthy.yaml": "overrides:\n  - files: [\"tools\"]\n    purpose: development\n  - files: [e2e]\n    purpose: production\n"})
	res, err = checker.Check(context.Background(), request("."))
	if err != nil {
		t.Fatal(err)
	}
	got := purposes(res)
	for _, w := range []string{"tools/Dockerfile development (set in .seaworthy.yaml)", "e2e/compose.yaml production (set in .seaworthy.yaml)"} {
		if !slices.Contains(got, w) {
			t.Errorf("config purposes %q, want %q", got, w)
		}
	}
	if has(res.Findings, "tools/Dockerfile", "DF011") || !has(res.Findings, "e2e/compose.yaml", "CO008") {
		t.Errorf("config purposes not applied: %v", ids(res.Findings))
	}
}

// TestCheckPurposeRoot: folder names count below the repository (or the
// checked directory), not the folders the checkout lives in; checking a
// subfolder of a repository still sees the folders above it.
func TestCheckPurposeRoot(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFiles(t, dir, map[string]string{
		"dev/app/Dockerfile":            purposeProject["Dockerfile"],
		"repo/.git/HEAD":                "ref: refs/heads/main\n",
		"repo/test/fixtures/Dockerfile": purposeProject["Dockerfile"],
	})
	for path, want := range map[string]string{
		"dev/app":                       "production",
		filepath.Join(dir, "dev/app"):   "production",
		"dev/app/Dockerfile":            "development", // the working directory's folders count
		"repo/test/fixtures":            "test",
		"repo/test/fixtures/Dockerfile": "test",
	} {
		res, err := checker.Check(context.Background(), request(path))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Purposes) != 1 || res.Purposes[0].Purpose.String() != want {
			t.Errorf("%s: purposes %q, want %s", path, purposes(res), want)
		}
	}
}

// TestFixPurpose: fix applies only the fixes of the rules that run on the
// file: none of the production-only apt fixes on a development
// Dockerfile.
func TestFixPurpose(t *testing.T) {
	t.Chdir(t.TempDir())
	src := "FROM node:22\nRUN apt-get update && apt-get install -y git\nUSER node\nCMD [\"node\", \"s.js\"]\n"
	writeFiles(t, ".", map[string]string{"Dockerfile.dev": src, "Dockerfile": src})
	res, err := checker.Fix(context.Background(), request("."))
	if err != nil {
		t.Fatal(err)
	}
	var changed []string
	for _, c := range res.Changes {
		changed = append(changed, c.Path)
	}
	if !slices.Equal(changed, []string{"Dockerfile"}) {
		t.Errorf("changed %q, want only the production Dockerfile", changed)
	}
	if data, _ := os.ReadFile("Dockerfile.dev"); string(data) != src {
		t.Error("Fix wrote Dockerfile.dev")
	}
}
