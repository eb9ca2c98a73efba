#!/usr/bin/env python3
"""clause beside Checkov on the same tree, in the same run.

    bench/compare.py TREE [TREE ...] [--runs N] [--checkov-runs N]
                     [--no-checkov] [--no-build] [--threads N]

For each TREE it runs, one after the other:
  clause      target/release/clause check TREE --format json --no-config
              --fail-on none > /dev/null          (median of --runs, default 3)
  parse only  the `phases` bench helper, `--mode parse`: discover, read,
              parse and resolve every document, no rules (median of --runs)
  checkov     checkov -d TREE --quiet --compact -o json
              --framework terraform kubernetes ansible > /dev/null
              (when `checkov` is on the PATH; median of --checkov-runs, default 1)

and measures each command's wall time, CPU time (user + sys of the whole
process tree, from wait4) and peak memory two ways: the largest single
process's peak RSS (what `/usr/bin/time -f %M` prints) and the peak of the
RSS summed over the process tree, sampled every 20 ms from /proc (Checkov
runs frameworks in worker processes, so the sum is the fair figure).
Ratios are Checkov / clause (higher is better for clause) and clause /
parse-only (the issue's "total within 3x of parse-only").

It builds what it runs first (`cargo build --release` and
`cargo bench --bench phases --no-run`) unless --no-build.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build() -> tuple[Path, Path]:
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    out = subprocess.run(
        ["cargo", "bench", "--bench", "phases", "--no-run", "--message-format=json", "--quiet"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    phases = None
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "phases" and msg.get("executable"):
            phases = Path(msg["executable"])
    if phases is None:
        sys.exit("compare: cannot find the phases bench executable")
    return ROOT / "target" / "release" / "clause", phases


def find_phases() -> Path:
    found = sorted((ROOT / "target" / "release" / "deps").glob("phases-*"), key=lambda p: p.stat().st_mtime)
    found = [p for p in found if os.access(p, os.X_OK) and p.suffix == ""]
    if not found:
        sys.exit("compare: no phases helper built; run without --no-build")
    return found[-1]


def tree_rss_kb(pid: int) -> int:
    """RSS summed over pid and all its descendants, from /proc."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError, ValueError):
            continue
    return total


def measure(cmd: list[str], env: dict[str, str] | None = None) -> dict:
    """Wall, CPU (user+sys of the tree), peak RSS of the largest process and
    of the tree sum, for one run of cmd with stdout to /dev/null."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak_tree = 0
    stop = threading.Event()

    def poll() -> None:
        nonlocal peak_tree
        while not stop.is_set():
            peak_tree = max(peak_tree, tree_rss_kb(proc.pid))
            stop.wait(0.02)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    stderr = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stop.set()
    poller.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_max_mb": usage.ru_maxrss / 1024,
        "rss_tree_mb": max(peak_tree, usage.ru_maxrss) / 1024,
        "exit": proc.returncode,
        "stderr": stderr.decode(errors="replace")[-400:],
    }


def median_of(runs: list[dict]) -> dict:
    return {k: statistics.median(r[k] for r in runs) if isinstance(runs[0][k], float) else runs[-1][k]
            for k in runs[0]}


def count_files(tree: Path) -> int:
    return sum(len(fs) for _, _, fs in os.walk(tree))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("trees", nargs="+", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--checkov-runs", type=int, default=1)
    ap.add_argument("--no-checkov", action="store_true")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--threads", type=int, help="RAYON_NUM_THREADS for clause (default: all cores)")
    ap.add_argument("--json", type=Path, help="also write the measurements here")
    a = ap.parse_args()

    clause, phases = (ROOT / "target" / "release" / "clause", find_phases()) if a.no_build else build()
    checkov = None if a.no_checkov else shutil.which("checkov")
    env = dict(os.environ)
    # A backtrace captured for every error regorus raises internally cost
    # about 7% of a short run; clause turns that off itself since b6985d8
    # (src/main.rs), and this keeps older builds' runs comparable.
    env.pop("RUST_BACKTRACE", None)
    env.pop("RUST_LIB_BACKTRACE", None)
    if a.threads:
        env["RAYON_NUM_THREADS"] = str(a.threads)
    # Checkov asks its platform for guideline links unless told not to;
    # there is no network here, and its wait is not its scan.
    checkov_env = dict(os.environ, BC_SKIP_MAPPING="TRUE", CHECKOV_RUN_SCA_PACKAGE_SCAN_V2="false")
    version = ""
    if checkov:
        version = subprocess.run([checkov, "--version"], capture_output=True, text=True).stdout.strip()

    print(f"# {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; "
          f"clause {clause.relative_to(ROOT)}, checkov {version or 'not installed'}")
    results = []
    for tree in a.trees:
        tree = tree.resolve()
        row: dict = {"tree": str(tree), "files": count_files(tree)}
        row["clause"] = median_of([
            measure([str(clause), "check", str(tree), "--format", "json", "--no-config", "--fail-on", "none"], env)
            for _ in range(a.runs)])
        row["parse_only"] = median_of([
            measure([str(phases), "--mode", "parse", "--runs", "1", str(tree)], env) for _ in range(a.runs)])
        if checkov:
            row["checkov"] = median_of([
                measure([checkov, "-d", str(tree), "--quiet", "--compact", "-o", "json",
                         "--framework", "terraform", "kubernetes", "ansible"], checkov_env)
                for _ in range(a.checkov_runs)])
        results.append(row)
        print_row(row)
        sys.stdout.flush()
    if a.json:
        a.json.write_text(json.dumps(results, indent=2))
    return 0


def print_row(row: dict) -> None:
    print(f"\n{row['tree']} ({row['files']} files)\n")
    print("| run | wall s | CPU s | peak RSS MB (largest process) | peak RSS MB (process tree) | exit |")
    print("|---|---:|---:|---:|---:|---:|")
    for key, label in [("clause", "clause check"), ("parse_only", "clause parse only"), ("checkov", "checkov")]:
        if key in row:
            m = row[key]
            print(f"| {label} | {m['wall']:.2f} | {m['cpu']:.2f} | {m['rss_max_mb']:.0f} | {m['rss_tree_mb']:.0f} | {m['exit']} |")
    c = row["clause"]
    if "checkov" in row:
        k = row["checkov"]
        print(f"| **checkov / clause** | **{k['wall'] / c['wall']:.1f}x** | **{k['cpu'] / c['cpu']:.1f}x** "
              f"| **{k['rss_max_mb'] / c['rss_max_mb']:.1f}x** | **{k['rss_tree_mb'] / c['rss_tree_mb']:.1f}x** | |")
    p = row["parse_only"]
    print(f"| clause / parse only | {c['wall'] / p['wall']:.1f}x | {c['cpu'] / p['cpu']:.1f}x | | | |")
    for key in ("clause", "parse_only", "checkov"):
        if key in row and row[key]["exit"] not in (0, 1, 2) and row[key]["stderr"]:
            print(f"\n{key} stderr: {row[key]['stderr']}")


if __name__ == "__main__":
    sys.exit(main())
