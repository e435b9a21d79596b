"""Due -> submitted lag with 10,000 summons reminders due at once (target p99 <= 5 s).

    python -m bench.reminders [--reminders 10000] [--sqlite]

10,000 summons were created ten days ago for the day after tomorrow, so at the start every
one of them owes its 3-day reminder. The reminder job (the scheduler's `summons.reminders`)
and the dispatcher (`notify.dispatch`) then run together, as in a worker, against the fake
Twilio in its own process. The lag of a reminder is from the moment all became due (the start)
to its submission to Twilio (the outbox row's sent_at).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from bench.dispatch import ADMIN_URL, _migrate, _serve_fake, seed
from perp_track import db
from perp_track.clock import SystemClock
from perp_track.config import load_settings


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


async def run(settings: Any, channels: Any, count: int) -> tuple[list[float], float, float]:
    from perp_track.notify.dispatch import dispatch_once
    from perp_track.notify.tables import Notification
    from perp_track.summons.jobs import send_reminders

    clock = SystemClock()
    started = datetime.now(UTC)
    t0 = time.perf_counter()
    queued_done = asyncio.Event()
    queue_seconds = 0.0

    async def reminders() -> None:
        nonlocal queue_seconds
        await send_reminders(clock, settings)
        queue_seconds = time.perf_counter() - t0
        queued_done.set()

    async def dispatcher() -> None:
        while True:
            report = await dispatch_once(settings=settings, clock=clock, channels=channels)
            if report.claimed == 0:
                if queued_done.is_set():
                    return
                await asyncio.sleep(0.05)

    await asyncio.gather(reminders(), dispatcher())
    total = time.perf_counter() - t0
    rows = await Notification.select(Notification.sent_at).where(
        (Notification.template == "summons_reminder") & Notification.sent_at.is_not_null()
    )
    lags = sorted((r["sent_at"] - started).total_seconds() for r in rows)
    assert len(lags) == count, f"{len(lags)} of {count} reminders submitted"
    return lags, queue_seconds, total


async def main(args: argparse.Namespace) -> None:
    from perp_track.notify.dispatch import Channels
    from tests.fakes.twilio import ACCOUNT_SID, AUTH_TOKEN, FROM

    parent, child = multiprocessing.Pipe()
    fake = multiprocessing.get_context("spawn").Process(target=_serve_fake, args=(child,))
    fake.start()
    base_url = f"http://127.0.0.1:{parent.recv()}"
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
        settings = load_settings(
            env="test",
            database_url=url,
            twilio_account_sid=ACCOUNT_SID,
            twilio_auth_token=AUTH_TOKEN,
            twilio_from=FROM,
            twilio_api_base_url=base_url,
            public_base_url="https://perp-track.bench",
            database_pool_size=20,
        )
        engine = db.use_engine(db.make_engine(settings))
        await db.start(engine, settings.database_pool_size)
        channels = Channels.from_settings(settings)
        try:
            case = await seed()
            await due_summons(case, args.reminders, case["created_by"])
            lags, queued, total = await run(settings, channels, args.reminders)
        finally:
            await channels.close()
            await db.stop(engine)
    finally:
        parent.send("stop")
        fake.join(10)
        if not args.sqlite:
            conn = await asyncpg.connect(ADMIN_URL)
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.close()

    p = statistics.quantiles(lags, n=100)
    backend = "SQLite" if args.sqlite else "PostgreSQL"
    print(f"reminders benchmark ({backend}, {os.cpu_count()} CPUs): {args.reminders} due at once")
    print(f"  reminder job queued them all in      {queued:8.2f} s")
    print(f"  all submitted to the fake Twilio in  {total:8.2f} s")
    print(
        f"  due -> submitted: p50 {p[49]:.2f} s, p95 {p[94]:.2f} s, p99 {p[98]:.2f} s,"
        f" max {lags[-1]:.2f} s"
    )


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    asyncio.run(main(parser.parse_args()))


if __name__ == "__main__":
    cli()
