package im

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/imagefs"
)

// ImageShellFormCommand reports a command that a shell runs as PID 1.
var ImageShellFormCommand = family.Add(&analysis.Rule{
	ID:       "IM010",
	Name:     "image-shell-form-command",
	Title:    "the image's command runs in a shell",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "A shell-form `CMD npm start` is stored as `[\"/bin/sh\", \"-c\", \"npm start\"]`: PID 1 is the shell, " +
			"which does not pass SIGTERM on to the app. `docker stop` then waits its whole grace period and kills " +
			"the container, dropping requests in flight and skipping the app's shutdown. A script that starts " +
			"with `exec` replaces the shell and is fine.",
		Bad:         "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"Cmd\": [\"/bin/sh\", \"-c\", \"npm start\"]}}\n",
		Good:        "-- image/config.json --\n{\"config\": {\"User\": \"node\", \"Cmd\": [\"node\", \"server.js\"]}}\n",
		ExampleFile: exampleFile,
		Fix: "Write CMD and ENTRYPOINT in exec form, `CMD [\"node\", \"server.js\"]`, or start the shell script " +
			"with `exec` (`CMD exec node server.js`).",
	},
	Check: analysis.Check(func(pass *analysis.Pass, img *imagefs.Image) {
		argv := img.Command()
		script, ok := shellForm(argv)
		if !ok || strings.HasPrefix(strings.TrimSpace(script), "exec ") {
			return
		}
		pass.Report(analysis.Finding{
			Message: fmt.Sprintf("the command %s runs in a shell: PID 1 is %s, which does not pass SIGTERM on to the app", quoteCommand(argv), argv[0]),
			Help:    "write CMD in exec form, [\"node\", \"server.js\"]",
		})
	}),
})
