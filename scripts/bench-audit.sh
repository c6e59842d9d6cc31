#!/usr/bin/env bash
# Benchmarks `seaworthy audit` on a generated image (~1 GB, ~100k files,
# mostly node_modules-like trees; see scripts/bench-audit/main.go) against
# the bare baseline, a sequential archive/tar walk that reads every byte,
# uncompressed and with gzip'd layers (the audit checks the gzip'd
# layers' diff IDs, and the uncompressed ones' with --verify-digests),
# and against dive when it is on PATH
# (or DIVE=path): `go install github.com/wagoodman/dive@v0.13.1`, and
# dockle (DOCKLE=path).
# Each command runs RUNS times (default 3) with the image in the page
# cache; the table gives the median wall time, throughput (image bytes /
# wall), the median CPU time and the median peak RSS from /usr/bin/time -v.
# On a shared machine the wall times vary with the load (printed first);
# CPU time varies less.
# Usage: scripts/bench-audit.sh [DIR]   (DIR keeps the images; default a temp dir)
#        SCALE=0.1 scripts/bench-audit.sh   (a smaller image)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
scale=${SCALE:-1}
dir=${1:-}
if [ -z "$dir" ]; then
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
fi
mkdir -p "$dir"
go build -o "$dir/seaworthy" ./cmd/seaworthy
go build -o "$dir/bench-audit" ./scripts/bench-audit
dive=${DIVE:-$(command -v dive || true)}
# dockle v0.4.15: a temporary module requiring it, then
# CGO_ENABLED=0 go build github.com/goodwithtech/dockle/cmd/dockle.
dockle=${DOCKLE:-$(command -v dockle || true)}

for v in plain gzip; do
  img="$dir/large-$v.tar"
  if [ ! -s "$img" ]; then
    flag=""; [ $v = gzip ] && flag=-gzip
    echo "generating $img"
    "$dir/bench-audit" generate $flag -scale "$scale" "$img"
  fi
done
"$dir/bench-audit" walk "$dir/large-plain.tar"

# measure NAME IMAGE CMD...: RUNS runs, prints a table row.
measure() {
  local name=$1 img=$2; shift 2
  local size walls=() rss=() cpus=() rc
  size=$(stat -c %s "$img")
  cat "$img" > /dev/null
  for _ in $(seq "$runs"); do
    set +e
    /usr/bin/time -v "$@" > "$dir/out.txt" 2> "$dir/time.txt"
    rc=$?
    set -e
    # Exit 1 is "findings" (seaworthy) or "CI rules failed" (dive); dive
    # also exits 1 when it cannot read the image.
    if [ $rc -gt 1 ] || grep -q 'cannot fetch image' "$dir/out.txt" "$dir/time.txt"; then
      printf '| %-34s | could not read the image: %s |\n' "$name" "$(grep -m1 -iE 'error|invalid|cannot' "$dir/out.txt" "$dir/time.txt" | tail -1 | cut -d: -f2- | tr -d '|')"
      return
    fi
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$dir/time.txt")")
    rss+=("$(awk -F': ' '/Maximum resident/ {print $2}' "$dir/time.txt")")
    cpus+=("$(awk -F': ' '/User time|System time/ {s+=$2} END {print s}' "$dir/time.txt")")
  done
  local wall mem cpu
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  wall=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  mem=$(printf '%s\n' "${rss[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '| %-34s | %6.1f MB | %7.2f s | %8.0f MB/s | %6.2f s | %6.0f MiB |\n' "$name" "$(echo "$size/1000000" | bc -l)" "$wall" \
    "$(echo "$size/1000000/$wall" | bc -l)" "$cpu" "$(echo "$mem/1024" | bc -l)"
}

echo
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "| what | image | median wall | throughput | median CPU (user+sys) | peak RSS |"
echo "|---|---|---|---|---|---|"
measure "bare tar walk, every byte read" "$dir/large-plain.tar" "$dir/bench-audit" walk "$dir/large-plain.tar"
measure "seaworthy audit (all IM rules)" "$dir/large-plain.tar" "$dir/seaworthy" audit --today 2026-11-23 "$dir/large-plain.tar"
measure "seaworthy audit --verify-digests" "$dir/large-plain.tar" "$dir/seaworthy" audit --verify-digests --today 2026-11-23 "$dir/large-plain.tar"
measure "bare walk, gzip'd layers (sequential)" "$dir/large-gzip.tar" "$dir/bench-audit" walk "$dir/large-gzip.tar"
measure "seaworthy audit, gzip'd layers" "$dir/large-gzip.tar" "$dir/seaworthy" audit --today 2026-11-23 "$dir/large-gzip.tar"
if [ -n "$dive" ]; then
  measure "dive --ci" "$dir/large-plain.tar" "$dive" --ci --source docker-archive "$dir/large-plain.tar"
  measure "dive --ci, gzip'd layers" "$dir/large-gzip.tar" "$dive" --ci --source docker-archive "$dir/large-gzip.tar"
fi
if [ -n "$dockle" ]; then
  measure "dockle" "$dir/large-plain.tar" "$dockle" --input "$dir/large-plain.tar"
  measure "dockle, gzip'd layers" "$dir/large-gzip.tar" "$dockle" --input "$dir/large-gzip.tar"
fi
echo
echo "seaworthy's size summary and waste for the plain image:"
"$dir/seaworthy" audit --today 2026-11-23 "$dir/large-plain.tar" | sed -n '1p' || true
if [ -n "$dive" ]; then
  echo "dive's figures for the same image:"
  "$dive" --ci --source docker-archive "$dir/large-plain.tar" | grep -iE 'efficiency|wasted' || true
fi
