"""Inbox messages that ask for a piece of work ("record the report", "record attendance") are
closed when the work is recorded: the reminder has done its job, and an unread one would say
the work is still to do."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from perp_track.cases.tables import CaseEvent
from perp_track.notify.rules import Channel, Notice
from perp_track.notify.tables import Notification

REPORT_TASKS = (Notice.REPORT_DUE, Notice.REPORT_OVERDUE)
ATTENDANCE_TASKS = (Notice.ATTENDANCE_NOT_RECORDED,)


async def close_tasks(
    *,
    case_id: int,
    notices: Iterable[Notice],
    now: datetime,
    measure_id: int | None = None,
    summons_id: int | None = None,
) -> int:
    """Mark read, inside the caller's transaction, the in-app tasks of this measure or summons."""
    where: Any = CaseEvent.case == case_id
    if measure_id is not None:
        where &= CaseEvent.measure_id == measure_id
    if summons_id is not None:
        where &= CaseEvent.summons_id == summons_id
    closed = (
        await Notification.update({Notification.read_at: now})
        .where(
            Notification.event.is_in(CaseEvent.select(CaseEvent.id).where(where))
            & Notification.template.is_in([str(n) for n in notices])
            & (Notification.channel == Channel.IN_APP)
            & Notification.read_at.is_null()
        )
        .returning(Notification.id)
    )
    return len(closed)
