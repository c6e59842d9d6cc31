package co

import (
	"fmt"
	"sort"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/facts/command"
	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/compose"
)

// DependsOnNotHealthy reports `depends_on` on a datastore that only waits
// for the container to start.
var DependsOnNotHealthy = register(&analysis.Rule{
	ID:       "CO001",
	Name:     "depends-on-not-healthy",
	Title:    "service waits for a datastore to start, not to be ready",
	Severity: analysis.Warning,
	Fixable:  true,
	Doc: analysis.Doc{
		Why: "`depends_on: [db]` (and `condition: service_started`) only orders container starts: compose starts " +
			"the app as soon as the database *container* runs, which is seconds before the database accepts " +
			"connections. The app's first connection fails, and depending on how it handles that it crashes, " +
			"retries with a stack trace in the logs, or comes up without its cache or queue.\n\n" +
			"The rule fires on short-form `depends_on` entries and on `condition: service_started` when the " +
			"dependency runs a database, cache or broker image (postgres, mysql, mariadb, mongo, redis, valkey, " +
			"rabbitmq, kafka, elasticsearch, …).",
		Bad: "services:\n  api:\n    build: .\n    depends_on:\n      - db\n  db:\n    image: postgres:17\n",
		Good: "services:\n  api:\n    build: .\n    depends_on:\n      db:\n        condition: service_healthy\n" +
			"  db:\n    image: postgres:17\n    healthcheck:\n      test: [\"CMD-SHELL\", \"pg_isready -U $${POSTGRES_USER:-postgres}\"]\n" +
			"      interval: 5s\n      timeout: 5s\n      retries: 10\n",
		Fix: "Give the datastore a healthcheck (see CO002) and use the long form of `depends_on` with " +
			"`condition: service_healthy`. The app should still retry its connections: healthy at start does not " +
			"mean healthy forever. `seaworthy fix` rewrites the entry to `condition: service_healthy` (a short-form " +
			"list becomes the long form, its other entries `condition: service_started`) and, when the datastore is " +
			"defined in the same file without a healthcheck, adds the canonical one (`pg_isready`, `redis-cli ping`, " +
			"`mysqladmin ping`, `mongosh`, …; see CO002). It leaves alone a datastore whose healthcheck is disabled " +
			"or has no canonical test.",
		ExampleFile: "compose.yaml",
		AppliesTo: "A stack that starts its app before the database is ready fails at random, in development and CI " +
			"(where stacks start from scratch most often) as much as in production.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, p *compose.Project) {
		for _, s := range p.Services {
			if command.Idle(append(append([]string(nil), s.Config.Entrypoint...), s.Config.Command...)) != "" {
				// An idle helper (`tail -f /dev/null`, exec'd into later)
				// does not use its dependencies when it starts.
				continue
			}
			deps := make([]string, 0, len(s.Config.DependsOn))
			for name := range s.Config.DependsOn {
				deps = append(deps, name)
			}
			sort.Strings(deps)
			for _, name := range deps {
				d := s.Config.DependsOn[name]
				if d.Condition != "" && d.Condition != types.ServiceConditionStarted {
					continue
				}
				dep := p.Service(name)
				if dep == nil || !declaredDependency(p, s.Name, name) {
					continue
				}
				ds, ref, ok := datastoreOf(p, dep)
				if !ok {
					continue
				}
				help := fmt.Sprintf("use `depends_on: {%s: {condition: service_healthy}}`", name)
				if healthOf(dep) != healthDefined {
					help = fmt.Sprintf("give %q a healthcheck (see CO002) and use `depends_on: {%s: {condition: service_healthy}}`", name, name)
				}
				pos := p.Pos("services", s.Name, "depends_on", name)
				pass.Report(analysis.Finding{
					File:    pos.File,
					Range:   at(p, pos),
					Message: fmt.Sprintf("service %q waits only for %q (%s, %s) to start, not to accept connections", s.Name, name, ref.display(), ds.Label),
					Help:    help,
					Fix:     healthyDependencyFix(p, p.File(pos.File), s.Name, dep, ds),
				})
			}
		}
	}),
})

// healthyDependencyFix makes service svc of f wait for dep to be healthy,
// adding dep's canonical healthcheck when it has none; nil when dep's
// healthcheck is disabled, or dep has none and it cannot be added in f.
func healthyDependencyFix(p *compose.Project, f *compose.File, svc string, dep *compose.Service, ds knowledge.Datastore) *analysis.Fix {
	if f == nil {
		return nil
	}
	edits := dependsOnHealthyEdits(f, svc, dep.Name)
	if edits == nil {
		return nil
	}
	title := fmt.Sprintf("Wait for %q to be healthy", dep.Name)
	switch healthOf(dep) {
	case healthDisabled:
		return nil
	case healthNone:
		hc := healthcheckEdit(p, f, dep.Name, ds)
		if hc == nil {
			return nil
		}
		edits = append(edits, *hc)
		title += fmt.Sprintf(" and give it a healthcheck (`%s`)", ds.Healthcheck)
	}
	return &analysis.Fix{Title: title, Edits: edits}
}
