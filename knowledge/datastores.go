package knowledge

import "strings"

// This file holds what seaworthy knows about the database, cache and
// broker images compose files run: what each is, its ports, and a
// healthcheck that works in its image.

// Datastore describes a database, cache or broker image.
type Datastore struct {
	// Kind is the product ("postgres", "redis", …).
	Kind string
	// Label names it in messages.
	Label string
	// Ports are the container ports it listens on by default.
	Ports []uint32
	// Healthcheck is a canonical CMD-SHELL test; "" when none is known.
	Healthcheck string
	// Bitnami is set for Bitnami's images, which keep data under
	// /bitnami/<name>.
	Bitnami bool
}

var (
	dsPostgres      = Datastore{Kind: "postgres", Label: "PostgreSQL", Ports: []uint32{5432}, Healthcheck: "pg_isready -U $${POSTGRES_USER:-postgres}"}
	dsMySQL         = Datastore{Kind: "mysql", Label: "MySQL", Ports: []uint32{3306, 33060}, Healthcheck: "mysqladmin ping -h 127.0.0.1"}
	dsMariaDB       = Datastore{Kind: "mariadb", Label: "MariaDB", Ports: []uint32{3306}, Healthcheck: "healthcheck.sh --connect --innodb_initialized"}
	dsMongo         = Datastore{Kind: "mongo", Label: "MongoDB", Ports: []uint32{27017}, Healthcheck: `mongosh --quiet --eval "db.adminCommand('ping')"`}
	dsRedis         = Datastore{Kind: "redis", Label: "Redis", Ports: []uint32{6379}, Healthcheck: "redis-cli ping"}
	dsValkey        = Datastore{Kind: "valkey", Label: "Valkey", Ports: []uint32{6379}, Healthcheck: "valkey-cli ping"}
	dsRabbitMQ      = Datastore{Kind: "rabbitmq", Label: "RabbitMQ", Ports: []uint32{5672, 15672}, Healthcheck: "rabbitmq-diagnostics -q check_running"}
	dsKafka         = Datastore{Kind: "kafka", Label: "Kafka", Ports: []uint32{9092}}
	dsZookeeper     = Datastore{Kind: "zookeeper", Label: "ZooKeeper", Ports: []uint32{2181}}
	dsElasticsearch = Datastore{Kind: "elasticsearch", Label: "Elasticsearch", Ports: []uint32{9200, 9300}}
	dsOpenSearch    = Datastore{Kind: "opensearch", Label: "OpenSearch", Ports: []uint32{9200, 9600}}
	dsMemcached     = Datastore{Kind: "memcached", Label: "Memcached", Ports: []uint32{11211}}
	dsCassandra     = Datastore{Kind: "cassandra", Label: "Cassandra", Ports: []uint32{9042}}
	dsCouchDB       = Datastore{Kind: "couchdb", Label: "CouchDB", Ports: []uint32{5984}}
	dsNeo4j         = Datastore{Kind: "neo4j", Label: "Neo4j", Ports: []uint32{7474, 7687}}
	dsClickHouse    = Datastore{Kind: "clickhouse", Label: "ClickHouse", Ports: []uint32{8123, 9000}}
	dsMinIO         = Datastore{Kind: "minio", Label: "MinIO", Ports: []uint32{9000, 9001}}
	dsNATS          = Datastore{Kind: "nats", Label: "NATS", Ports: []uint32{4222}}
	dsEtcd          = Datastore{Kind: "etcd", Label: "etcd", Ports: []uint32{2379}}
	dsMSSQL         = Datastore{Kind: "mssql", Label: "SQL Server", Ports: []uint32{1433}}
)

