#!/usr/bin/env bash
# Where the wall time of one `seaworthy check` process goes. Times, over
# RUNS runs each (min and median):
#   hello      a Go program that prints one line (the machine's floor for
#              starting any Go process)
#   deps-only  an empty main that imports every third-party package
#              seaworthy imports, and nothing of seaworthy's: the cost of
#              the dependencies' package initialisation
#   deps-no-compose, deps-no-compose-engine
#              the same without compose-go, and without compose-go and the
#              Docker Engine client (what each costs at start-up)
#   version    `seaworthy version`: all of seaworthy's initialisation, no work
#   good-api   `seaworthy check examples/good-api` (Dockerfile, .dockerignore,
#              package.json, sources)
#   node-api   `seaworthy check examples/node-api` (the same plus a compose
#              file, which compose-go validates against its JSON schema)
# Usage: scripts/bench-startup.sh   (RUNS=30 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-30}
tmp=$(mktemp -d)
gen=$(mktemp -d ./.bench-startup.XXXXXX) # inside the module, for its go.mod
trap 'rm -rf "$tmp" "$gen"' EXIT

go build -o "$tmp/seaworthy" ./cmd/seaworthy

mkdir -p "$gen/hello"
printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello") }\n' > "$gen/hello/main.go"
go build -o "$tmp/hello" "./$gen/hello"
# The third-party packages seaworthy's own packages import directly.
go list -f '{{join .Imports "\n"}}' $(go list -deps ./cmd/seaworthy | grep '^github.com/seaworthy-dev/seaworthy') |
  grep '\.' | grep -v '^github.com/seaworthy-dev/seaworthy' | sort -u > "$tmp/imports"
deps_main() { # name, grep -v pattern of imports to leave out
  mkdir -p "$gen/$1"
  {
    printf 'package main\n\nimport (\n'
    grep -v -E "$2" "$tmp/imports" | sed 's/.*/\t_ "&"/'
    printf ')\n\nfunc main() {}\n'
  } > "$gen/$1/main.go"
  go build -o "$tmp/$1" "./$gen/$1"
}
deps_main deps-only '^$'
deps_main deps-no-compose '^github.com/compose-spec/'
deps_main deps-no-compose-engine '^github.com/compose-spec/|^github.com/moby/moby/|^github.com/containerd/'

python3 - "$runs" "$tmp" <<'EOF'
import statistics, subprocess, sys, time
runs, tmp = int(sys.argv[1]), sys.argv[2]
cases = [
    ("hello", [f"{tmp}/hello"]),
    ("deps-only", [f"{tmp}/deps-only"]),
    ("deps-no-compose", [f"{tmp}/deps-no-compose"]),
    ("deps-no-compose-engine", [f"{tmp}/deps-no-compose-engine"]),
    ("version", [f"{tmp}/seaworthy", "version"]),
    ("good-api", [f"{tmp}/seaworthy", "check", "--fail-on", "none", "examples/good-api"]),
    ("node-api", [f"{tmp}/seaworthy", "check", "--fail-on", "none", "examples/node-api"]),
]
times = {name: [] for name, _ in cases}
for _ in range(runs):  # interleaved, so that load spikes hit every case alike
    for name, cmd in cases:
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times[name].append((time.perf_counter() - start) * 1000)
print(f"{'what':<24} {'min ms':>7} {'median ms':>10}   ({runs} runs each)")
for name, _ in cases:
    print(f"{name:<24} {min(times[name]):7.1f} {statistics.median(times[name]):10.1f}")
EOF
