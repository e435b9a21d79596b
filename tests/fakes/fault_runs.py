"""Fault runs on the outbox, shared by tests/integration/test_nothing_lost.py and bench/faults.py.

Thousands of SMS outbox rows, each to a number of its own (so that Twilio's list, searched by
number, tells exactly which were created); real `perp-track worker` processes that send them to
the fake Twilio; and the tally: how many were sent, sent twice, or never sent.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from perp_track import db
from perp_track.cases.rules import EventKind, PersonRole
from perp_track.cases.tables import Case, Person
from perp_track.notify.rules import Notice, NotificationState
from perp_track.notify.tables import Notification
from tests.fakes.twilio import ACCOUNT_SID, AUTH_TOKEN, FROM, FakeTwilio

State = NotificationState
OPEN = (State.QUEUED, State.SENDING)

# Short delays so that a run takes seconds: the same code paths as production's defaults.
FAST = {
    "DISPATCH_INTERVAL_SECONDS": "1",
    "DISPATCH_LEASE_SECONDS": "4",
    "DISPATCH_SETTLE_SECONDS": "0.5",
    "DISPATCH_BACKOFF_SECONDS": "0.2",
    "DISPATCH_BACKOFF_CAP_SECONDS": "2",
    "DISPATCH_BATCH_SIZE": "100",
    "DISPATCH_CONCURRENCY": "25",
    "DISPATCH_PARALLEL": "2",
    "TWILIO_TIMEOUT_SECONDS": "2",
    "SHUTDOWN_GRACE_SECONDS": "5",
}


async def seed_sms(count: int, first_number: int = 0) -> int:
    """`count` queued SMS to as many perpetrators, copied from one written by the real path.

    Their numbers are +3248 followed by `first_number`, `first_number` + 1, ... (7 digits).

    Returns the id of the case they belong to (the first case in the database).
    """
    from perp_track.cases.services import record_event

    case = await Case.select().order_by(Case.id).first()
    assert case is not None, "open a case first"
    now = datetime.now(UTC)
    when = now + timedelta(days=7)
    payload = {"scheduled_at": when.isoformat(), "modality": "in_person", "place": "MJ"}
    async with db.transaction():
        await record_event(
            case=case,
            kind=EventKind.SUMMONS_SCHEDULED,
            actor=None,
            now=now,
            notices=[(Notice.SUMMONS_SCHEDULED, payload)],
        )
    model = (
        await Notification.select()
        .where(Notification.channel == "sms")
        .order_by(Notification.id, ascending=False)
        .output(load_json=True)
        .first()
    )
    assert model is not None
    run = uuid.uuid4().hex[:8]
    person_ids = await db.insert_many_ids(
        Person,
        [
            {
                "role": PersonRole.PERPETRATOR,
                "first_name": "Load",
                "last_name": f"P{i}",
                "phone": f"+3248{first_number + i:07d}",
                "created_at": now,
            }
            for i in range(count - 1)
        ],
    )
    keep = ("case", "event", "audience", "channel", "template", "language", "payload")
    await db.insert_many(
        Notification,
        [
            {
                **{k: model[k] for k in keep},
                "recipient_person": person_id,
                "idempotency_key": f"load:{run}:{person_id}",
                "state": State.QUEUED,
                "next_attempt_at": now,
                "created_at": now,
            }
            for person_id in person_ids
        ],
    )
    return int(case["id"])


def worker_env(database_url: str, fake: FakeTwilio, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "ENV": "test",
        "DATABASE_URL": database_url,
        "PUBLIC_BASE_URL": "https://perp-track.test",
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM": FROM,
        "TWILIO_API_BASE_URL": fake.base_url,
        "LOG_LEVEL": "WARNING",
        **FAST,
        **extra,
    }


def start_worker(env: dict[str, str]) -> subprocess.Popen[str]:
    """A worker whose log goes to a file (a pipe nobody reads would fill and stop it)."""
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed with the process
        mode="w+", prefix="perp-track-worker-", suffix=".log", delete=False
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "perp_track.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
    )
    process.log_path = log.name  # type: ignore[attr-defined]
    log.close()
    return process


def worker_log(process: subprocess.Popen[str]) -> str:
    """The end of an exited worker's log; the file is removed."""
    path = Path(process.log_path)  # type: ignore[attr-defined]
    text = path.read_text(errors="replace") if path.exists() else ""
    path.unlink(missing_ok=True)
    return text[-4000:]


async def stop_worker(process: subprocess.Popen[str], within: float = 30) -> str:
    """SIGTERM, wait for it to exit (a graceful stop); the end of its log."""
    if process.poll() is None:
        process.terminate()
    await asyncio.to_thread(process.wait, within)
    return worker_log(process)


async def wait_for_messages(fake: FakeTwilio, at_least: int, within: float = 120) -> None:
    deadline = time.monotonic() + within
    while len(fake.messages) < at_least:
        if time.monotonic() > deadline:
            raise AssertionError(f"only {len(fake.messages)} messages reached Twilio in time")
        await asyncio.sleep(0.02)


async def open_rows() -> int:
    return await Notification.count().where(
        (Notification.channel == "sms") & Notification.state.is_in(list(OPEN))
    )


async def wait_drained(within: float = 180) -> float:
    """Until no SMS is queued or being sent; returns the seconds it took."""
    started = time.monotonic()
    while await open_rows():
        if time.monotonic() - started > within:
            left = await Notification.select(
                Notification.state,
                Notification.error_code,
                Notification.error_message,
                Notification.attempts,
                Notification.next_attempt_at,
                Notification.lease_until,
            ).where((Notification.channel == "sms") & Notification.state.is_in(list(OPEN)))
            raise AssertionError(
                f"{len(left)} messages still open after {within} s, e.g. {left[:3]}"
            )
        await asyncio.sleep(0.1)
    return time.monotonic() - started


@dataclass
class Tally:
    queued: int
    sent: int
    duplicates: int
    never_sent: int
    still_open: int
    wrong_sid: int
    states: dict[str, int]

    def line(self) -> str:
        return (
            f"queued {self.queued:>6}  sent {self.sent:>6}  duplicates {self.duplicates:>4}  "
            f"never sent {self.never_sent:>4}  still open {self.still_open:>4}"
        )


async def tally(fake: FakeTwilio) -> Tally:
    """Compare the outbox with what Twilio holds, number by number."""
    rows = await Notification.select(
        Notification.id,
        Notification.state,
        Notification.provider_id,
        Notification.recipient_person.phone.as_alias("phone"),
    ).where(Notification.channel == "sms")
    with fake._lock:
        messages = list(fake.messages.values())
    per_number = Counter(m["to"] for m in messages)
    sids = {m["sid"]: m["to"] for m in messages}
    states: Counter[str] = Counter(r["state"] for r in rows)
    sent_states = {State.SENT, State.DELIVERED}
    return Tally(
        queued=len(rows),
        sent=sum(1 for r in rows if r["state"] in sent_states and per_number[r["phone"]]),
        duplicates=sum(max(0, n - 1) for n in per_number.values()),
        never_sent=sum(1 for r in rows if not per_number[r["phone"]]),
        still_open=sum(1 for r in rows if r["state"] in OPEN),
        wrong_sid=sum(
            1
            for r in rows
            if r["state"] in sent_states and sids.get(r["provider_id"]) != r["phone"]
        ),
        states=dict(states),
    )


def describe(results: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in results.items())
