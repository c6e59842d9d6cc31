package dockerfile

import (
	"testing"

	"github.com/seaworthy-dev/seaworthy/analysis/analysistest"
	"github.com/seaworthy-dev/seaworthy/checker"
	df "github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

func TestInstallDocsTmp(t *testing.T) {
	for _, r := range Rules() {
		switch r.ID {
		case "DF006", "DF007", "DF008", "DF009", "DF020", "DF021", "DF032", "DF035", "DF037":
		default:
			continue
		}
		for _, c := range []struct {
			src  string
			want bool
		}{{r.Doc.Bad, true}, {r.Doc.Good, false}} {
			f, err := df.Parse("x", []byte(c.src), df.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := checker.RunDockerfileRules(f, "x", Rules(), analysistest.Today)
			n := 0
			for _, fd := range got {
				if fd.Rule.ID == r.ID {
					n++
				}
			}
			if (n > 0) != c.want {
				t.Errorf("%s: want fires=%v got %d on\n%s", r.ID, c.want, n, c.src)
			}
			for _, fd := range got {
				t.Logf("%s example(%v): %s %s", r.ID, c.want, fd.Rule.ID, fd.Message)
			}
		}
	}
}
