"""Outbox rows: one as {column: value}, and their insert, inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from perp_track import db
from perp_track.notify import wakeup
from perp_track.notify.rules import Audience, Channel, NotificationState
from perp_track.notify.tables import Notification


def outbox_row(
    *,
    case_id: int | None,
    event_id: int | None,
    audience: Audience,
    channel: Channel,
    template: str,
    language: str,
    payload: dict[str, Any],
    key: str,
    now: datetime,
    user_id: int | None = None,
    person_id: int | None = None,
    urgent: bool = False,
    not_after: datetime | None = None,
    variant: str | None = None,
    state: NotificationState = NotificationState.QUEUED,
    error_code: str | None = None,
) -> dict[str, Any]:
    """An outbox row as {column: value}, for `db.insert_many`."""
    return dict(
        case=case_id,
        event=event_id,
        audience=audience,
        recipient_user=user_id,
        recipient_person=person_id,
        channel=channel,
        template=template,
        language=language,
        payload=payload,
        urgent=urgent,
        idempotency_key=key,
        state=state,
        next_attempt_at=now,
        not_after=not_after,
        created_at=now,
        variant=variant,
        error_code=error_code,
    )


async def insert_rows(rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    # The idempotency key makes a second write of the same message a no-op.
    await db.insert_many(Notification, rows, on_conflict_do_nothing=Notification.idempotency_key)
    if any(r["state"] == NotificationState.QUEUED for r in rows):
        await wakeup.announce()
