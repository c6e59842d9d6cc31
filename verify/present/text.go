package present

import (
	"fmt"
	"io"
	"strings"

	"github.com/seaworthy-dev/seaworthy/verify"
)

// WriteText renders the run for a person: a header, one line per step
// with its time and ✓ (passed), ✗ (a finding) or – (not tested), and the
// overhead breakdown. The findings follow it (report.Write).
func WriteText(w io.Writer, rep *verify.Report, steps []Step, color bool) {
	paint := func(sgr, s string) string {
		if !color {
			return s
		}
		return sgr + s + "\x1b[0m"
	}
	res := rep.Result
	id := strings.TrimPrefix(res.ImageID, "sha256:")
	if len(id) > 12 {
		id = id[:12]
	}
	fmt.Fprintf(w, "%s %s (%s) on Docker %s, API %s\n", paint("\x1b[1m", "verify"), res.Image, id, rep.Engine.ServerVersion, rep.Engine.APIVersion)
	if rep.ProbeURL != "" {
		fmt.Fprintf(w, "probe  GET %s from the %s\n", rep.ProbeURL, res.Settings.ProbeFrom)
	} else if res.Settings.Readiness == "healthcheck" {
		fmt.Fprintf(w, "probe  the image's HEALTHCHECK: %s\n", strings.Join(res.Settings.HealthcheckCmd[1:], " "))
	}
	fmt.Fprintln(w)
	for _, st := range steps {
		mark := paint("\x1b[1;32m", "✓")
		switch st.Status {
		case "fail":
			mark = paint("\x1b[1;31m", "✗")
		case "skip":
			mark = paint("\x1b[1;33m", "–")
		}
		took := ""
		if st.Took > 0 {
			took = ms(st.Took)
		}
		fmt.Fprintf(w, "  %s %-17s %8s  %s\n", mark, st.Name, took, st.Detail)
	}
	t := rep.Timing
	var parts []string
	for _, p := range t.Phases {
		parts = append(parts, fmt.Sprintf("%s %d ms", p.Name, p.Overhead.Milliseconds()))
	}
	fmt.Fprintf(w, "\ntime   %s: %s the app (start-up, requests, shutdown), %s the engine starting containers, %d ms verify's own overhead (%s)\n",
		ms(t.Wall), ms(t.Waiting), ms(t.EngineStart), t.Overhead.Milliseconds(), strings.Join(parts, ", "))
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "note   %s\n", n)
	}
	fmt.Fprintln(w)
}
