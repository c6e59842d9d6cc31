package co

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/compose"
)

// NetworkModeHost reports `network_mode: host`.
var NetworkModeHost = register(&analysis.Rule{
	ID:       "CO005",
	Name:     "network-mode-host",
	Title:    "service uses the host network",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "`network_mode: host` puts the container in the host's network namespace. Every port it listens on " +
			"is open on the host's interfaces (including a database bound to 0.0.0.0), `ports:` is ignored, the " +
			"service can no longer reach the others by service name, and it behaves differently on Docker Desktop " +
			"(where the \"host\" is a VM) than on Linux.",
		Bad:  "services:\n  api:\n    build: .\n    network_mode: host\n",
		Good: "services:\n  api:\n    build: .\n    ports:\n      - \"127.0.0.1:3000:3000\"\n",
		Fix: "Remove `network_mode: host`, publish the ports that must be reachable from the host with `ports:`, " +
			"and reach the other services by their service name.",
		ExampleFile: "compose.yaml",
		AppliesTo: "Host networking is a convenience developers choose for local stacks (reaching services on the " +
			"host); the isolation it gives up matters for deployed services. A service that can take over " +
			"the host is CO010's business, in every file.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, p *compose.Project) {
		for _, s := range p.Services {
			if s.Config.NetworkMode != "host" {
				continue
			}
			report(pass, p, p.Pos("services", s.Name, "network_mode"),
				fmt.Sprintf("service %q shares the host's network namespace (`network_mode: host`): all its ports are open on the host", s.Name),
				"remove `network_mode: host` and publish the needed ports with `ports:`")
		}
	}),
})
