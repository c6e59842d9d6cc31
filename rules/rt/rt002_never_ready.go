package rt

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/observation"
)

// NeverReady reports a container whose readiness probe never passes.
var NeverReady = register(observation.StepReady, &analysis.Rule{
	ID:       "RT002",
	Name:     "never-ready",
	Title:    "the container never becomes ready",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "The container kept running but its health endpoint (or its HEALTHCHECK command) did not pass " +
			"within the start timeout. `seaworthy verify` probes the container's own address from outside it, " +
			"as a load balancer or the kubelet would: a server that listens on `127.0.0.1` is unreachable from " +
			"there, however healthy it is inside. A wrong port in `EXPOSE`, a health path that answers 404, or " +
			"start-up that waits for a dependency that is not there have the same effect: the instance never " +
			"receives traffic.\n\nThe finding lists the addresses the container was listening on when verify gave up.",
		Bad:         "const server = http.createServer(app);\nserver.listen(3000, '127.0.0.1');\n",
		Good:        "const server = http.createServer(app);\nserver.listen(3000); // all interfaces: 0.0.0.0 and ::\n",
		ExampleFile: "server.js",
		Fix: "Listen on all interfaces (`0.0.0.0`, or no host argument in Node). Make the health endpoint " +
			"answer 2xx as soon as the server can serve, and point verify at it with `--port` and " +
			"`--health-path`. If start-up is legitimately long, raise `--start-timeout`.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, r *observation.Result) {
		if r == nil {
			return
		}
		st, s := r.Start, r.Settings
		if st.Skipped != "" || st.Ready || st.Exited || st.ExitedAfterReady || st.StartFailed != "" {
			return
		}
		var msg, help string
		if s.Readiness == "healthcheck" {
			msg = fmt.Sprintf("the image's HEALTHCHECK did not pass within %s", seconds(s.StartTimeout))
			if st.LastProbe != "" {
				msg += fmt.Sprintf(" (last attempt: %s)", st.LastProbe)
			}
			help = "run the HEALTHCHECK command in the container by hand to see why it fails"
		} else {
			msg = fmt.Sprintf("no HTTP 2xx from GET %s on port %d within %s", s.HealthPath, s.Port, seconds(s.StartTimeout))
			if st.LastProbe != "" {
				msg += fmt.Sprintf(" (last attempt: %s)", st.LastProbe)
			}
			help = fmt.Sprintf("point verify at the health endpoint with --port and --health-path (default %s)", "/health")
			if strings.HasPrefix(st.LastProbe, "HTTP 404") {
				help = "the server answers but not on " + s.HealthPath + ": give the right --health-path"
			}
		}
		if st.Listening != nil && s.Readiness == "http" {
			outside, loopback := listensOn(st.Listening, s.Port)
			switch {
			case loopback:
				msg += fmt.Sprintf("; the server listens on %s only, which nothing outside the container can reach", strings.Join(onPort(st.Listening, s.Port), ", "))
				help = "listen on all interfaces: `server.listen(port)` or host `0.0.0.0`, not `127.0.0.1`/`localhost`"
			case !outside && len(st.Listening) == 0:
				msg += "; nothing in the container listens on a TCP port"
			case !outside:
				msg += fmt.Sprintf("; the container listens on %s, not on port %d", strings.Join(st.Listening, ", "), s.Port)
				help = "give the port the server listens on with --port, and EXPOSE it in the Dockerfile"
			}
		}
		pass.Report(analysis.Finding{Message: msg, Help: help})
	}),
})
