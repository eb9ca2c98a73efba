#!/usr/bin/env bash
# How clause grows with the size of a repository: generates 1k, 10k and 100k
# documents with bench/generate.py (seed 1, kept in $SCALE_DIR between runs)
# and runs `clause check --format json` on each, printing wall time, CPU time
# (user+sys), peak RSS, time per document, and parse-only time and memory
# (the `phases` bench helper, `--mode parse`) beside it.
#
#   bench/scale.sh [SIZE ...]       (default: 1000 10000 100000)
#   SCALE_DIR=/tmp/clause-scale     where the generated trees go
#
# Linear growth shows as a flat "ms/doc" column; memory bounded by the largest
# unit shows as a peak RSS that does not grow with the size.
set -euo pipefail
# A backtrace captured for every error regorus raises internally cost
# about 7% of a short run; clause turns that off itself since b6985d8
# (src/main.rs), and this keeps older builds' runs comparable.
unset RUST_BACKTRACE RUST_LIB_BACKTRACE
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000 100000)
dir="${SCALE_DIR:-/tmp/clause-scale}"
mkdir -p "$dir"

cargo build --release --quiet
bin="$PWD/target/release/clause"
phases=$(cargo bench --bench phases --no-run --message-format=json --quiet |
  python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "phases" and m.get("executable"):
        print(m["executable"])')

# Prints "wall cpu rss_mb" for a command whose stdout goes to $report.
report=$(mktemp)
trap 'rm -f "$report"' EXIT
measure() {
  local out
  out=$(mktemp)
  /usr/bin/time -o "$out" -f '%e %U %S %M' "$@" >"$report" 2>/dev/null || true
  awk '{printf "%.2f %.2f %.0f\n", $1, $2 + $3, $4 / 1024}' "$out"
  rm -f "$out"
}

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
printf '| %-9s | %7s | %9s | %8s | %8s | %11s | %7s | %14s | %13s | %14s |\n' \
  "documents" "files" "clause docs" "wall s" "CPU s" "peak RSS MB" "ms/doc" "parse-only wall" "parse-only CPU" "parse-only RSS MB"
printf '|%s|\n' "---:|---:|---:|---:|---:|---:|---:|---:|---:|---:"
for n in "${sizes[@]}"; do
  tree="$dir/$n"
  if [ ! -f "$tree/.done" ]; then
    rm -rf "$tree"
    python3 bench/generate.py "$n" "$tree" --seed 1 2>/dev/null
    touch "$tree/.done"
  fi
  files=$(find "$tree" -type f ! -name .done | wc -l)
  read -r wall cpu rss < <(measure "$bin" check "$tree" --format json --no-config --fail-on none)
  docs=$(python3 -c 'import json,sys; print(sum(json.load(open(sys.argv[1]))["summary"]["documents"].values()))' "$report")
  read -r pwall pcpu prss < <(measure "$phases" --mode parse --runs 1 "$tree")
  per=$(python3 -c "print(f'{$cpu * 1000 / $docs:.2f}')")
  printf '| %9s | %7s | %11s | %8s | %8s | %11s | %7s | %15s | %14s | %17s |\n' \
    "$n" "$files" "$docs" "$wall" "$cpu" "$rss" "$per" "$pwall" "$pcpu" "$prss"
done
echo
echo "ms/doc is CPU time per document clause evaluated (Terraform modules, manifests, playbooks and task files)."
