"""The scheduler's first pass is due at its own (real) time, whatever the domain clock says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from perp_track.clock import FrozenClock
from perp_track.config import load_settings
from perp_track.scheduler import build_scheduler


def test_every_job_is_due_now_on_the_schedulers_time_even_with_a_clock_months_back():
    settings = load_settings(env="development", database_url="sqlite:///:memory:")
    clock = FrozenClock(datetime.now(UTC) - timedelta(days=270))
    before = datetime.now(UTC)
    scheduler = build_scheduler(settings, clock, "test")
    after = datetime.now(UTC)
    jobs = scheduler.get_jobs()
    assert jobs
    for job in jobs:
        # Added before the start: the first run time is kept as given. A domain clock months
        # back would make the first wake-up enumerate every 30-second interval since then.
        slack = timedelta(seconds=1)
        assert before - slack <= job.next_run_time <= after + slack, job.id
