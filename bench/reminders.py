"""Due -> submitted lag with 10,000 summons reminders due at once (target p99 <= 5 s).

    python -m bench.reminders [--reminders 10000] [--workers 1] [--sqlite]

10,000 summons were created ten days ago for the day after tomorrow, so every one of them owes
its 3-day reminder. `--workers` processes then start the real scheduler, as `perp-track worker`
does (every job, the outbox listener, the dispatch job woken by the outbox), at the same
instant; the fake Twilio runs in a process of its own. One worker takes the reminder job (a
lease); every worker dispatches (SKIP LOCKED). A reminder's lag runs from that instant, when
all became due, to its submission to Twilio (the outbox row's sent_at).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from bench.dispatch import ADMIN_URL, _migrate, _serve_fake, bare_sdk, seed
from perp_track import db
from perp_track.config import Settings, load_settings

TIMEOUT_SECONDS = 300
# All due reminders submitted within this many times what the bare SDK needs to send as many.
TARGET_RATIO = 1.25


def _settings(url: str, twilio_url: str) -> Settings:
    from tests.fakes.twilio import ACCOUNT_SID, AUTH_TOKEN, FROM

    return load_settings(
        env="test",
        database_url=url,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_from=FROM,
        twilio_api_base_url=twilio_url,
        public_base_url="https://perp-track.bench",
        database_pool_size=20,
    )


async def due_summons(case: dict[str, Any], count: int, user_id: int) -> None:
    from perp_track.summons.tables import Summons

    now = datetime.now(UTC)
    rows = [
        Summons(
            case=case["id"],
            scheduled_at=now + timedelta(days=2, minutes=i % 480),
            created_by=user_id,
            created_at=now - timedelta(days=10),
            updated_at=now - timedelta(days=10),
        )
        for i in range(count)
    ]
    for start in range(0, count, 1000):
        await Summons.insert(*rows[start : start + 1000])
    if db.is_postgres():
        # As autovacuum would have long done on a live table: without statistics the planner
        # takes the freshly filled table for an empty one and scans it for every lookup.
        await Summons.raw("ANALYZE summons")


async def _submitted() -> int:
    from perp_track.notify.tables import Notification

    return await Notification.count().where(
        (Notification.template == "summons_reminder") & Notification.sent_at.is_not_null()
    )


async def _work(url: str, twilio_url: str, count: int, go: Any, index: int, cpu: Any) -> None:
    from perp_track.clock import SystemClock
    from perp_track.scheduler import start_scheduler

    # The watchdog calls every job stale before its first run: no alert lines in the figures.
    logging.disable(logging.CRITICAL)
    settings = _settings(url, twilio_url)
    engine = db.use_engine(db.make_engine(settings))
    await db.start(engine, settings.database_pool_size)
    try:
        await _submitted()  # connected and warm
        await asyncio.to_thread(go.wait)
        before = _cpu()
        running = start_scheduler(settings, SystemClock(), f"bench-worker-{index}")
        deadline = time.monotonic() + TIMEOUT_SECONDS
        # The database is what knows: ask it, ten times a second.
        while await _submitted() < count and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.1)
        await running.stop()
        cpu.put(_cpu() - before)
    finally:
        await db.stop(engine)


def _machine() -> tuple[float, float]:
    """Busy and total CPU time of the whole machine so far (all cores), from /proc/stat."""
    with open("/proc/stat") as stat:
        fields = [float(v) for v in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return sum(fields) - idle, sum(fields)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _worker(url: str, twilio_url: str, count: int, go: Any, index: int, cpu: Any) -> None:
    asyncio.run(_work(url, twilio_url, count, go, index, cpu))


async def _figures(started: datetime) -> tuple[list[float], float]:
    from perp_track.jobs.tables import JobRun
    from perp_track.notify.tables import Notification

    rows = await Notification.select(Notification.sent_at).where(
        (Notification.template == "summons_reminder") & Notification.sent_at.is_not_null()
    )
    lags = sorted((r["sent_at"] - started).total_seconds() for r in rows)
    job = await JobRun.select().where(JobRun.name == "summons.reminders").first()
    queued = (job["last_finished_at"] - started).total_seconds() if job else float("nan")
    return lags, queued


async def main(args: argparse.Namespace) -> None:
    spawn = multiprocessing.get_context("spawn")
    parent, child = multiprocessing.Pipe()
    fake = spawn.Process(target=_serve_fake, args=(child,))
    fake.start()
    twilio_url = f"http://127.0.0.1:{parent.recv()}"
    name = f"perp_track_bench_rem_{os.getpid()}"
    if args.sqlite:
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    else:
        conn = await asyncpg.connect(ADMIN_URL)
        await conn.execute(f'CREATE DATABASE "{name}"')
        await conn.close()
        url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        await asyncio.to_thread(_migrate, url)
        settings = _settings(url, twilio_url)
        engine = db.use_engine(db.make_engine(settings))
        await db.start(engine, 2)
        try:
            # The bare SDK first, at the dispatcher's concurrency, so both run on the same
            # machine within a minute of each other.
            sdk_rate, sdk_cpu = await bare_sdk(
                twilio_url, args.reminders, settings.dispatch_concurrency
            )
            case = await seed()
            await due_summons(case, args.reminders, case["created_by"])
            go = spawn.Barrier(args.workers + 1)
            cpu = spawn.Queue()
            workers = [
                spawn.Process(target=_worker, args=(url, twilio_url, args.reminders, go, i, cpu))
                for i in range(args.workers)
            ]
            for worker in workers:
                worker.start()
            await asyncio.to_thread(go.wait)
            started = datetime.now(UTC)
            busy_before, total_before = _machine()
            for worker in workers:
                await asyncio.to_thread(worker.join, TIMEOUT_SECONDS + 30)
            busy_after, total_after = _machine()
            machine_busy = (busy_after - busy_before) / (total_after - total_before)
            lags, queued = await _figures(started)
            worker_cpu = sum(cpu.get(timeout=10) for _ in workers)
        finally:
            await db.stop(engine)
    finally:
        parent.send("stop")
        fake.join(10)
        if not args.sqlite:
            conn = await asyncpg.connect(ADMIN_URL)
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.close()

    assert len(lags) == args.reminders, f"{len(lags)} of {args.reminders} reminders submitted"
    p = statistics.quantiles(lags, n=100)
    backend = "SQLite" if args.sqlite else "PostgreSQL"
    print(
        f"reminders benchmark ({backend}, {os.cpu_count()} CPUs, {args.workers} worker(s)):"
        f" {args.reminders} due at once"
    )
    print(f"  reminder job queued them all in      {queued:8.2f} s")
    print(f"  all submitted to the fake Twilio in  {lags[-1]:8.2f} s")
    sdk_seconds = args.reminders / sdk_rate
    ratio = lags[-1] / sdk_seconds
    verdict = "OK" if ratio <= TARGET_RATIO else "MISSED"
    print(
        f"  the bare Twilio SDK sends as many in {sdk_seconds:8.2f} s: reminders take"
        f" {ratio:.2f}x the bare SDK, target <= {TARGET_RATIO}x  {verdict}"
    )
    print(
        f"  due -> submitted: p50 {p[49]:.2f} s, p95 {p[94]:.2f} s, p99 {p[98]:.2f} s,"
        f" max {lags[-1]:.2f} s"
    )
    print(
        f"  CPU of the worker(s) until the last was submitted: {worker_cpu:.2f} s"
        f" ({worker_cpu / args.reminders * 1000:.2f} ms a reminder, the bare SDK"
        f" {sdk_cpu * 1000:.2f} ms a message);"
        f" the machine's CPUs were {machine_busy:.0%} busy"
    )
    load = os.getloadavg()
    print(f"  load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if ratio > TARGET_RATIO:
        sys.exit(1)


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1, help="scheduler processes")
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    asyncio.run(main(parser.parse_args()))


if __name__ == "__main__":
    cli()
