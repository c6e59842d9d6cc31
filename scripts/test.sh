#!/usr/bin/env bash
# The whole test suite, as the README and CI run it.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== go mod download"
go mod download

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet ./...

echo "== engine for the verify tests (dockerd, debootstrap, cached Node base image)"
if [ "${SEAWORTHY_SKIP_ENGINE_TESTS:-}" = 1 ]; then
  echo "SEAWORTHY_SKIP_ENGINE_TESTS=1: engine tests will skip"
else
  scripts/engine-setup.sh
fi

echo "== integration tools (pre-commit, shells for completion, actionlint)"
scripts/integrations-setup.sh

echo "== editor for the language server test (Neovim)"
scripts/editor-setup.sh

echo "== go test"
go test -count=1 -timeout 25m ./...

echo "== fuzz (short; every parser and rule family)"
# Counted runs (-fuzztime Nx), not timed ones: with a duration, Go 1.26's
# fuzz coordinator can report a spurious "context deadline exceeded" when
# the time runs out mid-input (golang/go#75804). SEAWORTHY_FUZZ_SCALE
# multiplies the counts for longer runs.
scale=${SEAWORTHY_FUZZ_SCALE:-1}
fuzz() { go test "$1" -run '^$' -fuzz "^$2\$" -fuzztime "$(( $3 * scale ))x"; }
fuzz ./source/dockerfile FuzzParse 40000
fuzz ./source/dockerfile FuzzSyntaxDirective 200000
fuzz ./rules/df FuzzRules 20000
fuzz ./config FuzzParse 40000
fuzz ./source/compose FuzzLoad 10000
fuzz ./rules/co FuzzRules 5000
fuzz ./source/jsscan FuzzScan 200000
fuzz ./source/image FuzzFromTar 5000
fuzz ./facts/imagefs FuzzRead 5000

echo "== SARIF validation (Microsoft SARIF Multitool)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/seaworthy" ./cmd/seaworthy
"$tmp/seaworthy" check examples/node-api --format sarif > "$tmp/node-api.sarif" || test $? -eq 1
scripts/validate-sarif.sh "$tmp/node-api.sarif"

echo "== README commands"
"$tmp/seaworthy" check examples/good-api
