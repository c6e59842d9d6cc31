#!/usr/bin/env bash
# Records `seaworthy check --format json` for every corpus Dockerfile and
# compose file on its own, for every corpus repository rebuilt as a project
# (its files at their original paths, in a temporary folder outside the
# repository), and for both examples. Two snapshots taken before and after a
# change are compared with `diff -r`: a refactoring must leave them equal.
# Usage: scripts/corpus-snapshot.sh OUTDIR [CORPUS_DIR]  (default ../shared/corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=$1
corpus=$(cd "${2:-../shared/corpus}" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/seaworthy" ./cmd/seaworthy
export SEAWORTHY_TODAY=2026-11-23
run() { # name, then check arguments; the exit code is recorded with the output
  local name=$1; shift
  set +e
  "$tmp/seaworthy" check --format json "$@" > "$out/$name.json" 2> "$out/$name.stderr"
  echo "exit $?" >> "$out/$name.stderr"
  set -e
}
# A fixed folder, so that messages naming absolute paths compare equal;
# the lock keeps two snapshots from sharing it.
projects=/tmp/seaworthy-corpus-projects
exec 9> "$projects.lock"
flock 9
rm -rf "$projects"
mkdir -p "$projects"
while IFS=$'\t' read -r id repo path commit kind license file rest; do
  [ "$id" = id ] && continue
  case $kind in dockerfile|compose|dockerignore|package.json) ;; *) continue ;; esac
  dest="$projects/${repo//\//__}/$path"
  mkdir -p "$(dirname "$dest")"
  cp "$corpus/$file" "$dest"
done < "$corpus/MANIFEST.tsv"
cd "$corpus"
while IFS=$'\t' read -r id repo path commit kind license file rest; do
  # Corpus Dockerfiles have flattened names (api__Dockerfile): -f says what
  # they are.
  case $kind in dockerfile) run "file-$id" -f "$file" ;; compose) run "file-$id" "$file" ;; esac
done < MANIFEST.tsv
cd "$projects"
for d in */; do run "project-${d%/}" "${d%/}"; done
cd "$root"
run example-node-api examples/node-api
run example-good-api examples/good-api
echo "$(ls "$out" | grep -c json) snapshots in $out"
