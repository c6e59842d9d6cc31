#!/usr/bin/env bash
# Benchmarks seaworthy over the shared corpus (never copied into the repo):
#  1. Go benchmarks: BuildKit's parser alone vs the full DF check, in one process.
#  2. Correctness sweep: `seaworthy check --format json` on every corpus
#     Dockerfile: exit 0 or 1, valid JSON, no panic.
#  3. Wall time of one small project (examples/node-api).
# Usage: scripts/bench-corpus.sh [CORPUS_DIR]   (default ../shared/corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$(cd "${1:-../shared/corpus}" && pwd)
export SEAWORTHY_CORPUS="$corpus"

echo "== Go benchmarks over $(awk -F'\t' '$5=="dockerfile"' "$corpus/MANIFEST.tsv" | wc -l) Dockerfiles"
go test ./checker -run '^$' -bench 'Corpus' -benchtime "${BENCHTIME:-20x}" -count "${COUNT:-3}" | tee /tmp/seaworthy-bench.txt
awk '/BenchmarkCorpusParseOnly/ {p+=$3; np++} /BenchmarkCorpusCheck/ {c+=$3; nc++}
     END { if (np && nc) printf "parse-only %.1f ms, check %.1f ms, ratio %.2fx\n", p/np/1e6, c/nc/1e6, (c/nc)/(p/np) }' /tmp/seaworthy-bench.txt

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/seaworthy" ./cmd/seaworthy

echo "== correctness sweep: every corpus Dockerfile, one process each"
bad=0
n=0
skipped=()
while IFS=$'\t' read -r id repo path commit kind license file rest; do
  [ "$kind" = dockerfile ] || continue
  n=$((n+1))
  set +e
  "$tmp/seaworthy" check --format json -f "$corpus/$file" > "$tmp/out.json" 2> "$tmp/err.txt"
  rc=$?
  set -e
  if [ $rc -eq 2 ] && grep -qE 'empty Dockerfile|no instructions' "$tmp/err.txt"; then
    # Empty and comment-only files are bad input by the CLI contract.
    echo "exit 2 (bad input, as specified): $file: $(head -c 200 "$tmp/err.txt")"; skipped+=("$file"); continue
  fi
  if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
    echo "exit $rc: $file: $(head -c 300 "$tmp/err.txt")"; bad=$((bad+1)); continue
  fi
  if ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out.json" 2>/dev/null; then
    echo "invalid JSON: $file"; bad=$((bad+1))
  fi
  if grep -q 'internal error' "$tmp/out.json" "$tmp/err.txt"; then
    echo "internal error: $file"; bad=$((bad+1))
  fi
done < "$corpus/MANIFEST.tsv"
echo "$n files, $bad bad, ${#skipped[@]} empty or comment-only (exit 2)"

echo "== all corpus Dockerfiles in one seaworthy process"
args=()
while IFS=$'\t' read -r id repo path commit kind license file rest; do
  [ "$kind" = dockerfile ] || continue
  for s in "${skipped[@]}"; do [ "$s" = "$file" ] && continue 2; done
  args+=(-f "$corpus/$file")
done < "$corpus/MANIFEST.tsv"
start=$(date +%s%N)
"$tmp/seaworthy" check --format json --fail-on none "${args[@]}" > "$tmp/all.json"
end=$(date +%s%N)
echo "one process, $(( ${#args[@]} / 2 )) files: $(( (end-start)/1000000 )) ms wall"

echo "== one small project (examples/node-api), 20 runs"
best=999999
for i in $(seq 20); do
  start=$(date +%s%N)
  "$tmp/seaworthy" check --fail-on none examples/node-api > /dev/null
  end=$(date +%s%N)
  ms=$(( (end-start)/1000000 ))
  [ $ms -lt $best ] && best=$ms
done
echo "best of 20: ${best} ms wall"
[ $bad -eq 0 ]
