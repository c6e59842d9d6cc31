package co

import (
	"fmt"
	"sort"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/compose"
)

// HealthyDependencyWithoutHealthcheck reports `condition: service_healthy`
// on a service that has no healthcheck.
var HealthyDependencyWithoutHealthcheck = register(&analysis.Rule{
	ID:       "CO011",
	Name:     "healthy-dependency-without-healthcheck",
	Title:    "waits for a healthy service that has no healthcheck",
	Severity: analysis.Error,
	Fixable:  true,
	Doc: analysis.Doc{
		Why: "`condition: service_healthy` waits for the dependency's healthcheck to pass. When the dependency " +
			"has none, it never becomes healthy: `docker compose up` stops with \"dependency failed to start: " +
			"container … has no healthcheck configured\" (or \"is unhealthy\").\n\n" +
			"The rule fires when the dependency has no `healthcheck:` test in the compose files, or has " +
			"`disable: true`/`test: [\"NONE\"]`. Images can ship a HEALTHCHECK of their own, which seaworthy cannot " +
			"see without pulling them: when the dependency runs an image and the compose files give it no healthcheck, " +
			"the finding is a warning that says so. For a service that builds its image, the Dockerfile it builds " +
			"is read and a HEALTHCHECK in the built stage counts; when that stage has none, the finding stays an error.",
		Bad: "services:\n  api:\n    build: .\n    depends_on:\n      cache:\n        condition: service_healthy\n" +
			"  cache:\n    image: redis:7.4\n",
		Good: "services:\n  api:\n    build: .\n    depends_on:\n      cache:\n        condition: service_healthy\n" +
			"  cache:\n    image: redis:7.4\n    healthcheck:\n      test: [\"CMD\", \"redis-cli\", \"ping\"]\n" +
			"      interval: 5s\n      timeout: 3s\n      retries: 10\n",
		Fix: "Add a `healthcheck:` to the dependency (CO002 lists canonical tests for common datastores), or, if " +
			"its image defines a HEALTHCHECK, ignore this finding with a comment. Use `condition: service_started` " +
			"only for dependencies that are ready as soon as they start. `seaworthy fix` adds the canonical healthcheck " +
			"of CO002 to a datastore that has none (not to one whose healthcheck is disabled), in the file that " +
			"defines it.",
		ExampleFile: "compose.yaml",
		AppliesTo:   "docker compose refuses to start such a stack, whatever it is for.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, p *compose.Project) {
		for _, s := range p.Services {
			deps := make([]string, 0, len(s.Config.DependsOn))
			for name, d := range s.Config.DependsOn {
				if d.Condition == types.ServiceConditionHealthy {
					deps = append(deps, name)
				}
			}
			sort.Strings(deps)
			for _, name := range deps {
				dep := p.Service(name)
				if dep == nil {
					continue
				}
				state := healthOf(dep)
				if state == healthDefined {
					continue
				}
				if state == healthNone && dep.Config.Build != nil {
					if has, known := buildHasHealthcheck(p, name); has || !known {
						continue
					}
				}
				pos := p.Pos("services", s.Name, "depends_on", name, "condition")
				msg := fmt.Sprintf("service %q waits for %q to be healthy, but %q has no healthcheck: `docker compose up` fails", s.Name, name, name)
				var sev analysis.Severity
				switch {
				case state == healthDisabled:
					msg = fmt.Sprintf("service %q waits for %q to be healthy, but the healthcheck of %q is disabled: `docker compose up` fails", s.Name, name, name)
				case dep.Config.Build == nil:
					// The image may define a HEALTHCHECK that only pulling it
					// would show: a warning, worded as such.
					msg = fmt.Sprintf("service %q waits for %q to be healthy, but %q has no healthcheck in the compose file; if its image defines none, `docker compose up` fails", s.Name, name, name)
					sev = analysis.Warning
				}
				help := fmt.Sprintf("add a `healthcheck:` to %q", name)
				var fix *analysis.Fix
				if ds, _, ok := datastoreOf(p, dep); ok && ds.Healthcheck != "" {
					help = fmt.Sprintf("add `healthcheck: {test: [\"CMD-SHELL\", %q]}` to %q", ds.Healthcheck, name)
					if state == healthNone {
						fix = addHealthcheckFix(p, pos.File, name, ds)
					}
				}
				pass.Report(analysis.Finding{File: pos.File, Range: at(p, pos), Message: msg, Help: help, Severity: sev, Fix: fix})
			}
		}
	}),
})
