package co

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v4"

	"github.com/seaworthy-dev/seaworthy/analysis"
	"github.com/seaworthy-dev/seaworthy/knowledge"
	"github.com/seaworthy-dev/seaworthy/source/compose"
	"github.com/seaworthy-dev/seaworthy/source/dockerfile"
	"github.com/seaworthy-dev/seaworthy/source/regular"
)

// at is the range of a key written at pos: from its column to the end of
// its line.
func at(p *compose.Project, pos compose.Position) analysis.Range {
	end := pos.Col + 1
	if f := p.File(pos.File); f != nil && pos.Line-1 < len(f.Lines) {
		end = len(f.Lines[pos.Line-1]) + 1
	}
	if end <= pos.Col {
		end = pos.Col + 1
	}
	return analysis.Range{Start: analysis.Pos{Line: pos.Line, Col: pos.Col}, End: analysis.Pos{Line: pos.Line, Col: end}}
}

// report records a finding at pos (file and line).
func report(pass *analysis.Pass, p *compose.Project, pos compose.Position, msg, help string) {
	pass.Report(analysis.Finding{File: pos.File, Range: at(p, pos), Message: msg, Help: help})
}

// nodePos is the position of a node in file f.
func nodePos(f *compose.File, n *yaml.Node) compose.Position {
	return compose.Position{File: f.Path, Line: n.Line, Col: n.Column}
}

// imageRef is a parsed image reference.
type imageRef struct {
	// Raw is the reference as written, before interpolation.
	Raw string
	// Value is the interpolated reference.
	Value string
	// Unset is set when Raw references a variable with no value.
	Unset bool
	// Registry is the registry host ("" for Docker Hub); Repo the path
	// without registry and without Docker Hub's "library/".
	Registry, Repo, Tag, Digest string
	// Pos is where `image:` is written.
	Pos compose.Position
}

// serviceImage returns the service's image, read from the file that writes
// it (so that variables can be told apart from values). ok is false for a
// service without image.
func serviceImage(p *compose.Project, s *compose.Service) (imageRef, bool) {
	var ref imageRef
	if f, n := p.Raw("services", s.Name, "image"); n != nil && n.Kind == yaml.ScalarNode {
		ref.Raw = n.Value
		ref.Value, ref.Unset = p.Interpolate(n.Value)
		ref.Pos = nodePos(f, n)
	} else if s.Config.Image != "" {
		ref.Raw, ref.Value = s.Config.Image, s.Config.Image
		ref.Pos = p.Pos("services", s.Name)
	} else {
		return ref, false
	}
	ref.Registry, ref.Repo, ref.Tag, ref.Digest = splitReference(strings.TrimSpace(ref.Value))
	return ref, ref.Repo != ""
}

// splitReference is the Dockerfile model's reference splitter, plus the
// "library/" prefix of official images under any registry (public.ecr.aws
// mirrors them as docker/library/…).
func splitReference(ref string) (registry, repo, tag, digest string) {
	registry, repo, tag, digest = dockerfile.SplitReference(ref)
	repo = strings.TrimPrefix(repo, "library/")
	repo = strings.TrimPrefix(repo, "docker/library/")
	return registry, repo, tag, digest
}

// datastoreOf recognises a database, cache or broker image. Services that
// build their image are not recognised: their Dockerfile may change
// anything, healthcheck included.
func datastoreOf(p *compose.Project, s *compose.Service) (knowledge.Datastore, imageRef, bool) {
	if s.Config.Build != nil {
		return knowledge.Datastore{}, imageRef{}, false
	}
	ref, ok := serviceImage(p, s)
	if !ok {
		return knowledge.Datastore{}, ref, false
	}
	ds, ok := knowledge.LookupDatastore(ref.Repo)
	return ds, ref, ok
}

// display is how a service's image is named in messages.
func (r imageRef) display() string {
	if r.Raw != "" {
		return r.Raw
	}
	return r.Value
}

// dataDir is a directory a datastore writes its data to. A volume on it or
// on a parent keeps the data; with OrChild, a volume below it does too
// (Bitnami images keep data in a subdirectory that varies by version).
type dataDir struct {
	Path    string
	OrChild bool
	// Note explains a non-obvious choice (Postgres 18).
	Note string
}

var leadingMajor = regexp.MustCompile(`^(?:pg)?(\d+)`)
var pgInTag = regexp.MustCompile(`pg(\d+)`)

