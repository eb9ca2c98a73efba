#!/usr/bin/env bash
# Wall time, peak RSS and report size of `clause check` on one tree in every
# report format, and of the evidence report (`clause report`, Markdown and
# HTML). Findings stream from memory or disk into each report, so peak
# memory should be about the same whatever the format.
#
#   bench/formats.sh TREE            (e.g. /tmp/clause-scale/10000 from scale.sh)
set -euo pipefail
unset RUST_BACKTRACE RUST_LIB_BACKTRACE
cd "$(dirname "$0")/.."
tree=${1:?usage: bench/formats.sh TREE}
cargo build --release --quiet
bin="$PWD/target/release/clause"
report=$(mktemp)
times=$(mktemp)
trap 'rm -f "$report" "$times"' EXIT

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $tree"
printf '| %-15s | %7s | %11s | %9s |\n' "format" "wall s" "peak RSS MB" "report MB"
printf '|%s|\n' "---|---:|---:|---:"
row() {
  local name=$1
  shift
  /usr/bin/time -o "$times" -f '%e %M' "$bin" "$@" >"$report" 2>/dev/null || true
  read -r wall rss <"$times"
  size=$(stat -c %s "$report")
  printf '| %-15s | %7s | %11s | %9s |\n' "$name" "$wall" "$((rss / 1024))" "$((size / 1048576))"
}
for format in json sarif junit gitlab github human; do
  row "$format" check "$tree" --format "$format" --no-config --fail-on none
done
for format in markdown html; do
  row "report $format" report "$tree" --format "$format" --no-config
done
