"""Forget Idempotency-Keys past their time (Settings.idempotency_ttl_hours): run daily."""

from __future__ import annotations

from datetime import datetime, timedelta

from perp_track.idempotency.tables import IdempotencyRecord


async def purge_expired_keys(*, now: datetime, ttl_hours: int) -> int:
    expired = (
        await IdempotencyRecord.delete()
        .where(IdempotencyRecord.created_at < now - timedelta(hours=ttl_hours))
        .returning(IdempotencyRecord.id)
    )
    return len(expired)
