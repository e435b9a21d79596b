"""Forget Idempotency-Keys past their time (Settings.idempotency_ttl_hours): run daily."""

from __future__ import annotations

from datetime import datetime, timedelta

from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.idempotency.tables import IdempotencyRecord
from perp_track.jobs.rules import JobSpec


async def purge_expired_keys(*, now: datetime, ttl_hours: int) -> int:
    expired = (
        await IdempotencyRecord.delete()
        .where(IdempotencyRecord.created_at < now - timedelta(hours=ttl_hours))
        .returning(IdempotencyRecord.id)
    )
    return len(expired)


async def purge(clock: Clock, settings: Settings) -> str:
    count = await purge_expired_keys(now=clock.now(), ttl_hours=settings.idempotency_ttl_hours)
    return f"{count} expired keys forgotten"


def jobs(settings: Settings) -> list[JobSpec]:
    return [
        JobSpec(
            name="idempotency.purge",
            func=purge,
            every=timedelta(hours=6),
            stale_after=timedelta(days=2),
            description="Forget Idempotency-Keys past their time",
        )
    ]
