package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seaworthy-dev/seaworthy/analysis"
)

func TestLocate(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"proj/.seaworthy.yaml":      "ignore: [DF003]\n",
		"proj/api/Dockerfile":       "FROM scratch\n",
		"elsewhere/.seaworthy.yaml": "ignore: [DF013]\n",
		"named.yaml":                "ignore: [DF001]\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(filepath.Join(dir, "elsewhere"))
	reg := testRegistry()
	for _, tc := range []struct{ explicit, near, want string }{
		{"", filepath.Join(dir, "proj"), "DF003"},                      // a directory
		{"", filepath.Join(dir, "proj", "api"), "DF003"},               // its parent's
		{"", filepath.Join(dir, "proj", "api", "Dockerfile"), "DF003"}, // a file: from its directory
		{"", "-", "DF013"}, // stdin: the current directory
		{"", ".", "DF013"}, // verify: the current directory
		{filepath.Join(dir, "named.yaml"), filepath.Join(dir, "proj"), "DF001"},
	} {
		cfg, err := Locate(reg, tc.explicit, tc.near)
		if err != nil {
			t.Fatal(err)
		}
		if cfg == nil || len(cfg.Ignore) != 1 || cfg.Ignore[0] != tc.want {
			t.Errorf("Locate(%q, %q) = %+v, want the config ignoring %s", tc.explicit, tc.near, cfg, tc.want)
		}
	}
	if _, err := Locate(reg, filepath.Join(dir, "missing.yaml"), "."); err == nil || !strings.HasSuffix(err.Error(), "missing.yaml: cannot be read: no such file or directory") {
		t.Errorf("a missing named config: error %v", err)
	}
}

func TestResolve(t *testing.T) {
	reg := testRegistry()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, ".seaworthy.yaml")
	if err := os.WriteFile(cfgPath, []byte("fail-on: error\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SEAWORTHY_TODAY", "2026-11-23")
	r, err := Settings{Ignore: []string{"shell-form-command"}, Severity: []string{"DF003=info"}}.Resolve(reg, dir)
	if err != nil {
		t.Fatal(err)
	}
	if r.Config == nil || r.FailOn != analysis.Error {
		t.Errorf("config %+v, fail-on %v: want the directory's config and its fail-on", r.Config, r.FailOn)
	}
	if !r.Policy.Ignore["DF013"] || r.Policy.Severity["DF003"] != analysis.Info {
		t.Errorf("policy %+v", r.Policy)
	}
	if want := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC); !r.Today.Equal(want) {
		t.Errorf("today %v, want $SEAWORTHY_TODAY", r.Today)
	}
	warn := analysis.Finding{Rule: &analysis.Rule{ID: "DF003"}, Severity: analysis.Warning}
	if r.Fails([]analysis.Finding{warn}) {
		t.Error("a warning fails with fail-on error")
	}

	// Comma lists, and hadolint codes for the rules they map to.
	r, err = Settings{Ignore: []string{"DF003, DL3025", "base-image-untagged"}, Severity: []string{"DF013=info,DL3006=warning"}}.Resolve(reg, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Policy.Ignore["DF003"] || !r.Policy.Ignore["DF013"] || !r.Policy.Ignore["DF001"] || len(r.Policy.Ignore) != 3 {
		t.Errorf("--ignore lists: policy %+v", r.Policy.Ignore)
	}
	if r.Policy.Severity["DF013"] != analysis.Info || r.Policy.Severity["DF001"] != analysis.Warning {
		t.Errorf("--severity lists: policy %+v", r.Policy.Severity)
	}

	r, err = Settings{FailOn: "none", Today: "2025-01-02"}.Resolve(reg, dir)
	if err != nil {
		t.Fatal(err)
	}
	if r.FailOn != 0 || r.Fails([]analysis.Finding{warn}) {
		t.Errorf("--fail-on none: fail-on %v", r.FailOn)
	}
	if r.Today.Year() != 2025 {
		t.Errorf("--today wins over $SEAWORTHY_TODAY: %v", r.Today)
	}

	t.Setenv("SEAWORTHY_TODAY", "soon")
	for _, tc := range []struct {
		s    Settings
		want string
	}{
		{Settings{}, `SEAWORTHY_TODAY "soon": want a date as YYYY-MM-DD`},
		{Settings{Today: "2026-1-1"}, `--today "2026-1-1": want a date as YYYY-MM-DD`},
		{Settings{Today: "2026-01-01", Severity: []string{"DF003"}}, `--severity "DF003": want ID=level, e.g. DF003=info`},
		{Settings{Today: "2026-01-01", Ignore: []string{"DF999"}}, `--ignore: unknown rule "DF999"`},
		{Settings{Today: "2026-01-01", Ignore: []string{"DF003,DF0133"}}, `--ignore: unknown rule "DF0133" (did you mean DF013?)`},
		{Settings{Today: "2026-01-01", Ignore: []string{"DL3008"}}, `--ignore: unknown rule "DL3008" (a hadolint rule that no seaworthy rule checks`},
		{Settings{Today: "2026-01-01", Severity: []string{"DF003=info,shell-form-comand=info"}}, `--severity: unknown rule "shell-form-comand" (did you mean shell-form-command?)`},
		{Settings{Today: "2026-01-01", Severity: []string{"DF003=info,DF013"}}, `--severity "DF013": want ID=level`},
		{Settings{Today: "2026-01-01", Severity: []string{"DF003=loud"}}, `--severity DF003=loud: unknown severity`},
		{Settings{Today: "2026-01-01", FailOn: "always"}, `--fail-on: unknown fail-on level "always"`},
	} {
		if _, err := tc.s.Resolve(reg, dir); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.s, err, tc.want)
		}
	}
}
