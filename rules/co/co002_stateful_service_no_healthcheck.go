package co

import (
	"fmt"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/compose"
)

// StatefulServiceNoHealthcheck reports datastores without a healthcheck.
var StatefulServiceNoHealthcheck = register(&analysis.Rule{
	ID:       "CO002",
	Name:     "stateful-service-no-healthcheck",
	Title:    "database, cache or broker has no healthcheck",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Fixable:  true,
	Doc: analysis.Doc{
		Why: "Without a healthcheck compose cannot tell when a database, cache or broker is ready: " +
			"`depends_on` can only wait for its container to start, `docker compose ps` shows it as running " +
			"while it is still initialising or has stopped answering, and `docker compose up --wait` has " +
			"nothing to wait for. The official images (postgres, mysql, mongo, redis, rabbitmq, …) define no " +
			"HEALTHCHECK themselves, so the compose file has to.\n\n" +
			"The rule recognises datastores by image name (postgres, postgis, mysql, mariadb, mongo, redis, " +
			"valkey, rabbitmq, kafka, zookeeper, elasticsearch, opensearch, memcached, cassandra, couchdb, " +
			"neo4j, clickhouse, minio, nats, etcd, SQL Server, and Bitnami's variants). Services that `build:` " +
			"their image are skipped, since their Dockerfile may define a HEALTHCHECK. An explicit " +
			"`healthcheck: {disable: true}` is respected.",
		Bad: "services:\n  db:\n    image: postgres:17\n",
		Good: "services:\n  db:\n    image: postgres:17\n    healthcheck:\n" +
			"      test: [\"CMD-SHELL\", \"pg_isready -U $${POSTGRES_USER:-postgres}\"]\n" +
			"      interval: 5s\n      timeout: 5s\n      retries: 10\n      start_period: 10s\n",
		Fix: "Add a `healthcheck:` that asks the server itself whether it is ready, with the client the image ships:\n\n" +
			"| image | test |\n|---|---|\n" +
			"| postgres | `pg_isready -U $${POSTGRES_USER:-postgres}` |\n" +
			"| mysql | `mysqladmin ping -h 127.0.0.1` |\n" +
			"| mariadb | `healthcheck.sh --connect --innodb_initialized` |\n" +
			"| mongo | `mongosh --quiet --eval \"db.adminCommand('ping')\"` |\n" +
			"| redis | `redis-cli ping` |\n" +
			"| valkey | `valkey-cli ping` |\n" +
			"| rabbitmq | `rabbitmq-diagnostics -q check_running` |\n\n" +
			"`$$` keeps compose from interpolating the variable, so the shell in the container expands it. " +
			"Then let dependents wait for it with `condition: service_healthy` (CO001). `seaworthy fix` adds the test " +
			"of this table (interval 5s, timeout 5s, 10 retries, start period 10s) as the service's last key, when " +
			"no file of the project writes a `healthcheck:` for it.",
		ExampleFile: "compose.yaml",
		AppliesTo: "Development and test stacks are started and watched by hand. A service that waits for a " +
			"datastore is still checked in every file by CO001 and CO011.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, p *compose.Project) {
		for _, s := range p.Services {
			ds, ref, ok := datastoreOf(p, s)
			if !ok || healthOf(s) != healthNone {
				continue
			}
			help := "add a `healthcheck:` whose test asks the server whether it is ready"
			if ds.Healthcheck != "" {
				help = fmt.Sprintf("add `healthcheck: {test: [\"CMD-SHELL\", %q], interval: 5s, timeout: 5s, retries: 10}`", ds.Healthcheck)
			}
			pos := p.Pos("services", s.Name)
			fd := analysis.Finding{
				File:    pos.File,
				Range:   at(p, pos),
				Message: fmt.Sprintf("%s service %q (%s) has no healthcheck: nothing can tell when it is ready", ds.Label, s.Name, ref.display()),
				Help:    help,
			}
			fd.Fix = addHealthcheckFix(p, pos.File, s.Name, ds)
			pass.Report(fd)
		}
	}),
})
