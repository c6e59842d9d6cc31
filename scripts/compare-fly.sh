#!/usr/bin/env bash
# Runs Fly's generator (npm @flydotio/dockerfile) and `seaworthy init` on
# every init fixture (scaffold/testdata/*.txtar), then `seaworthy check` on
# both outputs, and prints one line per fixture: errors, warnings and the
# rules that fired. Needs the npm registry (npx) and Node.js; Fly's output
# depends on the Node that runs it (it takes NODE_VERSION from it).
# Usage: scripts/compare-fly.sh [FLY_VERSION]   (default 0.7.10)
set -euo pipefail
cd "$(dirname "$0")/.."
fly_version=${1:-0.7.10}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/bin/seaworthy" ./cmd/seaworthy
go build -o "$tmp/bin/txtar-x" github.com/rogpeppe/go-internal/cmd/txtar-x
npm install --prefix "$tmp/fly" --no-audit --no-fund "@flydotio/dockerfile@$fly_version" >/dev/null
export SEAWORTHY_TODAY=${SEAWORTHY_TODAY:-2026-11-23}
echo "host node $(node --version), @flydotio/dockerfile $fly_version, check date $SEAWORTHY_TODAY"
for f in scaffold/testdata/*.txtar; do
  name=$(basename "$f" .txtar)
  # A workspace fixture names its member in its comment (`dir: apps/api`):
  # init runs on the member; Fly's generator only knows the root.
  member=$(sed -n '/^-- /q; s/^dir: //p' "$f")
  member=${member:-.}
  for who in fly seaworthy; do
    dir="$tmp/$who/$name"
    mkdir -p "$dir/.git"
    "$tmp/bin/txtar-x" -C "$dir" "$f"
    rm -rf "$dir/want"
    if [ "$who" = fly ]; then
      (cd "$dir" && "$tmp/fly/node_modules/.bin/dockerfile" --force >/dev/null 2>&1)
    else
      "$tmp/bin/seaworthy" init "$dir/$member" >/dev/null 2>&1
    fi
  done
  summary() {
    "$tmp/bin/seaworthy" check --format json --fail-on none "$1" | node -e '
      let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
        const f = JSON.parse(s).findings, by = sev => f.filter(x => x.severity === sev);
        const ids = sev => [...new Set(by(sev).map(x => x.rule))].sort().join(",");
        process.stdout.write(`${by("error").length} errors (${ids("error")}), ${by("warning").length} warnings (${ids("warning")})`);
      });'
  }
  echo "$name: fly $(summary "$tmp/fly/$name") | seaworthy $(summary "$tmp/seaworthy/$name/$member")"
done
