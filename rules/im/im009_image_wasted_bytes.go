package im

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/imagefs"
)

// Waste thresholds: IM009 fires above wasteBytes, or above wasteShare of
// the image once at least wasteFloor bytes are wasted.
const (
	wasteBytes = 10_000_000
	wasteShare = 0.05
	wasteFloor = 1_000_000
)

// ImageWastedBytes reports bytes that later layers deleted or rewrote.
var ImageWastedBytes = family.Add(&analysis.Rule{
	ID:       "IM009",
	Name:     "image-wasted-bytes",
	Title:    "lower layers hold bytes that later layers deleted or rewrote",
	Severity: analysis.Warning,
	Doc: analysis.Doc{
		Why: "A file deleted in a later layer (`RUN rm -rf /var/lib/apt/lists/*` after the `RUN apt-get update` " +
			"that filled them) or rewritten by one (`RUN chmod -R g+w node_modules`, a `chown -R`, a second `COPY` " +
			"over the same path) stays whole in the lower layer: every pull downloads it and every node stores it. " +
			"Each lower copy is counted once (a rewritten file wastes its lower copy, not both), and the rule fires " +
			"above 10 MB, or above 5 % of the image once a megabyte is wasted.",
		Bad: "size: image/layer1/app/bundle.js 12000000\nsize: image/layer2/app/bundle.js 12000000\n" +
			"-- image/config.json --\n{\"config\": {\"User\": \"node\", \"Cmd\": [\"node\", \"server.js\"]},\n" +
			" \"history\": [{\"created_by\": \"COPY app /app # buildkit\"}, {\"created_by\": \"RUN /bin/sh -c chmod -R g+w /app # buildkit\"}]}\n" +
			"-- image/layer1/app/bundle.js --\n-- image/layer2/app/bundle.js --\n",
		Good: "size: image/layer1/app/bundle.js 12000000\n" +
			"-- image/config.json --\n{\"config\": {\"User\": \"node\", \"Cmd\": [\"node\", \"server.js\"]},\n" +
			" \"history\": [{\"created_by\": \"COPY --chmod=g+w app /app # buildkit\"}]}\n" +
			"-- image/layer1/app/bundle.js --\n",
		ExampleFile: exampleFile,
		Fix: "Delete in the same RUN that creates (`apt-get update && apt-get install … && rm -rf /var/lib/apt/lists/*`), " +
			"set owners and modes as you copy (`COPY --chown=node:node --chmod=…`) instead of a later `chown -R`/`chmod -R`, " +
			"and build in a stage whose result you copy into the final one.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, img *imagefs.Image) {
		wasted := img.Wasted()
		total := img.Size()
		share := 0.0
		if total > 0 {
			share = float64(wasted) / float64(total)
		}
		if wasted <= wasteBytes && (wasted < wasteFloor || share <= wasteShare) {
			return
		}
		worst := 0
		for i, l := range img.Layers {
			if l.Hides > img.Layers[worst].Hides {
				worst = i
			}
		}
		pass.Report(analysis.Finding{
			Message: fmt.Sprintf("%s of lower layers (%.1f %% of the image) were deleted or rewritten by later layers; the most by %s, %s",
				mb(wasted), share*100, layerName(img, worst), mb(img.Layers[worst].Hides)),
			Help:  "delete in the same RUN that creates, and set owners and modes with COPY --chown/--chmod instead of a later chown -R/chmod -R",
			Layer: img.Layers[worst].Digest,
		})
	}),
})
