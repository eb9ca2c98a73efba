#!/usr/bin/env bash
# How long a pre-commit hook waits for clause: start-up alone, one staged
# Terraform file (checked with its whole module), one Kubernetes manifest,
# and one Ansible playbook. Prints the median of N runs of each and, when
# checkov is on the PATH, the median of 3 runs of `checkov -f` on the same
# file in the same run, so speed is quoted as a ratio to a peer.
#
#   bench/precommit.sh [RUNS]        (default 20; builds --release first)
set -euo pipefail
# A backtrace captured for every error regorus raises internally cost
# about 7% of a short run; clause turns that off itself since b6985d8
# (src/main.rs), and this keeps older builds' runs comparable.
unset RUST_BACKTRACE RUST_LIB_BACKTRACE
cd "$(dirname "$0")/.."
runs="${1:-20}"
cargo build --release --quiet
bin="$PWD/target/release/clause"

median_ms() {
  python3 - "$@" <<'PY'
import statistics, subprocess, sys, time
runs = int(sys.argv[1]); cmd = sys.argv[2:]
times = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append((time.perf_counter() - t) * 1000)
print(f"{statistics.median(times):.0f}")
PY
}

row() {
  local label="$1"; shift
  local ours; ours=$(median_ms "$runs" "$bin" "$@")
  local peer="-" ratio="-"
  if command -v checkov >/dev/null 2>&1 && [ "$1" = "check" ] && [ "$#" -ge 2 ]; then
    peer=$(median_ms 3 checkov --quiet --compact -f "$2")
    ratio=$(python3 -c "print(f'{$peer/$ours:.1f}x')")
  fi
  printf '%-44s %8s ms %10s ms %8s\n' "$label" "$ours" "$peer" "$ratio"
}

printf '%-44s %11s %13s %8s\n' "case (median of $runs runs)" "clause" "checkov -f" "ratio"
row "start-up (clause --version)" --version
row "one Terraform file (module: examples/terraform/network)" check examples/terraform/network/main.tf --no-color --fail-on none
row "one Kubernetes manifest" check examples/kubernetes/web.yaml --no-color --fail-on none
row "one Ansible playbook with a role" check examples/ansible/site.yml --no-color --fail-on none
