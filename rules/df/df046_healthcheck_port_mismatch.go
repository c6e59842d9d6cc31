package df

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/locate"
	"github.com/seaworthy-dev/seaworthy/facts/stage"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
)

// HealthcheckPortMismatch reports a HEALTHCHECK that probes a port other
// than the one the app listens on (ENV PORT) and than every EXPOSEd one.
var HealthcheckPortMismatch = register(&analysis.Rule{
	ID:       "DF046",
	Name:     "healthcheck-port-mismatch",
	Title:    "HEALTHCHECK probes a port the app does not listen on",
	Severity: analysis.Error,
	Doc: analysis.Doc{
		Why: "A HEALTHCHECK that requests `http://localhost:3000/health` while the app listens on 8080 " +
			"can never pass: the container is marked unhealthy however well the app runs, `depends_on: " +
			"condition: service_healthy` never starts the services that wait for it, and orchestrators " +
			"that honour the health status restart or never route to it. It happens when `ENV PORT` or " +
			"`EXPOSE` is changed and the healthcheck, often copied from another project, is not.\n\n" +
			"The rule compares the port of the HEALTHCHECK's URL on the container itself (localhost, " +
			"127.0.0.1; 80 or 443 when the URL names none) with `ENV PORT` and the EXPOSEd ports of the " +
			"final stage, and reports only when it matches none of them. A port written as a variable " +
			"(`http://localhost:$PORT/health`) follows the app's and is not reported.",
		Bad: "FROM node:22-alpine\nENV PORT=8080\nWORKDIR /app\nCOPY . .\nEXPOSE 8080\n" +
			"HEALTHCHECK --start-period=10s CMD wget -qO- http://localhost:3000/health || exit 1\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Good: "FROM node:22-alpine\nENV PORT=8080\nWORKDIR /app\nCOPY . .\nEXPOSE 8080\n" +
			"HEALTHCHECK --start-period=10s CMD wget -qO- http://localhost:$PORT/health || exit 1\nUSER node\nCMD [\"node\", \"server.js\"]\n",
		Fix: "Probe the port the app listens on, best through the same variable " +
			"(`http://localhost:$PORT/health` in a shell-form HEALTHCHECK), so the two cannot drift apart again.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, f *dockerfile.File) {
		seen := map[*dockerfile.Instruction]bool{}
		for _, st := range f.FinalStages() {
			hc := stage.LastInChain(st, "HEALTHCHECK")
			if hc == nil || seen[hc] || stage.HealthcheckNone(hc) {
				continue
			}
			seen[hc] = true
			probe, url, ok := stage.HealthcheckPort(hc)
			if !ok {
				continue
			}
			envIn, envValue := stage.LastEnv(st, "PORT")
			envPort, envErr := strconv.Atoi(strings.TrimSpace(envValue))
			exposed := stage.ExposedPorts(st)
			if envIn != nil && envErr == nil && envPort == probe || exposed[probe] != nil {
				continue
			}
			var listens []string
			if envIn != nil && envErr == nil {
				listens = append(listens, fmt.Sprintf("the app listens on %d (`ENV PORT=%d`, line %d)", envPort, envPort, envIn.StartLine))
			}
			if len(exposed) > 0 {
				ports := make([]int, 0, len(exposed))
				for p := range exposed {
					ports = append(ports, p)
				}
				sort.Ints(ports)
				s := make([]string, len(ports))
				for i, p := range ports {
					s[i] = strconv.Itoa(p)
				}
				listens = append(listens, "the stage EXPOSEs "+strings.Join(s, ", "))
			}
			if len(listens) == 0 {
				continue // nothing says where the app listens
			}
			want := ""
			if envIn != nil && envErr == nil {
				want = strconv.Itoa(envPort)
			} else if len(exposed) == 1 {
				for p := range exposed {
					want = strconv.Itoa(p)
				}
			}
			help := "probe the port the app listens on, e.g. `http://localhost:$PORT/…` in a shell-form HEALTHCHECK"
			if want != "" {
				help = fmt.Sprintf("probe port %s (or `$PORT` in a shell-form HEALTHCHECK)", want)
			}
			pass.Report(analysis.Finding{
				Range: locate.Instruction(f, hc),
				Message: fmt.Sprintf("the HEALTHCHECK requests `%s` on port %d, but %s: the check cannot pass and the container stays unhealthy",
					analysis.Snippet(url, 60), probe, strings.Join(listens, " and ")),
				Help: help,
			})
		}
	}),
})
