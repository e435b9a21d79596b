"""Scheduled work on measures. The scheduler (whoever wires APScheduler) calls these with the
application's clock; they go through the same transition table as people, as 'system'."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from perp_track import db
from perp_track.cases.rules import EventKind
from perp_track.cases.services import record_event
from perp_track.cases.tables import Case, CaseEvent
from perp_track.errors import Conflict
from perp_track.measures.rules import (
    IN_FORCE_STATUSES,
    PROTECTIVE_CONDITIONS,
    ConditionStatus,
    MeasureEvent,
    MeasureKind,
    MeasureStatus,
)
from perp_track.measures.services import apply_transition
from perp_track.measures.tables import Condition, Measure
from perp_track.notify.rules import Notice

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


async def announce_protection_ending(*, now: datetime, tz: ZoneInfo, days_before: int) -> int:
    """DOMAIN §4: a protective measure ending within `days_before` days, and on the day, is told
    to the police, the SAPV contact and the victim (within her consent). Once per milestone:
    re-running the job the same day adds nothing. Returns how many were announced."""
    today = now.astimezone(tz).date()
    horizon = today + timedelta(days=days_before)
    rows = await Measure.select(Measure.id, Measure.kind, Measure.ends_on, Measure.case).where(
        Measure.status.is_in(sorted(IN_FORCE_STATUSES))
        & (Measure.ends_on >= today)
        & (Measure.ends_on <= horizon)
    )
    protective = {
        r["measure"]
        for r in await Condition.select(Condition.measure).where(
            Condition.measure.is_in([r["id"] for r in rows] or [-1])
            & Condition.kind.is_in(sorted(PROTECTIVE_CONDITIONS))
            & Condition.status.is_in([ConditionStatus.PENDING, ConditionStatus.IN_PROGRESS])
        )
    }
    announced = 0
    for row in rows:
        if row["kind"] != MeasureKind.TEMPORARY_RESIDENCE_BAN and row["id"] not in protective:
            continue
        milestone = "on_the_day" if row["ends_on"] == today else "ending_soon"
        key = f"{row['ends_on'].isoformat()}:{milestone}"
        async with db.transaction():
            # The end date is part of the key: an extension announces its new end again.
            seen = await CaseEvent.exists().where(
                (CaseEvent.measure_id == row["id"])
                & (CaseEvent.kind == EventKind.PROTECTION_ENDING)
                & (CaseEvent.summary.like(f"%[{key}]"))
            )
            if seen:
                continue
            case = await Case.select().where(Case.id == row["case"]).first()
            assert case is not None
            await record_event(
                case=case,
                kind=EventKind.PROTECTION_ENDING,
                actor=None,
                summary=f"Protection ends on {row['ends_on'].isoformat()} [{key}]",
                now=now,
                data={"ends_on": row["ends_on"].isoformat(), "milestone": milestone},
                measure_id=row["id"],
                notices=[
                    (
                        Notice.PROTECTION_ENDING,
                        {"measure_kind": row["kind"], "ends_on": row["ends_on"].isoformat()},
                    )
                ],
            )
            announced += 1
    return announced
