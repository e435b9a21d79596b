"""Seal the audit trail: chain the entries appended since the last run (audit.services.seal)."""

from __future__ import annotations

from datetime import timedelta

from perp_track.audit import services
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.jobs.rules import JobSpec


async def seal(clock: Clock, settings: Settings) -> str:
    return f"{await services.seal()} audit entries sealed"


def jobs(settings: Settings) -> list[JobSpec]:
    return [
        JobSpec(
            name="audit.seal",
            func=seal,
            every=timedelta(seconds=30),
            stale_after=timedelta(minutes=15),
            description="Chain the new audit entries, so that a change or a deletion shows",
        )
    ]
