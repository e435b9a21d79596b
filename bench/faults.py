"""Nothing lost under faults: real `perp-track worker` processes on PostgreSQL, killed with -9,
stopped with SIGTERM, and sending to a Twilio that fails 30 % of the time.

    python -m bench.faults [--messages 2000] [--fault-rate 0.3]

Four runs on one database, each with `--messages` SMS queued to as many numbers:

- clean: one worker, no fault. Its time to drain is the yardstick the others are divided by.
- kill: a worker is killed with SIGKILL once a quarter has left; a second one is started.
- stop: a worker is stopped with SIGTERM once a quarter has left; a second one is started.
- faults: one worker; each create and each look-up fails with probability `--fault-rate`
  (500, 503, 500 after creating, 429, timeouts with and without creating, slow answers;
  look-ups answering 500 or timing out).

For each: queued, sent, duplicates (messages Twilio holds twice for one row), never sent
(rows whose number Twilio never saw), rows in flight at the kill or stop, and the time from the
(re)start to an empty outbox. Targets: never sent 0; duplicates 0, or at most the rows in
flight at a kill. Short delays (settle 0.5 s, lease 4 s) as in the tests; production's are
longer (60 s, 30 s) and stretch the kill run's drain by as much.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

import asyncpg

from perp_track import db
from perp_track.config import load_settings
from perp_track.notify.tables import Notification
from tests.fakes import fault_runs
from tests.fakes.twilio import FakeTwilio

ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


@dataclass
class Run:
    name: str
    tally: fault_runs.Tally
    in_flight: int
    drain_seconds: float
    exit_seconds: float | None = None


RUNS = 0


async def _reset(fake: FakeTwilio, count: int) -> int:
    """An empty outbox and Twilio; the first phone number of this run's recipients (each run
    writes to numbers of its own)."""
    global RUNS
    await Notification.delete(force=True)
    fake.reset()
    RUNS += 1
    return RUNS * count


async def _interrupted(
    name: str, fake: FakeTwilio, env: dict[str, str], count: int, how: signal.Signals
) -> Run:
    await fault_runs.seed_sms(count, await _reset(fake, count))
    first = fault_runs.start_worker(env)
    await fault_runs.wait_for_messages(fake, count // 4)
    stopped = time.monotonic()
    first.send_signal(how)
    await asyncio.to_thread(first.wait, 60)
    fault_runs.worker_log(first)
    exit_seconds = time.monotonic() - stopped
    in_flight = await Notification.count().where(Notification.state == "sending")
    second = fault_runs.start_worker(env)
    try:
        drained = await fault_runs.wait_drained(600)
    finally:
        await fault_runs.stop_worker(second)
    return Run(name, await fault_runs.tally(fake), in_flight, drained, exit_seconds)


async def _straight(
    name: str, fake: FakeTwilio, env: dict[str, str], count: int, rate: float
) -> Run:
    await fault_runs.seed_sms(count, await _reset(fake, count))
    if rate:
        fake.chaos(rate, seed=7)
    worker = fault_runs.start_worker(env)
    try:
        drained = await fault_runs.wait_drained(600)
    finally:
        await fault_runs.stop_worker(worker)
        fake.chaos(0)
    return Run(name, await fault_runs.tally(fake), 0, drained)


def _migrate(url: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "perp_track.cli", "migrate"],
        env={**os.environ, "DATABASE_URL": url, "ENV": "test"},
        check=True,
        capture_output=True,
    )


async def main(args: argparse.Namespace) -> None:
    from bench.dispatch import seed

    name = f"perp_track_bench_faults_{os.getpid()}"
    conn = await asyncpg.connect(ADMIN_URL)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    fake = FakeTwilio(timeout_seconds=3.0, statuses=(), slow_seconds=0.2).start()
    runs: list[Run] = []
    try:
        await asyncio.to_thread(_migrate, url)
        settings = load_settings(env="test", database_url=url)
        engine = db.use_engine(db.make_engine(settings))
        await db.start(engine, 4, settings)
        try:
            await seed()
            env = fault_runs.worker_env(url, fake)
            count = args.messages
            runs.append(await _straight("clean", fake, env, count, 0))
            print(f"  clean: {runs[-1].tally.line()}", flush=True)
            runs.append(await _interrupted("kill -9", fake, env, count, signal.SIGKILL))
            print(f"  kill -9: {runs[-1].tally.line()}", flush=True)
            runs.append(await _interrupted("SIGTERM", fake, env, count, signal.SIGTERM))
            print(f"  SIGTERM: {runs[-1].tally.line()}", flush=True)
            runs.append(await _straight("faults", fake, env, count, args.fault_rate))
            print(f"  faults: {runs[-1].tally.line()}", flush=True)
            faults = dict(sorted(fake.faults.items()))
        finally:
            await db.stop(engine)
    finally:
        fake.stop()
        conn = await asyncpg.connect(ADMIN_URL)
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()

    clean = runs[0].drain_seconds
    load = os.getloadavg()
    print(
        f"faults benchmark (PostgreSQL, {os.cpu_count()} CPUs, load average"
        f" {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; settle 0.5 s, lease 4 s)"
    )
    print(
        f"  {'run':<8} {'queued':>6} {'sent':>6} {'dupl.':>5} {'never':>5} {'in flight':>9}"
        f" {'drain s':>8} {'x clean':>7} {'exit s':>6}  target"
    )
    for run in runs:
        t = run.tally
        bound = run.in_flight if run.name == "kill -9" else 0
        ok = t.never_sent == 0 and t.still_open == 0 and t.duplicates <= bound
        exit_s = f"{run.exit_seconds:6.2f}" if run.exit_seconds is not None else "     -"
        print(
            f"  {run.name:<8} {t.queued:>6} {t.sent:>6} {t.duplicates:>5} {t.never_sent:>5}"
            f" {run.in_flight:>9} {run.drain_seconds:>8.2f} {run.drain_seconds / clean:>7.2f}"
            f" {exit_s}  never sent 0, duplicates <= {bound}: {'met' if ok else 'MISSED'}"
        )
    print(f"  faults injected in the faults run: {fault_runs.describe(faults)}")


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--fault-rate", type=float, default=0.3)
    asyncio.run(main(parser.parse_args()))


if __name__ == "__main__":
    cli()
