package co

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/compose"
)

// DatastorePortPublished reports datastore ports published on all host
// interfaces.
var DatastorePortPublished = register(&analysis.Rule{
	ID:       "CO008",
	Name:     "datastore-port-published",
	Title:    "datastore port published on all interfaces",
	Severity: analysis.Info,
	Purposes: analysis.Deployed,
	Doc: analysis.Doc{
		Why: "`ports: [\"5432:5432\"]` publishes the database on every interface of the host, not only to the " +
			"developer's own machine: anyone on the same network (office, café, a cloud VM's public address) can " +
			"reach it, usually with the default or a committed password. Docker also inserts its own firewall " +
			"rules, so a host firewall such as ufw does not block the port. The other services do not need " +
			"the port published at all: they reach the database by service name on the compose network.\n\n" +
			"It is a warning when the service asks for no password at all: Redis, Valkey and Memcached as they " +
			"come, MongoDB without `MONGO_INITDB_ROOT_PASSWORD`, PostgreSQL with " +
			"`POSTGRES_HOST_AUTH_METHOD=trust`, MySQL or MariaDB allowing an empty root password, Bitnami images " +
			"with `ALLOW_EMPTY_PASSWORD=yes`. A password in the environment, the command or a configuration " +
			"file the service reads leaves it at info.",
		Bad:  "services:\n  db:\n    image: postgres:17\n    ports:\n      - \"5432:5432\"\n",
		Good: "services:\n  db:\n    image: postgres:17\n    ports:\n      - \"127.0.0.1:5432:5432\"\n",
		Fix: "Drop `ports:` when only other services connect to the datastore, or bind it to the loopback " +
			"interface: `\"127.0.0.1:5432:5432\"` (long syntax: `host_ip: 127.0.0.1`).",
		ExampleFile: "compose.yaml",
		AppliesTo:   "Development stacks publish datastore ports so that the app, run on the host, can reach them.",
	},
	Check: analysis.Check(func(pass *analysis.Pass, p *compose.Project) {
		for _, s := range p.Services {
			ds, ref, ok := datastoreOf(p, s)
			if !ok {
				continue
			}
			reported := map[uint32]bool{}
			for _, port := range s.Config.Ports {
				if port.HostIP != "" && port.HostIP != "0.0.0.0" && port.HostIP != "::" && port.HostIP != "[::]" {
					continue
				}
				if reported[port.Target] {
					continue
				}
				reported[port.Target] = true
				pos, raw := portPos(p, s.Name, port.Target)
				if raw == "" {
					raw = strconv.Itoa(int(port.Target))
					if port.Published != "" {
						raw = port.Published + ":" + raw
					}
				}
				spec := raw
				for _, any := range []string{"0.0.0.0:", "[::]:", ":::"} {
					spec = strings.TrimPrefix(spec, any)
				}
				where := "all host interfaces"
				if port.Published == "" {
					where = "a random port of all host interfaces"
				}
				msg := fmt.Sprintf("%s service %q (%s) publishes port %d on %s (%q)", ds.Label, s.Name, ref.display(), port.Target, where, raw)
				sev := analysis.Info
				if why := openAccess(ds, s); why != "" {
					sev = analysis.Warning
					msg += fmt.Sprintf(" and accepts connections without a password (%s): anyone who reaches the host can read and change the data", why)
				}
				pass.Report(analysis.Finding{
					Severity: sev, File: pos.File, Range: at(p, pos), Message: msg,
					Help: fmt.Sprintf("drop the port if only other services use it, or bind it to loopback: `\"127.0.0.1:%s\"`", spec),
				})
			}
		}
	}),
})

// openAccess says why a datastore service accepts connections without a
// password, from its environment and command: "" when it asks for one, or
// when that cannot be told (a configuration file may set one).
func openAccess(ds knowledge.Datastore, s *compose.Service) string {
	env := func(name string) (string, bool) {
		v, ok := s.Config.Environment[name]
		if !ok || v == nil {
			return "", ok
		}
		return *v, true
	}
	yes := func(name string) bool {
		v, _ := env(name)
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "yes", "true", "1":
			return true
		}
		return false
	}
	set := func(names ...string) bool {
		for _, n := range names {
			if _, ok := env(n); ok {
				return true
			}
		}
		return false
	}
	cmd := strings.Join(append(append([]string{}, s.Config.Entrypoint...), s.Config.Command...), " ")
	if ds.Bitnami {
		if yes("ALLOW_EMPTY_PASSWORD") {
			return "ALLOW_EMPTY_PASSWORD=yes"
		}
		return ""
	}
	switch ds.Kind {
	case "postgres":
		if v, _ := env("POSTGRES_HOST_AUTH_METHOD"); strings.TrimSpace(v) == "trust" {
			return "POSTGRES_HOST_AUTH_METHOD=trust"
		}
	case "mysql", "mariadb":
		for _, n := range []string{"MYSQL_ALLOW_EMPTY_PASSWORD", "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD"} {
			if yes(n) {
				return n + "=yes"
			}
		}
	case "mongo":
		if !set("MONGO_INITDB_ROOT_PASSWORD", "MONGO_INITDB_ROOT_PASSWORD_FILE") && !strings.Contains(cmd, "--auth") && !strings.Contains(cmd, "--config") && !strings.Contains(cmd, "-f ") && !strings.Contains(cmd, "--keyFile") {
			return "no MONGO_INITDB_ROOT_PASSWORD"
		}
	case "redis", "valkey":
		if !set("REDIS_PASSWORD", "VALKEY_PASSWORD") && !strings.Contains(cmd, "requirepass") && !strings.Contains(cmd, ".conf") && !strings.Contains(cmd, "--aclfile") {
			return "no requirepass"
		}
	case "memcached":
		if !strings.Contains(cmd, "-S") && !strings.Contains(cmd, "--enable-sasl") {
			return "Memcached has no authentication"
		}
	}
	return ""
}

// portPos finds the `ports:` entry of service name that publishes target
// (in the file that writes it, one the service extends included) and
// returns it with its text (short syntax; "" for the long one).
func portPos(p *compose.Project, name string, target uint32) (compose.Position, string) {
	want := strconv.Itoa(int(target))
	for _, item := range p.Items("services", name, "ports") {
		f, it := item.File, item.Node
		switch it.Kind {
		case yaml.ScalarNode:
			v, _ := p.Interpolate(it.Value)
			v, _, _ = strings.Cut(v, "/") // protocol
			parts := strings.Split(v, ":")
			last := parts[len(parts)-1]
			lo, hi, isRange := strings.Cut(last, "-")
			if last == want || isRange && inRange(want, lo, hi) {
				return nodePos(f, it), it.Value
			}
		case yaml.MappingNode:
			for j := 0; j+1 < len(it.Content); j += 2 {
				if it.Content[j].Value == "target" {
					if v, _ := p.Interpolate(it.Content[j+1].Value); v == want {
						return nodePos(f, it), ""
					}
				}
			}
		}
	}
	return p.Pos("services", name, "ports"), ""
}

func inRange(v, lo, hi string) bool {
	n, err1 := strconv.Atoi(v)
	a, err2 := strconv.Atoi(lo)
	b, err3 := strconv.Atoi(hi)
	return err1 == nil && err2 == nil && err3 == nil && a <= n && n <= b
}
