package verify

import (
	"sort"
	"time"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/checker"
)

// Findings runs the rules of reg that read runtime observations over the
// run's observations. Findings name the image as their file.
func Findings(rep *Report, reg *analysis.Registry) []analysis.Finding {
	if rep == nil || rep.Result == nil {
		return nil
	}
	out := checker.RunRules(rep.Result, rep.Result.Image, reg.ForInput(rep.Result.InputKind()), time.Time{})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Rule.ID < out[j].Rule.ID })
	return out
}
