package rt

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/observation"
)

// A case is testdata/<ID>/<name>.json: what a verify run observed, and
// the findings every RT rule together must report on it (rule ID and a
// message regexp). Cases named fires_* must make their rule fire, silent_*
// must not.
type testCase struct {
	Result observation.Result
	Want   []struct {
		Rule, Message string
	}
}

func runAll(res *observation.Result) []analysis.Finding {
	var out []analysis.Finding
	for _, r := range Rules() {
		pass := analysis.NewPass(r, res.Image, func(f analysis.Finding) { out = append(out, f) })
		analysis.Run(r, pass, res)
	}
	return out
}

func TestRules(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "RT*", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test cases: %v", err)
	}
	fires, silent := map[string]bool{}, map[string]bool{}
	for _, file := range files {
		id := filepath.Base(filepath.Dir(file))
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(id+"/"+name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var c testCase
			if err := json.Unmarshal(data, &c); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			got := runAll(&c.Result)
			own := false
			for _, f := range got {
				if f.Rule.ID == id {
					own = true
				}
				if f.File != c.Result.Image || f.Range != (analysis.Range{}) {
					t.Errorf("%s finding: file %q range %v, want the image and no position", f.Rule.ID, f.File, f.Range)
				}
			}
			switch {
			case strings.HasPrefix(name, "fires"):
				fires[id] = true
				if !own {
					t.Errorf("%s does not fire", id)
				}
			case strings.HasPrefix(name, "silent"):
				silent[id] = true
				if own {
					t.Errorf("%s fires on a near miss", id)
				}
			}
			if len(got) != len(c.Want) {
				for _, f := range got {
					t.Logf("got %s %s", f.Rule.ID, f.Message)
				}
				t.Fatalf("%d findings, want %d", len(got), len(c.Want))
			}
			for i, w := range c.Want {
				if got[i].Rule.ID != w.Rule || !regexp.MustCompile(w.Message).MatchString(got[i].Message) {
					t.Errorf("finding %d: %s %q, want %s matching %q", i, got[i].Rule.ID, got[i].Message, w.Rule, w.Message)
				}
				if got[i].Help == "" {
					t.Errorf("%s finding has no help", got[i].Rule.ID)
				}
			}
		})
	}
	for _, r := range Rules() {
		if !fires[r.ID] || !silent[r.ID] {
			t.Errorf("%s needs a fires_* and a silent_* case under testdata/%s", r.ID, r.ID)
		}
	}
}

func TestRegistry(t *testing.T) {
	if err := analysis.NewRegistry(Rules()...).Validate(); err != nil {
		t.Fatal(err)
	}
	if n := len(Rules()); n != 12 {
		t.Errorf("%d RT rules, want RT001-RT012", n)
	}
	for _, r := range Rules() {
		if r.Family() != "RT" {
			t.Errorf("%s is not an RT rule", r.ID)
		}
	}
}
