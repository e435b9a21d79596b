"""Every benchmark at a small scale, one after the other, and one table of their figures.

    python -m bench.run            # `make bench`
    python -m bench.run --only case_detail cold_start

Each benchmark runs as its own process (as it would by hand), with arguments that keep it to a
minute or two on a shared 2-CPU machine; the full-scale figures are in bench/README.md. A
benchmark's exit status says whether its targets were met (0), missed (1) or it failed (other);
those that check no target (the generator, the audit chain, dispatch, reminders) only "ran".
The table shows each one's summary lines (its figures beside their targets) and the load average
at its end. Small-scale figures are for spotting a regression, not for quoting.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bench:
    name: str
    args: list[str]
    # Which lines of its output are its figures.
    keep: str = r"target|load average"
    env: tuple[tuple[str, str], ...] = ()
    # Whether its exit status says if targets were met; the others only say they ran.
    has_targets: bool = True


SMALL_DB = "perp_track_bench_small"

BENCHES = [
    Bench("case_detail", ["bench.case_detail", "--reads", "300"]),
    Bench("cold_start", ["bench.cold_start", "--runs", "2"]),
    Bench(
        "generate",
        ["bench.generate", "--database", SMALL_DB, "--scale", "0.01"],
        r"total_s",
        has_targets=False,
    ),
    Bench(
        "caseload",
        ["bench.caseload", "--database", SMALL_DB, "--sample", "10", "--rounds", "3"],
        r"target|load average",
    ),
    Bench(
        "load",
        ["bench.load", "--database", SMALL_DB, "--reuse", "--users", "50", "--seconds", "20"],
        r"target|load average|req/s|server:",
    ),
    Bench(
        "audit_chain",
        ["bench.audit_chain"],
        r"appends/s",
        (("BENCH_AUDIT_N", "200"),),
        has_targets=False,
    ),
    Bench(
        "dispatch",
        ["bench.dispatch", "--messages", "1000", "--seconds", "3"],
        r"ceiling|bare|dispatch|target|p95|load average",
    ),
    Bench(
        "reminders",
        ["bench.reminders", "--reminders", "1000"],
        r"submitted|p99|target|load average",
    ),
]


def run_one(bench: Bench) -> tuple[str, list[str], float]:
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 (our own modules, fixed arguments)
        [sys.executable, "-m", *bench.args],
        env={**os.environ, **dict(bench.env)},
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    outcomes = {0: "met", 1: "missed"} if bench.has_targets else {0: "ran"}
    status = outcomes.get(result.returncode, f"failed ({result.returncode})")
    lines = [line.strip() for line in result.stdout.splitlines() if re.search(bench.keep, line)]
    if result.returncode not in (0, 1):
        lines += [line.strip() for line in result.stderr.splitlines()[-3:]]
    return status, lines, seconds


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*", help="the benchmarks to run, by name")
    args = parser.parse_args(argv)
    chosen = [b for b in BENCHES if not args.only or b.name in args.only]
    rows = []
    for bench in chosen:
        print(f"running {bench.name} ...", flush=True)
        rows.append((bench, *run_one(bench)))
    width = max(len(b.name) for b in chosen)
    print()
    print(f"{'benchmark':<{width}}  {'status':<10} {'time':>6}  figures")
    print("-" * 110)
    for bench, status, lines, seconds in rows:
        first, *rest = lines or ["(no figures printed)"]
        print(f"{bench.name:<{width}}  {status:<10} {seconds:5.0f}s  {first}")
        for line in rest:
            print(f"{'':<{width}}  {'':<10} {'':>6}  {line}")
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    raise SystemExit(0 if all(not status.startswith("failed") for _, status, _, _ in rows) else 1)


if __name__ == "__main__":
    main()