// postgresMajor returns the Postgres major of an image tag (16, 17-alpine,
// 16-3.4 for PostGIS, pg16 for pgvector, latest-pg17 for TimescaleDB); 0
// when the tag does not say.
func postgresMajor(tag string) int {
	m := leadingMajor.FindStringSubmatch(tag)
	if m == nil {
		m = pgInTag.FindStringSubmatch(tag)
	}
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// dataDirOf returns where the datastore keeps its data; ok is false for
// in-memory services and images whose data directory depends on flags.
func dataDirOf(ds knowledge.Datastore, ref imageRef, s *compose.Service) (dataDir, bool) {
	if ds.Bitnami {
		_, name, _ := strings.Cut(ref.Repo, "/")
		switch ds.Kind {
		case "memcached", "nats":
			return dataDir{}, false
		}
		return dataDir{Path: "/bitnami/" + strings.TrimSuffix(name, "-repmgr"), OrChild: true}, true
	}
	switch ds.Kind {
	case "postgres":
		if v := literalEnv(s, "PGDATA"); v != "" {
			return dataDir{Path: v, Note: "PGDATA"}, true
		}
		if ref.Repo == "supabase/postgres" {
			return dataDir{Path: "/var/lib/postgresql/data"}, true
		}
		if postgresMajor(ref.Tag) >= 18 {
			return dataDir{Path: "/var/lib/postgresql", Note: "pg18"}, true
		}
		return dataDir{Path: "/var/lib/postgresql/data"}, true
	case "mysql", "mariadb":
		return dataDir{Path: "/var/lib/mysql"}, true
	case "mongo":
		return dataDir{Path: "/data/db"}, true
	case "redis", "valkey", "neo4j":
		return dataDir{Path: "/data"}, true
	case "rabbitmq":
		return dataDir{Path: "/var/lib/rabbitmq"}, true
	case "elasticsearch":
		return dataDir{Path: "/usr/share/elasticsearch/data"}, true
	case "opensearch":
		return dataDir{Path: "/usr/share/opensearch/data"}, true
	case "cassandra":
		return dataDir{Path: "/var/lib/cassandra"}, true
	case "couchdb":
		return dataDir{Path: "/opt/couchdb/data"}, true
	case "clickhouse":
		return dataDir{Path: "/var/lib/clickhouse"}, true
	case "mssql":
		return dataDir{Path: "/var/opt/mssql"}, true
	case "zookeeper":
		if strings.HasPrefix(ref.Repo, "confluentinc/") {
			return dataDir{Path: "/var/lib/zookeeper/data"}, true
		}
		if ref.Repo == "zookeeper" {
			return dataDir{Path: "/data"}, true
		}
	case "kafka":
		if strings.HasPrefix(ref.Repo, "confluentinc/") {
			return dataDir{Path: "/var/lib/kafka/data"}, true
		}
	case "minio":
		// `minio server /data`: the data directory is the command's argument.
		cmd := s.Config.Command
		for i := 0; i+1 < len(cmd); i++ {
			if cmd[i] == "server" && strings.HasPrefix(cmd[i+1], "/") {
				return dataDir{Path: strings.TrimSuffix(cmd[i+1], "/")}, true
			}
		}
	}
	return dataDir{}, false
}

// literalEnv returns the value of an environment variable set in the
// service's `environment`, or "".
func literalEnv(s *compose.Service, name string) string {
	if v, ok := s.Config.Environment[name]; ok && v != nil {
		return *v
	}
	return ""
}

// covers reports whether a mount on target keeps the data of dir.
func (d dataDir) covers(target string) bool {
	target = strings.TrimSuffix(target, "/")
	if target == "" {
		target = "/"
	}
	if under(d.Path, target) {
		return true
	}
	return d.OrChild && under(target, d.Path)
}

// under reports whether p is dir or inside it.
func under(p, dir string) bool {
	p, dir = strings.TrimSuffix(p, "/"), strings.TrimSuffix(dir, "/")
	return p == dir || dir == "" || strings.HasPrefix(p, dir+"/")
}

// healthState says whether a service has a healthcheck.
type healthState int

const (
	healthNone     healthState = iota // no healthcheck in the compose file
	healthDisabled                    // `disable: true` or `test: ["NONE"]`
	healthDefined
)

func healthOf(s *compose.Service) healthState {
	hc := s.Config.HealthCheck
	switch {
	case hc == nil:
		return healthNone
	case hc.Disable || len(hc.Test) > 0 && strings.EqualFold(hc.Test[0], "NONE"):
		return healthDisabled
	case len(hc.Test) > 0:
		return healthDefined
	}
	// Only timings: the image's own HEALTHCHECK would be used.
	return healthNone
}

// buildHasHealthcheck reports whether the service's local Dockerfile
// defines a HEALTHCHECK for the stage it builds; known is false when the
// Dockerfile cannot be read or parsed.
func buildHasHealthcheck(p *compose.Project, name string) (has, known bool) {
	for _, b := range p.Builds() {
		if b.Service != name || b.Dockerfile == "" {
			continue
		}
		src, err := regular.ReadFile(b.Dockerfile, 8<<20)
		if err != nil {
			return false, false
		}
		f, err := dockerfile.Parse(b.Dockerfile, src, dockerfile.Options{Target: b.Target})
		if err != nil || len(f.Stages) == 0 {
			return false, false
		}
		st := f.Stages[len(f.Stages)-1]
		if b.Target != "" {
			if st = f.StageByName(b.Target); st == nil {
				return false, false
			}
		}
		for ; st != nil; st = st.Base.Stage {
			for i := len(st.Instructions) - 1; i >= 0; i-- {
				in := st.Instructions[i]
				if in.Keyword != "HEALTHCHECK" {
					continue
				}
				args := in.Args()
				return !(len(args) > 0 && strings.EqualFold(args[0], "NONE")), true
			}
		}
		return false, true
	}
	return false, false
}

// dependents returns, for each service, the services that depend on it
// and how.
func dependents(p *compose.Project) map[string]map[string]types.ServiceDependency {
	out := map[string]map[string]types.ServiceDependency{}
	for _, s := range p.Services {
		for dep, d := range s.Config.DependsOn {
			if out[dep] == nil {
				out[dep] = map[string]types.ServiceDependency{}
			}
			out[dep][s.Name] = d
		}
	}
	return out
}

// jobWords mark a command or service name as a one-off task.
var jobWords = map[string]bool{
	"migrate": true, "migration": true, "migrations": true, "seed": true, "seeder": true, "seeds": true,
	"test": true, "tests": true, "jest": true, "vitest": true, "mocha": true, "cypress": true,
	"playwright": true, "e2e": true, "setup": true, "init": true, "fixtures": true,
}

var wordSep = regexp.MustCompile(`[^a-z0-9]+`)

// oneShot reports why a service looks like a task that runs to completion
// rather than a long-running service; "" when it does not.
func oneShot(s *compose.Service, deps map[string]map[string]types.ServiceDependency) string {
	if len(s.Config.Profiles) > 0 {
		return "profiles"
	}
	for _, d := range deps[s.Name] {
		if d.Condition == types.ServiceConditionCompletedSuccessfully {
			return "completed"
		}
	}
	if s.Config.Scale != nil && *s.Config.Scale == 0 ||
		s.Config.Deploy != nil && s.Config.Deploy.Replicas != nil && *s.Config.Deploy.Replicas == 0 {
		return "scale"
	}
	if cmd := s.Config.Command; len(cmd) > 0 && len(cmd) <= 3 {
		// `node -v`, `echo ready`, `true`: prints something and exits.
		last := cmd[len(cmd)-1]
		if last == "-v" || last == "--version" || last == "version" || cmd[0] == "echo" || cmd[0] == "true" {
			return "command"
		}
	}
	text := s.Name + " " + strings.Join(s.Config.Entrypoint, " ") + " " + strings.Join(s.Config.Command, " ")
	for _, w := range wordSep.Split(strings.ToLower(text), -1) {
		if jobWords[w] || strings.HasPrefix(w, "migrat") {
			return "command"
		}
	}
	return ""
}

// volumeSpec reads a `volumes:` entry as written, short (`src:dst[:mode]`,
// `dst`) or long (`{type, source, target}`), with variables interpolated.
func volumeSpec(p *compose.Project, n *yaml.Node) (source, target string, ok bool) {
	switch n.Kind {
	case yaml.ScalarNode:
		v, _ := p.Interpolate(n.Value)
		parts := strings.Split(v, ":")
		if len(parts) == 1 {
			return "", parts[0], parts[0] != ""
		}
		return parts[0], parts[1], true
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, _ := p.Interpolate(n.Content[i+1].Value)
			switch n.Content[i].Value {
			case "source":
				source = v
			case "target":
				target = v
			}
		}
		return source, target, target != "" || source != ""
	}
	return "", "", false
}

// declaredDependency reports whether service name lists dep under
// `depends_on` in one of the files. compose-go also adds the implicit
// dependencies of `links`, `volumes_from` and `network_mode: service:…`,
// which the user did not write as such.
func declaredDependency(p *compose.Project, name, dep string) bool {
	for _, f := range p.Files {
		if f.Has("services", name, "depends_on", dep) {
			return true
		}
	}
	return false
}

// swarmManaged reports whether the service carries swarm-only deploy
// settings: `docker stack deploy` restarts tasks by default and ignores
// `restart:`.
func swarmManaged(s *compose.Service) bool {
	d := s.Config.Deploy
	return d != nil && (d.Mode != "" || d.UpdateConfig != nil || d.RollbackConfig != nil ||
		len(d.Placement.Constraints) > 0 || len(d.Placement.Preferences) > 0 || d.EndpointMode != "")
}
