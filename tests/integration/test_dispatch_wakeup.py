"""Dispatch woken by the outbox (PostgreSQL NOTIFY at commit), and shared by every replica."""

import asyncio
import time
from datetime import timedelta

import pytest

from perp_track import db
from perp_track.jobs.rules import JobSpec
from perp_track.jobs.services import run_job
from perp_track.jobs.tables import JobRun
from perp_track.notify import wakeup
from perp_track.notify.rules import Channel, NotificationState, SystemNotice
from perp_track.notify.services import queue_system_notice
from perp_track.notify.tables import Notification
from perp_track.scheduler import DISPATCH_JOB, start_scheduler
from tests.world import World


async def _tell_ja(world: World, key: str) -> None:
    await queue_system_notice(
        notice=SystemNotice.MESSAGE_UNDELIVERABLE,
        user_ids=[world.ja.id],
        case_id=None,
        payload={
            "case_reference": "-",
            "channel": "sms",
            "failed_template": "summons_reminder",
            "failed_audience": "perpetrator",
            "reason": "test",
            "notification_id": 1,
        },
        key=key,
        now=world.clock.now(),
        channels=(Channel.IN_APP,),
    )


async def _until(predicate, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await predicate():
            return True
        await asyncio.sleep(0.05)
    return False


def test_a_wake_up_during_a_pass_asks_for_one_more():
    wanted = wakeup.Wanted()
    assert wanted.set() is True  # the first asks for a pass
    assert wanted.set() is False  # the rest of the burst joins it
    assert wanted.take() is True
    assert wanted.take() is False
    assert wanted.set() is True


async def test_a_shared_job_runs_in_every_replica_at_once(world: World, settings):
    started = 0
    release = asyncio.Event()

    async def slow(clock, settings) -> str:
        nonlocal started
        started += 1
        await release.wait()
        return "did it"

    spec = JobSpec(
        name="test.shared",
        func=slow,
        every=timedelta(seconds=5),
        stale_after=timedelta(minutes=1),
        exclusive=False,
    )
    runs = [
        asyncio.create_task(run_job(spec, clock=world.clock, settings=settings, owner=o))
        for o in ("a", "b")
    ]
    assert await _until(lambda: asyncio.sleep(0, result=started == 2))
    release.set()
    assert [r.outcome for r in await asyncio.gather(*runs)] == ["ok", "ok"]
    row = await JobRun.select().where(JobRun.name == "test.shared").first()
    assert row["runs"] == 2 and row["lease_owner"] is None and row["last_ok_at"] is not None


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_the_listener_hears_committed_outbox_rows_only(world: World, settings):
    heard = asyncio.Event()
    listener = wakeup.Listener(settings, heard.set)
    listener.start()
    try:
        await asyncio.wait_for(listener.connected.wait(), 10)
        heard.clear()  # the pass owed for rows written before it listened

        async def failing_work() -> None:
            async with db.transaction():
                await _tell_ja(world, "rolled-back")
                raise RuntimeError("the work failed")

        with pytest.raises(RuntimeError):
            await failing_work()
        await asyncio.sleep(0.3)
        assert not heard.is_set()
        async with db.transaction():
            await _tell_ja(world, "committed")
            await asyncio.sleep(0.3)
            assert not heard.is_set(), "told before the commit"
        await asyncio.wait_for(heard.wait(), 10)
    finally:
        await listener.stop()


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_an_outbox_row_is_sent_at_once_not_at_the_next_tick(world: World, settings):
    # A dispatch interval of an hour: only the wake-up can explain a prompt delivery.
    settings = settings.model_copy(update={"dispatch_interval_seconds": 3600})
    running = start_scheduler(settings, world.clock, "test")
    try:
        await asyncio.wait_for(running.listener.connected.wait(), 10)

        async def first_pass_done() -> bool:
            row = await JobRun.select().where(JobRun.name == DISPATCH_JOB).first()
            return bool(row and row["last_finished_at"]) and not wakeup.WANTED.running

        assert await _until(first_pass_done)
        async with db.transaction():
            await _tell_ja(world, "prompt")

        async def delivered() -> bool:
            row = await Notification.select(Notification.state).first()
            return bool(row) and row["state"] == NotificationState.DELIVERED

        assert await _until(delivered, 10)
    finally:
        await running.stop()
