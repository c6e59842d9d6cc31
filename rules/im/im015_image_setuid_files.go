package im

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/imagefs"
)

// ImageSetuidFiles reports setuid and setgid files.
var ImageSetuidFiles = family.Add(&analysis.Rule{
	ID:       "IM015",
	Name:     "image-setuid-files",
	Title:    "the image holds setuid or setgid files",
	Severity: analysis.Info,
	Doc: analysis.Doc{
		Why: "A setuid or setgid program runs with its owner's or group's rights whoever starts it: in a container " +
			"that runs as a non-root user, `su`, `passwd`, `mount` and their like are the way back to root when a " +
			"flaw is found in one. A Node service needs none of them. Running with " +
			"`--security-opt no-new-privileges` defuses them; removing them is simpler to check.",
		Bad: "mode: image/layer1/usr/bin/su 4755\n" +
			"-- image/config.json --\n{\"config\": {\"User\": \"node\", \"Cmd\": [\"node\", \"server.js\"]}}\n" +
			"-- image/layer1/usr/bin/su --\n\n",
		Good: "mode: image/layer1/usr/bin/su 0755\n" +
			"-- image/config.json --\n{\"config\": {\"User\": \"node\", \"Cmd\": [\"node\", \"server.js\"]}}\n" +
			"-- image/layer1/usr/bin/su --\n\n",
		ExampleFile: exampleFile,
		Fix: "Strip the bits in the final stage (`RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +`), use a " +
			"distroless or minimal base, and run with `--security-opt no-new-privileges`.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, img *imagefs.Image) {
		var files []string
		img.Walk(func(f *imagefs.File) {
			if f.Setuid() {
				files = append(files, "/"+f.Path)
			}
		})
		if len(files) == 0 {
			return
		}
		noun := "files"
		if len(files) == 1 {
			noun = "file"
		}
		pass.Report(analysis.Finding{
			Message: fmt.Sprintf("%d setuid/setgid %s: %s", len(files), noun, listSome(files, 6)),
			Help:    "strip the bits in the final stage (`chmod a-s`) or run with --security-opt no-new-privileges",
		})
	}),
})
