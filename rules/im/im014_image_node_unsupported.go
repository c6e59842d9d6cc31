package im

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/imagefs"
	"github.com/seaworthy-dev/seaworthy/knowledge"
)

// ImageNodeUnsupported reports an end-of-life or never-LTS Node version.
var ImageNodeUnsupported = family.Add(&analysis.Rule{
	ID:       "IM014",
	Name:     "image-node-unsupported",
	Title:    "the image's Node version is end-of-life or never LTS",
	Severity: analysis.Warning,
	Doc: analysis.Doc{
		Why: "A Node line past its end-of-life gets no more security fixes, and an odd line (up to 25) never becomes " +
			"LTS and is supported for only a few months. The version is read from the image itself: the " +
			"NODE_VERSION variable of the official images, else Node's version header beside the binary; the " +
			"schedule is the one DF005 uses (nodejs/Release) at the check date.",
		Bad:         "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"Env\": [\"NODE_VERSION=18.20.4\", \"NODE_ENV=production\"], \"Cmd\": [\"node\", \"server.js\"]}}\n",
		Good:        "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"Env\": [\"NODE_VERSION=24.11.1\", \"NODE_ENV=production\"], \"Cmd\": [\"node\", \"server.js\"]}}\n",
		ExampleFile: exampleFile,
		Fix:         "Rebuild on a supported LTS line (`FROM node:24-slim`) and run the test suite on it.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, img *imagefs.Image) {
		v, from := img.NodeVersion()
		major, err := strconv.Atoi(strings.SplitN(v, ".", 2)[0])
		if v == "" || err != nil {
			return
		}
		sched := knowledge.NodeSchedule()
		status, line := sched.Status(major, pass.Today)
		var why string
		switch status {
		case knowledge.EndOfLife:
			why = fmt.Sprintf("Node %d is past end-of-life", major)
			if !line.End.IsZero() {
				why = fmt.Sprintf("Node %d reached end-of-life on %s", major, line.End.Format("2006-01-02"))
			}
			why += " and gets no security fixes"
		case knowledge.NeverLTS:
			why = fmt.Sprintf("Node %d is an odd line that never becomes LTS; its support ends on %s", major, line.End.Format("2006-01-02"))
		default:
			return
		}
		help := "rebuild on a supported LTS line"
		if lts := sched.SupportedLTS(pass.Today); len(lts) > 0 {
			help = fmt.Sprintf("rebuild on Node %d, the newest supported LTS line", lts[0])
		}
		pass.Report(analysis.Finding{
			Message: fmt.Sprintf("the image runs Node %s (from %s): %s", v, from, why),
			Help:    help,
		})
	}),
})
