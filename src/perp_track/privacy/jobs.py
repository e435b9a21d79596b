"""The retention job: the same service as `perp-track retention --apply`, run by the scheduler."""

from __future__ import annotations

import logging
from datetime import timedelta

from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.jobs.rules import JobSpec
from perp_track.privacy.services import run_retention

log = logging.getLogger("perp_track.retention")


async def apply_retention(clock: Clock, settings: Settings) -> str:
    report = await run_retention(clock=clock, settings=settings, apply=True)
    failed = [item.case_id for item in report.items if item.error]
    # Case ids and counts only: never a name or an address in a log line.
    summary = (
        f"retention {report.action}: {len(report.items) - len(failed)} cases done,"
        f" {len(failed)} failed{' ' + str(failed) if failed else ''};"
        f" {report.old_login_attempts} old login attempts deleted"
    )
    if failed:
        log.error("%s", summary)
    else:
        log.info("%s", summary)
    return summary


def jobs(settings: Settings) -> list[JobSpec]:
    return [
        JobSpec(
            name="privacy.retention",
            func=apply_retention,
            # Periods are counted in days; a few runs a day is plenty.
            every=timedelta(hours=6),
            stale_after=timedelta(days=2),
            lease=timedelta(hours=1),
            description="Pseudonymise or purge cases past their retention period",
        )
    ]
