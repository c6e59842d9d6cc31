package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/config"
	"github.com/seaworthy-dev/seaworthy/rules"
)

// readmeRuns returns the README's console blocks that run seaworthy: the
// command line (without "$ ") and the output shown under it.
func readmeRuns(t *testing.T, readme string) map[string]string {
	t.Helper()
	runs := map[string]string{}
	rest := readme
	for {
		_, after, ok := strings.Cut(rest, "```console\n")
		if !ok {
			return runs
		}
		block, next, ok := strings.Cut(after, "```\n")
		if !ok {
			t.Fatal("README.md: a ```console block is not closed")
		}
		rest = next
		cmd, out, _ := strings.Cut(block, "\n")
		if strings.HasPrefix(cmd, "$ seaworthy ") {
			runs[strings.TrimPrefix(cmd, "$ ")] = out
		}
	}
}

// TestReadmeExample runs the README's example commands on
// examples/node-api and compares their output with the README's: the
// `-q` block in full; of the abbreviated block, each finding shown (in
// order) and the summary line.
func TestReadmeExample(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	runs := readmeRuns(t, string(data))
	// The README's commands run at the root of a checkout; the copy has a
	// .git above the example as a checkout does (DI003 stays silent about
	// a repository above the build context), with or without one here.
	work := t.TempDir()
	if err := os.CopyFS(filepath.Join(work, "examples", "node-api"), os.DirFS(filepath.Join(root, "examples", "node-api"))); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(work, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(work)
	t.Setenv("SEAWORTHY_TODAY", "2026-11-23")
	t.Setenv("NO_COLOR", "1")
	run := func(t *testing.T, cmd string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		args := strings.Fields(strings.TrimPrefix(cmd, "seaworthy "))
		if code := Main(args, strings.NewReader(""), &stdout, &stderr); code != ExitFindings {
			t.Errorf("%s: exit code %d, want %d (the README says so)", cmd, code, ExitFindings)
		}
		if stderr.Len() > 0 {
			t.Errorf("%s: stderr:\n%s", cmd, &stderr)
		}
		return stdout.String()
	}

	t.Run("quiet", func(t *testing.T) {
		const cmd = "seaworthy check -q examples/node-api"
		want, ok := runs[cmd]
		if !ok {
			t.Fatalf("README.md has no `$ %s` block", cmd)
		}
		if got := run(t, cmd); got != want {
			t.Errorf("README.md's `$ %s` block differs from the output:\n--- README\n%s--- output\n%s", cmd, want, got)
		}
	})

	t.Run("full", func(t *testing.T) {
		const cmd = "seaworthy check examples/node-api"
		shown, ok := runs[cmd]
		if !ok {
			t.Fatalf("README.md has no `$ %s` block", cmd)
		}
		got := run(t, cmd)
		// Findings are blocks of lines between blank lines; the README
		// shows some of them, then "…" and the summary.
		gotBlocks := strings.Split(strings.TrimSuffix(got, "\n"), "\n\n")
		wantBlocks := strings.Split(strings.TrimSuffix(shown, "\n"), "\n\n")
		last := wantBlocks[len(wantBlocks)-1]
		ellipsis, summary, ok := strings.Cut(last, "\n")
		if !ok || ellipsis != "…" {
			t.Fatalf("README.md's `$ %s` block does not end with `…` and the summary line:\n%s", cmd, last)
		}
		if gotSummary := gotBlocks[len(gotBlocks)-1]; gotSummary != summary {
			t.Errorf("summary line: README.md has\n%s\nthe output has\n%s", summary, gotSummary)
		}
		i := 0
		for _, w := range wantBlocks[:len(wantBlocks)-1] {
			for i < len(gotBlocks)-1 && gotBlocks[i] != w {
				i++
			}
			if i == len(gotBlocks)-1 {
				t.Errorf("README.md's `$ %s` block shows a finding the output does not have (in this order):\n%s", cmd, w)
				i = 0
				continue
			}
			i++
		}
		if t.Failed() {
			t.Logf("output:\n%s", got)
		}
	})
}

// TestReadmeHadolintTable keeps the README's table of hadolint codes in
// step with config.Hadolint, the mapping every rule key goes through.
func TestReadmeHadolintTable(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`(?m)^\s*\| (DL\d{4}) [^|]*\| ([A-Z]{2}\d{3}) ([a-z0-9-]+) \|$`)
	got := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(string(data), -1) {
		got[m[1]] = m[2]
		if r, ok := rules.Registry().Lookup(m[2]); !ok || r.Name != m[3] {
			t.Errorf("README: %s maps to %s %s, which is not a rule's ID and name", m[1], m[2], m[3])
		}
	}
	for _, h := range config.Hadolint {
		if got[h.Code] != strings.Join(h.Rules, ",") {
			t.Errorf("README: %s maps to %q, config.Hadolint to %q", h.Code, got[h.Code], h.Rules)
		}
		delete(got, h.Code)
	}
	for code := range got {
		t.Errorf("README lists %s, which config.Hadolint does not map", code)
	}
}

// TestReadmeInit runs the README's `seaworthy init examples/ts-api` on a
// copy of the example and compares what it prints (stderr, then stdout)
// and the files it writes with the README's blocks.
func TestReadmeInit(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	const cmd = "seaworthy init examples/ts-api"
	want, ok := readmeRuns(t, readme)[cmd]
	if !ok {
		t.Fatalf("README.md has no `$ %s` block", cmd)
	}
	work := t.TempDir()
	if err := os.CopyFS(filepath.Join(work, "examples", "ts-api"), os.DirFS(filepath.Join(root, "examples", "ts-api"))); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(work, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(work)
	t.Setenv("SEAWORTHY_TODAY", "2026-11-23")
	var stdout, stderr bytes.Buffer
	if code := Main(strings.Fields(strings.TrimPrefix(cmd, "seaworthy ")), strings.NewReader(""), &stdout, &stderr); code != ExitOK {
		t.Fatalf("%s: exit code %d\n%s", cmd, code, &stderr)
	}
	if got := stderr.String() + stdout.String(); got != want {
		t.Errorf("README.md's `$ %s` block differs from the output:\n--- README\n%s--- output\n%s", cmd, want, got)
	}
	for _, name := range []string{"Dockerfile", ".dockerignore", "compose.yaml"} {
		marker := "<!-- init-output: " + name + " -->\n```"
		_, after, ok := strings.Cut(readme, marker)
		if !ok {
			t.Errorf("README.md shows no %s (a `%s` block)", name, marker)
			continue
		}
		_, block, _ := strings.Cut(after, "\n")
		shown, _, _ := strings.Cut(block, "```\n")
		written, err := os.ReadFile(filepath.Join("examples", "ts-api", name))
		if err != nil {
			t.Fatal(err)
		}
		if shown != string(written) {
			t.Errorf("README.md's %s differs from the file init writes:\n--- README\n%s--- written\n%s", name, shown, written)
		}
	}
}
