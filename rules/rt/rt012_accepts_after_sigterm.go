package rt

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/observation"
)

// AcceptsAfterSigterm reports new requests served normally while the
// container shuts down.
var AcceptsAfterSigterm = register(observation.StepDraining, &analysis.Rule{
	ID:       "RT012",
	Name:     "accepts-after-sigterm",
	Title:    "new requests are still served normally after SIGTERM",
	Severity: analysis.Info,
	Doc: analysis.Doc{
		Why: "After SIGTERM a server should stop taking new work: close its listening socket (new connections " +
			"are refused) or answer 503 on its readiness endpoint, so the load balancer moves traffic elsewhere " +
			"while the requests in flight finish. `seaworthy verify` sends a new request to the health endpoint " +
			"shortly after SIGTERM; it was answered with a 2xx as if nothing had happened. The instance keeps " +
			"getting traffic it will drop when it exits.\n\nThis is info: some setups deliberately keep serving " +
			"for a few seconds after SIGTERM until the load balancer has noticed (a preStop delay).",
		Bad:         "process.on('SIGTERM', () => setTimeout(() => process.exit(0), 5000));\n",
		Good:        "process.on('SIGTERM', () => {\n  draining = true;            // /health answers 503 from now on\n  server.close(() => process.exit(0));\n});\n",
		ExampleFile: "server.js",
		Fix: "On SIGTERM call `server.close()` (new connections are refused) and make the health endpoint " +
			"answer 503 on connections that stay open, then exit once the requests in flight are done.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, r *observation.Result) {
		if !ready(r) || r.Draining.Skipped != "" || r.Term.Skipped != "" || r.Draining.Path == "" || !r.Draining.OK() {
			return
		}
		pass.Report(analysis.Finding{
			Message: fmt.Sprintf("a new request to %s sent after SIGTERM, while the container was shutting down, was served normally (HTTP %d)", r.Draining.Path, r.Draining.Status),
			Help:    "on SIGTERM stop accepting (`server.close()`) and answer 503 from the health endpoint",
		})
	}),
})
