package knowledge

// This file holds what seaworthy knows about the Node packages that talk
// to a datastore, and how to run each datastore next to the app in a
// compose file: the image, where it keeps its data, its environment and
// the URL the app connects with. Images and data paths are those of the
// official images on Docker Hub as of 2026-11 (postgres 18 keeps its data
// under /var/lib/postgresql, older majors under /var/lib/postgresql/data).

// DatastoreService is how to run a datastore in compose.
type DatastoreService struct {
	Datastore
	// Service is the compose service name; Image the pinned image tag.
	Service, Image string
	// DataPath is the data directory a named volume goes on.
	DataPath string
	// Env are the container's variables; values may use compose
	// interpolation from the project's .env.
	Env [][2]string
	// URLVar is the variable apps conventionally read the connection URL
	// from; URL its value inside the compose network.
	URLVar, URL string
	// URLVars are other names apps use for the same URL (matched in
	// .env.example).
	URLVars []string
}

var datastoreServices = map[string]DatastoreService{
	"postgres": {Datastore: dsPostgres, Service: "postgres", Image: "postgres:18", DataPath: "/var/lib/postgresql",
		Env:    [][2]string{{"POSTGRES_USER", "${POSTGRES_USER:-app}"}, {"POSTGRES_PASSWORD", "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}"}, {"POSTGRES_DB", "${POSTGRES_DB:-app}"}},
		URLVar: "DATABASE_URL", URL: "postgres://${POSTGRES_USER:-app}:${POSTGRES_PASSWORD}@postgres:5432/${POSTGRES_DB:-app}",
		URLVars: []string{"POSTGRES_URL", "PG_URL", "PGURL", "DB_URL"}},
	"mysql": {Datastore: dsMySQL, Service: "mysql", Image: "mysql:8.4", DataPath: "/var/lib/mysql",
		Env: [][2]string{{"MYSQL_USER", "${MYSQL_USER:-app}"}, {"MYSQL_PASSWORD", "${MYSQL_PASSWORD:?set MYSQL_PASSWORD in .env}"},
			{"MYSQL_ROOT_PASSWORD", "${MYSQL_ROOT_PASSWORD:?set MYSQL_ROOT_PASSWORD in .env}"}, {"MYSQL_DATABASE", "${MYSQL_DATABASE:-app}"}},
		URLVar: "DATABASE_URL", URL: "mysql://${MYSQL_USER:-app}:${MYSQL_PASSWORD}@mysql:3306/${MYSQL_DATABASE:-app}",
		URLVars: []string{"MYSQL_URL", "DB_URL"}},
	"mongo": {Datastore: dsMongo, Service: "mongo", Image: "mongo:8", DataPath: "/data/db",
		URLVar: "MONGODB_URI", URL: "mongodb://mongo:27017/app", URLVars: []string{"MONGO_URL", "MONGODB_URL", "MONGO_URI", "DATABASE_URL"}},
	"redis": {Datastore: dsRedis, Service: "redis", Image: "redis:8", DataPath: "/data",
		URLVar: "REDIS_URL", URL: "redis://redis:6379", URLVars: []string{"REDIS_URI", "CACHE_URL"}},
	"rabbitmq": {Datastore: dsRabbitMQ, Service: "rabbitmq", Image: "rabbitmq:4", DataPath: "/var/lib/rabbitmq",
		Env:    [][2]string{{"RABBITMQ_DEFAULT_USER", "${RABBITMQ_DEFAULT_USER:-app}"}, {"RABBITMQ_DEFAULT_PASS", "${RABBITMQ_DEFAULT_PASS:?set RABBITMQ_DEFAULT_PASS in .env}"}},
		URLVar: "AMQP_URL", URL: "amqp://${RABBITMQ_DEFAULT_USER:-app}:${RABBITMQ_DEFAULT_PASS}@rabbitmq:5672", URLVars: []string{"RABBITMQ_URL", "AMQP_URI", "BROKER_URL"}},
}

