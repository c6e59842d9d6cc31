package co

import (
	"fmt"
	"strings"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/source/compose"
)

// StatefulDataNotPersisted reports datastores whose data directory has no
// volume.
var StatefulDataNotPersisted = register(&analysis.Rule{
	ID:       "CO003",
	Name:     "stateful-data-not-persisted",
	Title:    "datastore keeps its data only in the container",
	Severity: analysis.Warning,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "A database writes to its data directory (`/var/lib/postgresql/data`, `/var/lib/mysql`, `/data/db`, " +
			"`/data`, …). With nothing mounted there, the data lives in the container or in an anonymous volume " +
			"tied to it: `docker compose down` followed by `up` starts from an empty database, and so does a " +
			"recreated container after an image upgrade.\n\n" +
			"A mount whose target is the data directory or one of its parents keeps the data; a named volume is " +
			"preferred (compose manages it and `down` keeps it), a bind mount counts too, and so does an explicit " +
			"`tmpfs` (a deliberate throw-away database). The data directory depends on the image: Postgres 18 and " +
			"later keep it in `/var/lib/postgresql` (a volume on the old `/var/lib/postgresql/data` does not cover " +
			"it), `PGDATA` moves it, Bitnami images use `/bitnami/<name>`. Caches with no data directory " +
			"(memcached) and images whose directory is set by flags (etcd, NATS, apache/kafka) are not checked.",
		Bad: "services:\n  db:\n    image: postgres:17\n",
		Good: "services:\n  db:\n    image: postgres:17\n    volumes:\n      - db-data:/var/lib/postgresql/data\n\n" +
			"volumes:\n  db-data:\n",
		Fix: "Mount a named volume on the data directory and declare it under the top-level `volumes:`. For " +
			"Postgres 18 and later mount `/var/lib/postgresql`. Remove data on purpose with `docker compose down -v`.",
		ExampleFile: "compose.yaml",
		AppliesTo:   "Development and test stacks are thrown away on purpose.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, p *compose.Project) {
		for _, s := range p.Services {
			ds, ref, ok := datastoreOf(p, s)
			if !ok || len(s.Config.VolumesFrom) > 0 {
				continue
			}
			dir, ok := dataDirOf(ds, ref, s)
			if !ok || dir.Path == "" {
				continue
			}
			covered := false
			var near string // a mount just below the data directory (Postgres 18 habit)
			for _, v := range s.Config.Volumes {
				if dir.covers(v.Target) {
					covered = true
				} else if under(v.Target, dir.Path) {
					near = v.Target
				}
			}
			for _, t := range s.Config.Tmpfs {
				if target, _, _ := strings.Cut(t, ":"); dir.covers(target) {
					covered = true
				}
			}
			if covered {
				continue
			}
			pos := p.Pos("services", s.Name)
			if near != "" {
				pos = volumePos(p, s.Name, near)
			}
			msg := fmt.Sprintf("%s service %q (%s) has no volume on its data directory %s: the data is lost when the container is removed", ds.Label, s.Name, ref.display(), dir.Path)
			switch {
			case dir.Note == "pg18" && near != "":
				msg = fmt.Sprintf("%s service %q (%s) mounts %s, but Postgres 18 and later keep their data in %s: the data is not in the volume", ds.Label, s.Name, ref.display(), near, dir.Path)
			case dir.Note == "PGDATA":
				msg = fmt.Sprintf("%s service %q (%s) sets PGDATA=%s but has no volume there: the data is lost when the container is removed", ds.Label, s.Name, ref.display(), dir.Path)
			}
			vol := s.Name + "-data"
			report(pass, p, pos, msg, fmt.Sprintf("mount a named volume: `volumes: [\"%s:%s\"]` and declare `%s:` under the top-level `volumes:`", vol, dir.Path, vol))
		}
	}),
})

// volumePos finds the volume entry of service name whose target is target
// (in the file that writes it, one the service extends included).
func volumePos(p *compose.Project, name, target string) compose.Position {
	for _, it := range p.Items("services", name, "volumes") {
		if _, t, ok := volumeSpec(p, it.Node); ok && strings.TrimSuffix(t, "/") == strings.TrimSuffix(target, "/") {
			return nodePos(it.File, it.Node)
		}
	}
	return p.Pos("services", name, "volumes")
}
