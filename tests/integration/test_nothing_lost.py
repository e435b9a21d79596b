"""Nothing lost: real `perp-track worker` processes on PostgreSQL, killed, stopped, and sending
to a Twilio that fails. Every queued SMS ends sent; duplicates stay within the rows in flight
at a crash (and are none otherwise)."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator

import pytest

from perp_track.notify.tables import Notification
from tests.fakes import fault_runs
from tests.fakes.twilio import FakeTwilio
from tests.world import World

pytestmark = pytest.mark.parametrize("backend", ["postgres"], indirect=True)

COUNT = 2000


@pytest.fixture
def fake() -> Iterator[FakeTwilio]:
    # Its own server: a timeout answers after 3 s, later than the workers wait (2 s).
    server = FakeTwilio(timeout_seconds=3.0, statuses=(), slow_seconds=0.2).start()
    yield server
    server.stop()


async def test_a_worker_killed_mid_dispatch_loses_nothing(world: World, settings, fake: FakeTwilio):
    await world.open_case()
    await fault_runs.seed_sms(COUNT)
    env = fault_runs.worker_env(settings.database_url, fake)
    first = fault_runs.start_worker(env)
    second = None
    try:
        await fault_runs.wait_for_messages(fake, COUNT // 4)
        first.send_signal(signal.SIGKILL)
        first.wait(30)
        in_flight = await Notification.count().where(Notification.state == "sending")
        assert in_flight > 0, "killed while it held rows"
        partial = len(fake.messages)
        assert partial < COUNT, "killed before it finished"
        second = fault_runs.start_worker(env)
        await fault_runs.wait_drained(60)
    finally:
        for process in (first, second):
            if process is not None:
                await fault_runs.stop_worker(process)
    result = await fault_runs.tally(fake)
    assert (result.never_sent, result.still_open, result.wrong_sid) == (0, 0, 0), result
    assert result.sent == COUNT, result
    assert result.duplicates <= in_flight, result


async def test_sigterm_finishes_or_hands_back_within_the_grace(
    world: World, settings, fake: FakeTwilio
):
    await world.open_case()
    await fault_runs.seed_sms(COUNT)
    env = fault_runs.worker_env(settings.database_url, fake)
    first = fault_runs.start_worker(env)
    await fault_runs.wait_for_messages(fake, COUNT // 4)
    stopped_at = time.monotonic()
    err = await fault_runs.stop_worker(first)
    took = time.monotonic() - stopped_at
    assert first.returncode == 0, err
    assert took < float(fault_runs.FAST["SHUTDOWN_GRACE_SECONDS"]) + 5, took
    # Nothing left held: every row recorded, or back in the queue and claimable at once.
    assert await Notification.count().where(Notification.state == "sending") == 0
    held = await Notification.count().where(Notification.lease_until.is_not_null())
    assert held == 0
    assert len(fake.messages) < COUNT, "stopped before it finished"
    second = fault_runs.start_worker(env)
    try:
        await fault_runs.wait_drained()
    finally:
        await fault_runs.stop_worker(second)
    result = await fault_runs.tally(fake)
    assert (result.never_sent, result.duplicates, result.still_open) == (0, 0, 0), result
    assert result.sent == COUNT, result


async def test_thirty_percent_of_twilio_failing_still_delivers_everything_once(
    world: World, settings, fake: FakeTwilio
):
    count = 1000
    await world.open_case()
    await fault_runs.seed_sms(count)
    fake.chaos(0.3, seed=11)
    worker = fault_runs.start_worker(fault_runs.worker_env(settings.database_url, fake))
    try:
        await fault_runs.wait_drained()
    finally:
        await fault_runs.stop_worker(worker)
    result = await fault_runs.tally(fake)
    # Every kind of fault happened, look-ups included.
    assert {"500", "500-created", "timeout", "timeout-created", "429", "list-500"} <= set(
        fake.faults
    ), fake.faults
    assert (result.never_sent, result.duplicates, result.still_open) == (0, 0, 0), result
    assert result.sent == count, (result, fake.faults)