// ServiceFor returns how to run the datastore kind ("postgres", "mysql",
// "mongo", "redis", "rabbitmq") in compose.
func ServiceFor(kind string) (DatastoreService, bool) {
	s, ok := datastoreServices[kind]
	return s, ok
}

// clientPackages maps npm packages to the datastore they connect to.
var clientPackages = map[string]string{
	"pg": "postgres", "postgres": "postgres", "pg-promise": "postgres", "@neondatabase/serverless": "postgres",
	"mysql2": "mysql", "mysql": "mysql",
	"mongoose": "mongo", "mongodb": "mongo",
	"ioredis": "redis", "redis": "redis", "@redis/client": "redis", "bullmq": "redis", "bull": "redis",
	"amqplib": "rabbitmq", "amqp-connection-manager": "rabbitmq",
}

// DatastoreOfClient names the datastore an npm package connects to.
func DatastoreOfClient(pkg string) (kind string, ok bool) {
	kind, ok = clientPackages[pkg]
	return kind, ok
}

// URLSchemes maps connection URL schemes to datastore kinds.
var urlSchemes = map[string]string{
	"postgres": "postgres", "postgresql": "postgres", "mysql": "mysql", "mongodb": "mongo", "mongodb+srv": "mongo",
	"redis": "redis", "rediss": "redis", "amqp": "rabbitmq", "amqps": "rabbitmq",
}

// DatastoreOfScheme names the datastore a connection URL scheme
// (postgres, mongodb+srv, …) belongs to.
func DatastoreOfScheme(scheme string) (kind string, ok bool) {
	kind, ok = urlSchemes[scheme]
	return kind, ok
}

// PrismaProviders maps Prisma datasource providers to datastore kinds.
var prismaProviders = map[string]string{"postgresql": "postgres", "postgres": "postgres", "mysql": "mysql", "mongodb": "mongo"}

// DatastoreOfPrismaProvider names the datastore of a Prisma datasource
// provider ("postgresql", "mysql", "mongodb"); sqlite and others have none.
func DatastoreOfPrismaProvider(provider string) (kind string, ok bool) {
	kind, ok = prismaProviders[provider]
	return kind, ok
}

// nativeAddons are npm packages that compile a C/C++ addon with node-gyp
// when no prebuilt binary matches (they need python3, make and g++ in the
// build stage). sharp, esbuild, @swc/* and the like ship prebuilt
// binaries and are not listed.
var nativeAddons = map[string]bool{
	"bcrypt": true, "argon2": true, "better-sqlite3": true, "sqlite3": true, "canvas": true, "node-sass": true,
	"re2": true, "cpu-features": true, "bufferutil": true, "utf-8-validate": true, "node-pty": true,
	"libxmljs": true, "libxmljs2": true, "isolated-vm": true, "microtime": true, "farmhash": true,
	"zeromq": true, "kerberos": true, "node-expat": true, "usb": true, "serialport": true, "@serialport/bindings-cpp": true,
	"leveldown": true, "node-rdkafka": true, "unix-dgram": true, "deasync": true,
}

// IsNativeAddon reports whether an npm package builds a native addon with
// node-gyp.
func IsNativeAddon(pkg string) bool { return nativeAddons[pkg] }

// Tools used by generated Dockerfiles.
const (
	// CorepackVersion is the corepack generated Dockerfiles install with
	// npm: Node 25 and later bundle none, and the one bundled with older
	// images can reject the registry's newer signing keys (0.34.7 does, as
	// of 2026-12: "No compatible signature found in package metadata").
	// 0.36.0 is the newest release; its engines field asks for Node
	// ^22.22.2, ^24.15.0 or >=26, which the current images have.
	CorepackVersion = "0.36.0"
	// Yarn1Version is the last Yarn 1 release, installed with npm on
	// Node lines whose images no longer bundle it (26 and later).
	Yarn1Version = "1.22.22"
)

// IsDatabase reports whether a datastore kind is a database an app keeps
// its records in (postgres, mysql, mongo), not a cache or a broker.
func IsDatabase(kind string) bool {
	switch kind {
	case "postgres", "mysql", "mongo":
		return true
	}
	return false
}