// datastoreRepos maps image repositories (registry stripped) to what they
// run.
var datastoreRepos = map[string]Datastore{
	"postgres": dsPostgres, "postgis/postgis": dsPostgres, "pgvector/pgvector": dsPostgres,
	"timescale/timescaledb": dsPostgres, "supabase/postgres": dsPostgres,
	"mysql": dsMySQL, "mysql/mysql-server": dsMySQL,
	"mariadb": dsMariaDB,
	"mongo":   dsMongo, "mongodb/mongodb-community-server": dsMongo, "mongodb/mongodb-enterprise-server": dsMongo,
	"redis": dsRedis, "redis/redis-stack": dsRedis, "redis/redis-stack-server": dsRedis,
	"valkey/valkey": dsValkey, "valkey": dsValkey,
	"rabbitmq":     dsRabbitMQ,
	"apache/kafka": dsKafka, "apache/kafka-native": dsKafka, "confluentinc/cp-kafka": dsKafka,
	"confluentinc/cp-server": dsKafka, "wurstmeister/kafka": dsKafka,
	"zookeeper": dsZookeeper, "confluentinc/cp-zookeeper": dsZookeeper, "wurstmeister/zookeeper": dsZookeeper,
	"elasticsearch": dsElasticsearch, "elasticsearch/elasticsearch": dsElasticsearch,
	"opensearchproject/opensearch": dsOpenSearch,
	"memcached":                    dsMemcached,
	"cassandra":                    dsCassandra,
	"couchdb":                      dsCouchDB,
	"neo4j":                        dsNeo4j,
	"clickhouse":                   dsClickHouse, "clickhouse/clickhouse-server": dsClickHouse, "yandex/clickhouse-server": dsClickHouse,
	"minio/minio": dsMinIO,
	"nats":        dsNATS,
	"coreos/etcd": dsEtcd, "etcd-development/etcd": dsEtcd,
	"mssql/server": dsMSSQL, "azure-sql-edge": dsMSSQL,
}

// bitnamiRepos are Bitnami's image names for the same products.
var bitnamiRepos = map[string]Datastore{
	"postgresql": dsPostgres, "postgresql-repmgr": dsPostgres, "mysql": dsMySQL, "mariadb": dsMariaDB,
	"mariadb-galera": dsMariaDB, "mongodb": dsMongo, "redis": dsRedis, "redis-cluster": dsRedis,
	"valkey": dsValkey, "rabbitmq": dsRabbitMQ, "kafka": dsKafka, "zookeeper": dsZookeeper,
	"elasticsearch": dsElasticsearch, "opensearch": dsOpenSearch, "memcached": dsMemcached,
	"cassandra": dsCassandra, "couchdb": dsCouchDB, "neo4j": dsNeo4j, "clickhouse": dsClickHouse,
	"minio": dsMinIO, "nats": dsNATS, "etcd": dsEtcd,
}

// LookupDatastore recognises a datastore image by its repository (registry
// stripped: "postgres", "bitnami/redis", "pgvector/pgvector").
func LookupDatastore(repo string) (Datastore, bool) {
	if ds, ok := datastoreRepos[repo]; ok {
		return ds, true
	}
	org, name, ok := strings.Cut(repo, "/")
	if ok && strings.HasPrefix(org, "bitnami") && !strings.Contains(name, "/") {
		if ds, ok := bitnamiRepos[name]; ok {
			ds.Bitnami = true
			return ds, true
		}
	}
	return Datastore{}, false
}

// rootDroppingImages are Docker official images whose entrypoint script
// (docker-entrypoint.sh), started as root, switches to the image's own
// unprivileged user with gosu before it runs the server: postgres,
// mysql, mariadb, mongo (mongod) and redis (redis-server).
var rootDroppingImages = map[string]bool{"postgres": true, "mysql": true, "mariadb": true, "mongo": true, "redis": true}

// EntrypointDropsRoot reports whether an image's own entrypoint drops
// root before it starts the server (Docker Hub official images only:
// registry "" and a repository without an organisation).
func EntrypointDropsRoot(registry, repository string) bool {
	return registry == "" && rootDroppingImages[repository]
}
