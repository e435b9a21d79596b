"""Dispatch throughput to the fake Twilio, the fake's own ceiling, and event → submission latency.

    python -m bench.dispatch [--messages 5000] [--rate 400] [--seconds 10] [--sqlite]

The fake Twilio runs in its own process (its own interpreter and GIL), as Twilio would be
elsewhere. Three figures, measured in the same run on the same machine:

1. ceiling: raw form POSTs to the fake, as fast as the client can send them. A throughput
   figure above it would be impossible; one close to it means the fake is the bottleneck.
2. throughput: a backlog of summons SMS queued through the real `queue_notice`, drained by
   `dispatch_once` through the real Twilio SDK: messages per second, claim to record.
3. latency: events queued at a steady rate while a dispatcher loop runs; p50/p95/max from the
   outbox row's creation to its submission (the recorded sent_at).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import asyncpg

from perp_track import db
from perp_track.clock import SystemClock
from perp_track.config import Settings, load_settings

TARGET_RATIO = 0.8
ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _serve_fake(conn: Any) -> None:
    from tests.fakes.twilio import FakeTwilio

    fake = FakeTwilio(statuses=()).start()  # no callbacks: nobody listens in the benchmark
    conn.send(fake.port)
    conn.recv()  # until told to stop
    fake.stop()


async def ceiling(base_url: str, requests: int, concurrency: int) -> float:
    """Raw POSTs per second the fake answers (a form like a message, a JSON answer)."""
    form = {"To": "+32470000001", "From": "+32460000000", "Body": "x" * 140}
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one() -> None:
            async with session.post(f"{base_url}/raw", data=form) as response:
                await response.read()

        for _ in range(200):  # warm the connections
            await one()
        gate = asyncio.Semaphore(concurrency)

        async def gated() -> None:
            async with gate:
                await one()

        start = time.perf_counter()
        await asyncio.gather(*(gated() for _ in range(requests)))
        return requests / (time.perf_counter() - start)


async def bare_sdk(base_url: str, messages: int, concurrency: int) -> tuple[float, float]:
    """Messages per second the Twilio SDK alone creates at the fake (no database, no template),
    and the CPU seconds this process spent per message doing so.

    The SDK's own aiohttp client, pointed at the fake's address (`RebasedHttpClient`, the one
    thing needed to reach a stand-in), `messages.create_async` as many at once as the
    dispatcher's concurrency. What the dispatcher adds on top is ours to answer for.
    """
    from twilio.rest import Client

    from perp_track.notify.channels.sms import RebasedHttpClient
    from tests.fakes.twilio import ACCOUNT_SID, AUTH_TOKEN, FROM

    http = RebasedHttpClient(base_url, 30.0)
    client = Client(ACCOUNT_SID, AUTH_TOKEN, http_client=http)
    body = "Maison de justice : convocation le 10/12/2026 10:00. " + "x" * 90
    try:

        async def one(i: int) -> None:
            await client.messages.create_async(
                to=f"+3247{i % 10_000_000:07d}",
                from_=FROM,
                body=body,
                status_callback="https://perp-track.bench/api/twilio/status",
            )

        for i in range(200):  # warm the connections and the SDK's imports
            await one(i)
        gate = asyncio.Semaphore(concurrency)

        async def gated(i: int) -> None:
            async with gate:
                await one(i)

        start, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(gated(i) for i in range(messages)))
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        return messages / elapsed, cpu / messages
    finally:
        await http.close()


async def seed() -> dict[str, Any]:
    from perp_track.auth.rules import Role
    from perp_track.auth.services import create_user
    from perp_track.cases.rules import Authority, RiskLevel
    from perp_track.cases.schemas import CaseCreate, PersonIn
    from perp_track.cases.services import open_case
    from perp_track.cases.tables import Case
    from perp_track.orgs.rules import OrgKind
    from perp_track.orgs.services import create_organisation

    clock = SystemClock()
    house = await create_organisation(
        name="MJ Bench", kind=OrgKind.JUSTICE_HOUSE, code="BEN", clock=clock
    )
    ja = await create_user(
        email=f"ja.{uuid.uuid4().hex[:6]}@bench.example",
        full_name="Bench JA",
        role=Role.JUSTICE_ASSISTANT,
        organisation_id=house,
        password="bench-password-0000",  # noqa: S106 - a throwaway database
        clock=clock,
    )
    case = await open_case(
        actor=ja,
        clock=clock,
        data=CaseCreate(
            mandating_authority=Authority.PROSECUTOR,
            risk_level=RiskLevel.MEDIUM,
            perpetrator=PersonIn(first_name="Bench", last_name="Person", phone="+32470999999"),
        ),
    )
    row = await Case.select().where(Case.id == case.id).first()
    assert row is not None
    return row


async def queue(case: dict[str, Any], count: int) -> None:
    """Summons SMS through the real path: a case event and queue_notice, in one transaction."""
    from perp_track.cases.access import record_event
    from perp_track.cases.rules import EventKind
    from perp_track.notify.rules import Notice

    now = datetime.now(UTC)
    when = now + timedelta(days=7)
    payload = {"scheduled_at": when.isoformat(), "modality": "in_person", "place": "MJ Bench"}
    for _ in range(count):
        async with db.transaction():
            await record_event(
                case=case,
                kind=EventKind.SUMMONS_SCHEDULED,
                actor=None,
                now=datetime.now(UTC),
                notices=[(Notice.SUMMONS_SCHEDULED, payload)],
                not_after=when,
            )


async def drain(settings: Settings, channels: Any) -> tuple[int, float]:
    from perp_track.notify.dispatch.batch import dispatch_once

    clock = SystemClock()
    sent = 0
    start = time.perf_counter()
    while True:
        report = await dispatch_once(settings=settings, clock=clock, channels=channels)
        sent += report.states.get("sent", 0)
        if report.claimed == 0:
            break
    return sent, time.perf_counter() - start


async def latency(
    settings: Settings, channels: Any, case: dict[str, Any], rate: int, seconds: float
) -> list[float]:
    """Events at `rate` per second while a dispatcher loops; seconds from event to submission."""
    from perp_track.notify.dispatch.batch import dispatch_once
    from perp_track.notify.tables import Notification

    clock = SystemClock()
    started = datetime.now(UTC)
    stop = asyncio.Event()

    async def dispatcher() -> None:
        while not stop.is_set():
            report = await dispatch_once(settings=settings, clock=clock, channels=channels)
            if report.claimed == 0:
                await asyncio.sleep(0.02)  # the scheduler's poll interval, at its shortest

    async def producer() -> None:
        interval = 1 / rate
        deadline = time.perf_counter() + seconds
        next_at = time.perf_counter()
        while time.perf_counter() < deadline:
            await queue(case, 1)
            next_at += interval
            delay = next_at - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)

    task = asyncio.create_task(dispatcher())
    await producer()
    await asyncio.sleep(1.0)  # let the last ones go
    stop.set()
    await task
    rows = await Notification.select(Notification.created_at, Notification.sent_at).where(
        (Notification.created_at >= started) & Notification.sent_at.is_not_null()
    )
    return [(r["sent_at"] - r["created_at"]).total_seconds() for r in rows]


def _migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "ENV": "test"}
    subprocess.run(
        [sys.executable, "-m", "perp_track.cli", "migrate"],
        env=env,
        check=True,
        capture_output=True,
    )


async def main(args: argparse.Namespace) -> None:
    from perp_track.notify.dispatch.batch import Channels
    from tests.fakes.twilio import ACCOUNT_SID, AUTH_TOKEN, FROM

    parent, child = multiprocessing.Pipe()
    fake = multiprocessing.get_context("spawn").Process(target=_serve_fake, args=(child,))
    fake.start()
    port = parent.recv()
    base_url = f"http://127.0.0.1:{port}"

    name = f"perp_track_bench_{os.getpid()}"
    if args.sqlite:
        folder = tempfile.mkdtemp()
        url = f"sqlite:///{folder}/bench.sqlite3"
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
            dispatch_batch_size=args.batch,
            dispatch_concurrency=args.concurrency,
            database_pool_size=20,
        )
        engine = db.use_engine(db.make_engine(settings))
        await db.start(engine, settings.database_pool_size)
        channels = Channels.from_settings(settings)
        try:
            raw = await ceiling(base_url, args.messages, args.concurrency)
            sdk, sdk_cpu = await bare_sdk(base_url, args.messages, args.concurrency)
            case = await seed()
            start = time.perf_counter()
            await queue(case, args.messages)
            queued_per_s = args.messages / (time.perf_counter() - start)
            cpu = time.process_time()
            sent, elapsed = await drain(settings, channels)
            cpu = (time.process_time() - cpu) / max(sent, 1)
            waits = await latency(settings, channels, case, args.rate, args.seconds)
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

    waits.sort()
    p = statistics.quantiles(waits, n=100) if len(waits) >= 100 else [max(waits)] * 99
    backend = "SQLite" if args.sqlite else "PostgreSQL"
    print(f"dispatch benchmark ({backend}, {os.cpu_count()} CPUs, concurrency {args.concurrency})")
    print(f"  fake Twilio ceiling, raw POSTs:       {raw:8.0f} requests/s")
    print(f"  queueing (event + outbox row):        {queued_per_s:8.0f} events/s")
    print(
        f"  the bare Twilio SDK, no database:     {sdk:8.0f} messages/s"
        f"  ({sdk_cpu * 1000:.2f} ms of CPU a message)"
    )
    print(
        f"  dispatch through the Twilio SDK:      {sent / elapsed:8.0f} messages/s"
        f"  ({sent} in {elapsed:.2f} s, {cpu * 1000:.2f} ms of CPU a message, the"
        " database server's not counted)"
    )
    ratio = sent / elapsed / raw
    verdict = "OK" if ratio >= TARGET_RATIO else "MISSED"
    print(
        f"  dispatch = {ratio:.2f}x the raw POST ceiling, target >= {TARGET_RATIO}x  {verdict};"
        f" {sent / elapsed / sdk:.2f}x the bare SDK; the bare SDK itself {sdk / raw:.2f}x raw"
    )
    load = os.getloadavg()
    print(f"  load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if ratio < TARGET_RATIO:
        sys.exit(1)
    achieved = len(waits) / args.seconds
    print(
        f"  event -> submission, events at {achieved:.0f}/s (asked {args.rate}/s) for"
        f" {args.seconds:.0f} s: p50 {p[49] * 1000:.0f} ms, p95 {p[94] * 1000:.0f} ms,"
        f" max {waits[-1] * 1000:.0f} ms ({len(waits)} messages)"
    )


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--rate", type=int, default=200, help="events per second (latency)")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    asyncio.run(main(parser.parse_args()))


if __name__ == "__main__":
    cli()
