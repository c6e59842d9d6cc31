package co

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/compose"
)

// NoRestartPolicy reports long-running services without `restart`.
var NoRestartPolicy = register(&analysis.Rule{
	ID:       "CO009",
	Name:     "no-restart-policy",
	Title:    "long-running service has no restart policy",
	Severity: analysis.Info,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "Without `restart`, a service that crashes stays down, and nothing comes back after the Docker " +
			"daemon or the machine restarts. On a shared dev server or a small deployment that means an outage " +
			"until someone runs `docker compose up` again; locally it means a dependent service silently " +
			"talking to nothing.\n\n" +
			"A service is considered long-running unless it looks like a task that runs to completion: it is " +
			"behind `profiles:` (an optional tool), another service waits for it with " +
			"`condition: service_completed_successfully`, it is scaled to 0, or its name or command names a " +
			"one-off job (migrate, migration, seed, test, jest, vitest, mocha, cypress, playwright, e2e, setup, " +
			"init, fixtures), or its command only prints a version or a message. `deploy.restart_policy` counts as " +
			"a restart policy, and so does an explicit `restart: \"no\"`; services with swarm-only `deploy` settings " +
			"(mode, placement, update_config) are restarted by swarm by default.",
		Bad:  "services:\n  api:\n    build: .\n",
		Good: "services:\n  api:\n    build: .\n    restart: unless-stopped\n",
		Fix: "Add `restart: unless-stopped` (or `always`) to services that should keep running, and " +
			"`restart: on-failure` to jobs that should be retried. Write `restart: \"no\"` to make a deliberate " +
			"choice explicit.",
		ExampleFile: "compose.yaml",
		AppliesTo:   "Development and test stacks are started and stopped by hand.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, p *compose.Project) {
		deps := dependents(p)
		for _, s := range p.Services {
			if s.Config.Restart != "" || s.Config.Deploy != nil && s.Config.Deploy.RestartPolicy != nil {
				continue
			}
			if oneShot(s, deps) != "" || swarmManaged(s) {
				continue
			}
			report(pass, p, p.Pos("services", s.Name),
				fmt.Sprintf("service %q has no restart policy: after a crash or a Docker restart it stays down", s.Name),
				"add `restart: unless-stopped` (or `restart: \"no\"` if that is deliberate)")
		}
	}),
})
