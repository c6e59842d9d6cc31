package rt

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/observation"
)

// WritesContainerFS reports files written into the container's own layer.
var WritesContainerFS = register(observation.StepWrites, &analysis.Rule{
	ID:       "RT010",
	Name:     "writes-container-fs",
	Title:    "the container writes files outside /tmp and its volumes",
	Severity: analysis.Warning,
	Doc: analysis.Doc{
		Why: "While it ran, the container wrote files into its own writable layer (`docker diff` lists them), " +
			"outside /tmp and the image's declared volumes. Log files there are invisible to `docker logs` and " +
			"to log collectors, grow until the disk is full, and vanish with the container; state written there " +
			"is lost on every deploy and is not shared between replicas. Writes to the container layer are also " +
			"slow (copy-on-write) and block a read-only root filesystem.",
		Bad:         "const log = fs.createWriteStream('/app/logs/app.log', { flags: 'a' });\nlog.write(`${new Date().toISOString()} started\\n`);\n",
		Good:        "console.log(`${new Date().toISOString()} started`); // stdout: docker logs, collectors\n",
		ExampleFile: "server.js",
		Fix: "Log to stdout/stderr. Keep state in a declared VOLUME or an external service, and scratch files " +
			"under /tmp.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, r *observation.Result) {
		if !ready(r) || r.Writes.Skipped != "" || len(r.Writes.Changes) == 0 {
			return
		}
		var parts []string
		for i, c := range r.Writes.Changes {
			if i == 5 {
				parts = append(parts, fmt.Sprintf("and %d more", len(r.Writes.Changes)-5))
				break
			}
			verb := map[string]string{"A": "added", "C": "changed", "D": "deleted"}[c.Kind]
			parts = append(parts, verb+" "+c.Path)
		}
		pass.Report(analysis.Finding{
			Message: "the container wrote to its own filesystem outside /tmp and its volumes: " + strings.Join(parts, ", "),
			Help:    "log to stdout/stderr; keep state in a VOLUME or an external service, scratch files in /tmp",
		})
	}),
})
