"""Two worker processes against PostgreSQL, and one killed midway: each reminder exactly once."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest

from perp_track.cases.tables import CaseEvent
from perp_track.jobs.tables import JobRun
from perp_track.notify.rules import Notice
from perp_track.notify.tables import Notification
from perp_track.summons.tables import Summons
from tests.world import World

pytestmark = pytest.mark.parametrize("backend", ["postgres"], indirect=True)

COUNT = 1500


def worker(url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "perp_track.cli", "worker", "--once"],
        env={**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


async def seed(world: World) -> None:
    """Summons created ten days ago for the day after tomorrow: the 3-day reminder is due."""
    case = await world.open_case()
    now = datetime.now(UTC)
    rows = [
        Summons(
            case=case.id,
            scheduled_at=now + timedelta(days=2, minutes=i % 600),
            created_by=world.ja.id,
            created_at=now - timedelta(days=10),
            updated_at=now - timedelta(days=10),
        )
        for i in range(COUNT)
    ]
    for start in range(0, COUNT, 500):
        await Summons.insert(*rows[start : start + 500])


async def counts() -> tuple[int, int]:
    reminders = await Notification.count().where(Notification.template == Notice.SUMMONS_REMINDER)
    events = await CaseEvent.count().where(CaseEvent.kind == "summons_reminder")
    return reminders, events


async def test_two_workers_at_once_send_each_reminder_once(world: World, settings):
    await seed(world)
    a, b = worker(settings.database_url), worker(settings.database_url)
    outputs = [p.communicate(timeout=600) for p in (a, b)]
    assert a.returncode == 0, outputs[0]
    assert b.returncode == 0, outputs[1]
    assert await counts() == (COUNT, COUNT)
    # Both ran; for each job one of them did the work and the other stood aside or found none.
    assert "summons.reminders" in outputs[0][0] + outputs[1][0]


async def test_a_worker_killed_midway_loses_nothing_and_repeats_nothing(world: World, settings):
    await seed(world)
    first = worker(settings.database_url)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done, _ = await counts()
        if done >= 50 or first.poll() is not None:
            break
        await asyncio.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=60)
    partial, _ = await counts()
    assert partial < COUNT, "killed before it finished"
    # The lease of the dead worker runs out (here: made to run out, rather than waiting).
    await JobRun.update({JobRun.lease_until: datetime.now(UTC) - timedelta(seconds=1)}).where(
        JobRun.lease_owner.is_not_null()
    )
    second = worker(settings.database_url)
    out = second.communicate(timeout=600)
    assert second.returncode == 0, out
    assert await counts() == (COUNT, COUNT)
