package rt

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/observation"
)

// InflightRequestDropped reports a request cut off by SIGTERM.
var InflightRequestDropped = register(observation.StepInFlight, &analysis.Rule{
	ID:       "RT005",
	Name:     "inflight-request-dropped",
	Title:    "a request in flight at SIGTERM does not complete",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "With `--slow-path`, `seaworthy verify` starts a request to an endpoint that takes a while, sends " +
			"SIGTERM while it is being served, and expects it to complete with a 2xx. It did not: the connection " +
			"was reset, closed, or answered with an error. That is what users see on every deploy when a " +
			"shutdown handler calls `process.exit()` at once, or when nothing handles SIGTERM and the runtime " +
			"dies with the request half done.",
		Bad:         "process.on('SIGTERM', () => process.exit(0));\n",
		Good:        "process.on('SIGTERM', () => {\n  server.close(() => process.exit(0)); // waits for in-flight requests\n  server.closeIdleConnections();\n});\n",
		ExampleFile: "server.js",
		Fix: "On SIGTERM, stop accepting new connections with `server.close()` and exit in its callback, once " +
			"the requests in flight have finished. Close idle keep-alive connections " +
			"(`server.closeIdleConnections()`) so the close does not wait for them. Keep the whole drain within " +
			"the grace period.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, r *observation.Result) {
		if !ready(r) || r.InFlight.Skipped != "" || r.Term.Skipped != "" || r.InFlight.Path == "" || r.InFlight.OK() {
			return
		}
		got := r.InFlight.Err
		if r.InFlight.Status != 0 {
			got = fmt.Sprintf("answered HTTP %d", r.InFlight.Status)
		}
		pass.Report(analysis.Finding{
			Message: fmt.Sprintf("GET %s was in flight when SIGTERM was sent and did not complete: %s", r.InFlight.Path, got),
			Help:    "on SIGTERM call `server.close()` and exit in its callback, after in-flight requests finish",
		})
	}),
})
