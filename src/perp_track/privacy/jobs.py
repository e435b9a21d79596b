"""The retention job: the same service as `perp-track retention --apply`, run by the scheduler."""

from __future__ import annotations

import logging

from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.privacy.schemas import RetentionReport
from perp_track.privacy.services import run_retention

log = logging.getLogger("perp_track.retention")

# Daily is enough: periods are counted in days.
SCHEDULE = {"trigger": "cron", "hour": 3, "minute": 17}


async def apply_retention(*, settings: Settings, clock: Clock) -> RetentionReport:
    report = await run_retention(clock=clock, settings=settings, apply=True)
    failed = [item.case_id for item in report.items if item.error]
    # Case ids and counts only: never a name or an address in a log line.
    log.info(
        "retention %s: %d cases done, %d failed %s; %d old login attempts deleted",
        report.action,
        len(report.items) - len(failed),
        len(failed),
        failed or "",
        report.old_login_attempts,
    )
    return report
