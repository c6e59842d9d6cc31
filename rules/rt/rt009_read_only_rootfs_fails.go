package rt

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/observation"
)

// ReadOnlyRootfsFails reports an image that cannot run with a read-only
// root filesystem.
var ReadOnlyRootfsFails = register(observation.StepReadOnly, &analysis.Rule{
	ID:       "RT009",
	Name:     "read-only-rootfs-fails",
	Title:    "the container does not start with a read-only root filesystem",
	Severity: analysis.Warning,
	Doc: analysis.Doc{
		Why: "A read-only root filesystem (`docker run --read-only`, `readOnlyRootFilesystem: true` in " +
			"Kubernetes) stops an attacker from dropping tools or changing the app in a running container, and " +
			"many platforms require it. `seaworthy verify` runs the image a second time that way, with a tmpfs " +
			"on /tmp, and this run did not become ready: the app writes somewhere in the image at start-up " +
			"(a cache, a pid file, generated config) or refuses to start when it cannot.",
		Bad:  "FROM node:22-slim\nWORKDIR /app\nCOPY --chown=node:node . .\nUSER node\n# the app writes its cache to /app/.cache\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nUSER node\nENV CACHE_DIR=/tmp/cache\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Write scratch files under /tmp (mount a tmpfs there), persistent data in a declared VOLUME or an " +
			"external service, and logs to stdout. Make the paths configurable through the environment.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, r *observation.Result) {
		if !ready(r) || r.ReadOnly.Skipped != "" || r.ReadOnly.Ready {
			return
		}
		ro := r.ReadOnly
		var msg string
		switch {
		case ro.StartFailed != "":
			msg = "with a read-only root filesystem the container could not start: " + ro.StartFailed
		case ro.Exited:
			msg = fmt.Sprintf("with a read-only root filesystem (tmpfs on /tmp) the container exited with code %s before it became ready", exitCode(ro.ExitCode))
		default:
			msg = fmt.Sprintf("with a read-only root filesystem (tmpfs on /tmp) the container did not become ready within %s", seconds(r.Settings.StartTimeout))
			if ro.LastProbe != "" {
				msg += fmt.Sprintf(" (last attempt: %s)", ro.LastProbe)
			}
		}
		if l := lastLog(ro.Logs); l != "" {
			msg += fmt.Sprintf("; its last output: %q", l)
		}
		pass.Report(analysis.Finding{
			Message: msg,
			Help:    "write scratch files to /tmp, data to a declared VOLUME, logs to stdout",
		})
	}),
})
