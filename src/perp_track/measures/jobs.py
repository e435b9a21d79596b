"""Scheduled work on measures. The scheduler (whoever wires APScheduler) calls these with the
application's clock; they go through the same transition table as people, as 'system'."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from perp_track import db
from perp_track.cases.tables import Case
from perp_track.errors import Conflict
from perp_track.measures.rules import MeasureEvent, MeasureStatus
from perp_track.measures.services import apply_transition
from perp_track.measures.tables import Measure

log = logging.getLogger("perp_track")

# A running measure whose end date has passed expires; one waiting on the authority does not.
EXPIRING = [MeasureStatus.ACTIVE, MeasureStatus.EXTENDED, MeasureStatus.SUSPENDED]


async def expire_ended_measures(*, now: datetime, tz: ZoneInfo, limit: int = 500) -> int:
    """Expire measures whose last day is over; each in its own unit of work. Returns how many."""
    today = now.astimezone(tz).date()
    due = (
        await Measure.select(Measure.id)
        .where(Measure.status.is_in(EXPIRING) & (Measure.ends_on < today))
        .order_by(Measure.ends_on)
        .limit(limit)
    )
    expired = 0
    for row in due:
        async with db.transaction():
            measure = await Measure.select().where(Measure.id == row["id"]).first()
            if measure is None or measure["status"] not in EXPIRING or measure["ends_on"] >= today:
                continue  # changed since the scan: a person acted first
            case = await Case.select().where(Case.id == measure["case"]).first()
            assert case is not None
            try:
                await apply_transition(
                    actor=None,
                    measure=measure,
                    case=case,
                    event=MeasureEvent.EXPIRE,
                    reason=f"End date {measure['ends_on'].isoformat()} passed",
                    now=now,
                )
            except Conflict:
                log.info("measure %s changed while expiring; left as it is", row["id"])
                continue
            expired += 1
    return expired
