#!/usr/bin/env bash
# Where the wall time of one `seaworthy check` process goes. Times, over
# RUNS runs each (min and median):
#   hello      a Go program that prints one line (the machine's floor for
#              starting any Go process)
#   deps-only  an empty main that imports every third-party package
#              seaworthy imports, and nothing of seaworthy's: the cost of
#              the dependencies' package initialisation
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

mkdir -p "$gen/hello" "$gen/deps"
printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello") }\n' > "$gen/hello/main.go"
{
  printf 'package main\n\nimport (\n'
  go list -deps -f '{{if not .Standard}}{{.ImportPath}}{{end}}' ./cmd/seaworthy |
    grep -v '^github.com/seaworthy-dev/seaworthy' | grep -v '/internal/\|/internal$\|^vendor/' |
    sed 's/.*/\t_ "&"/'
  printf ')\n\nfunc main() {}\n'
} > "$gen/deps/main.go"
go build -o "$tmp/hello" "./$gen/hello"
go build -o "$tmp/deps-only" "./$gen/deps"

python3 - "$runs" "$tmp" <<'EOF'
import statistics, subprocess, sys, time
runs, tmp = int(sys.argv[1]), sys.argv[2]
cases = [
    ("hello", [f"{tmp}/hello"]),
    ("deps-only", [f"{tmp}/deps-only"]),
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
print(f"{'what':<10} {'min ms':>7} {'median ms':>10}   ({runs} runs each)")
for name, _ in cases:
    print(f"{name:<10} {min(times[name]):7.1f} {statistics.median(times[name]):10.1f}")
EOF
