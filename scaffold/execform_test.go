package scaffold

import (
	"encoding/json"
	"slices"
	"testing"
)

// TestExecForm: every word is a JSON string, so Docker reads the line as
// exec form and runs the words it was given, control characters too.
func TestExecForm(t *testing.T) {
	argv := []string{"node", "-e", "start()\a && x < 1", "é"}
	got := execForm(argv)
	if want := `["node", "-e", "start()\u0007 && x < 1", "é"]`; got != want {
		t.Errorf("execForm = %s, want %s", got, want)
	}
	var back []string
	if err := json.Unmarshal([]byte(got), &back); err != nil || !slices.Equal(back, argv) {
		t.Errorf("%s reads back as %q (%v), want %q", got, back, err, argv)
	}
}
