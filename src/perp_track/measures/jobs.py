"""Time-driven work on measures: lapse what has ended, warn before protection ends, remind the
justice assistant of reports due to the mandating authority."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from perp_track import db
from perp_track.cases.access import record_event
from perp_track.cases.rules import EventKind
from perp_track.cases.tables import Case
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.jobs.rules import JobSpec
from perp_track.jobs.services import once
from perp_track.measures.policy import measure_policy
from perp_track.measures.rules import (
    CLOSED_STATUSES,
    PROTECTIVE_CONDITIONS,
    ConditionStatus,
    MeasureEvent,
    MeasureKind,
    MeasureStatus,
    ReportKind,
)
from perp_track.measures.services import apply_transition
from perp_track.measures.tables import AuthorityReport, Condition, Measure
from perp_track.notify.rules import Notice

# Measures that lapse on their own when their end date has passed. A measure awaiting a decision
# on non-compliance does not: the authority decides, not the calendar.
LAPSING = (MeasureStatus.ACTIVE, MeasureStatus.EXTENDED, MeasureStatus.SUSPENDED)
PROTECTING = (*LAPSING, MeasureStatus.NON_COMPLIANCE_REPORTED, MeasureStatus.CONDITIONS_ADAPTED)


def _today(clock: Clock, settings: Settings) -> date:
    return clock.now().astimezone(settings.tz).date()


async def lapse_expired_measures(clock: Clock, settings: Settings) -> str:
    today = _today(clock, settings)
    due = await Measure.select(Measure.id).where(
        Measure.status.is_in(list(LAPSING)) & (Measure.ends_on < today)
    )
    lapsed = 0
    for row in due:
        async with db.transaction():
            # Re-read inside the transaction: a person may have acted since the scan.
            measure = await Measure.select().where(Measure.id == row["id"]).first()
            if not measure or measure["status"] not in LAPSING or measure["ends_on"] >= today:
                continue
            case = await Case.select().where(Case.id == measure["case"]).first()
            assert case is not None
            await apply_transition(
                actor=None,
                measure=measure,
                case=case,
                event=MeasureEvent.EXPIRE,
                reason=f"End date {measure['ends_on'].isoformat()} passed",
                now=clock.now(),
                policy=measure_policy(settings),
            )
            lapsed += 1
    return f"{lapsed} measures lapsed"


def alert_offset(days_left: int, offsets: tuple[int, ...]) -> int | None:
    """The most urgent alert due: with offsets (7, 1, 0), 5 days left → 7, 1 day → 1, 0 → 0.

    A missed run catches up with the alert now due; an alert overtaken by a later one is not
    sent late (a 7-day warning the day before the end would mislead).
    """
    due = [o for o in offsets if days_left <= o]
    return min(due) if days_left >= 0 and due else None


async def _protective_measure_ids(max_days: int, today: date) -> list[dict[str, Any]]:
    horizon = today + timedelta(days=max_days)
    candidates = await Measure.select(Measure.id, Measure.kind, Measure.ends_on).where(
        Measure.status.is_in(list(PROTECTING))
        & (Measure.ends_on >= today)
        & (Measure.ends_on <= horizon)
    )
    if not candidates:
        return []
    with_conditions = {
        r["measure"]
        for r in await Condition.select(Condition.measure).where(
            Condition.measure.is_in([c["id"] for c in candidates])
            & Condition.kind.is_in(list(PROTECTIVE_CONDITIONS))
            & Condition.status.not_in([ConditionStatus.WAIVED, ConditionStatus.MET])
        )
    }
    return [
        c
        for c in candidates
        if c["kind"] == MeasureKind.TEMPORARY_RESIDENCE_BAN or c["id"] in with_conditions
    ]


async def protection_ending_alerts(clock: Clock, settings: Settings) -> str:
    today = _today(clock, settings)
    offsets = tuple(sorted(settings.protection_alert_days, reverse=True))
    sent = 0
    for row in await _protective_measure_ids(max(offsets), today):
        days_left = (row["ends_on"] - today).days
        offset = alert_offset(days_left, offsets)
        if offset is None:
            continue
        async with db.transaction():
            # The end date is in the key: an extension earns its own alerts.
            key = f"protection_ending:{row['id']}:{row['ends_on'].isoformat()}:{offset}"
            if not await once(key, clock.now()):
                continue
            measure = await Measure.select().where(Measure.id == row["id"]).first()
            assert measure is not None
            case = await Case.select().where(Case.id == measure["case"]).first()
            assert case is not None
            ends = measure["ends_on"].isoformat()
            await record_event(
                case=case,
                kind=EventKind.PROTECTION_ENDING,
                actor=None,
                now=clock.now(),
                data={"days_left": days_left, "ends_on": ends, "alert": offset},
                measure_id=measure["id"],
                notices=[
                    (
                        Notice.PROTECTION_ENDING,
                        {"measure_kind": measure["kind"], "ends_on": ends, "days_left": days_left},
                    )
                ],
            )
            sent += 1
    return f"{sent} protection-ending alerts"


# A report is owed while the measure is open, whatever its state: from intake to a revocation
# request (a breach makes it more urgent, not less).
REPORTING = tuple(s for s in MeasureStatus if s not in CLOSED_STATUSES)
INTAKE_REPORTED = (MeasureKind.PROBATION, MeasureKind.AUTONOMOUS_PROBATION)


async def report_deadline_alerts(clock: Clock, settings: Settings) -> str:
    """The justice assistant is told once when a report falls due within `DUE_SOON_DAYS`, and
    once more the day after its due date if it is still not filed. A due date that has passed
    gets the overdue message only: a late "due soon" would mislead."""
    today = _today(clock, settings)
    horizon = today + timedelta(days=settings.due_soon_days)
    rows = await Measure.select(Measure.id, Measure.kind, Measure.next_report_due).where(
        Measure.status.is_in(list(REPORTING))
        & Measure.next_report_due.is_not_null()
        & (Measure.next_report_due <= horizon)
    )
    told = 0
    for row in rows:
        due_on: date = row["next_report_due"]
        overdue = due_on < today
        notice = Notice.REPORT_OVERDUE if overdue else Notice.REPORT_DUE
        async with db.transaction():
            # The due date is in the key: the next report, once this one is filed, is new.
            if not await once(f"{notice}:{row['id']}:{due_on.isoformat()}", clock.now()):
                continue
            measure = await Measure.select().where(Measure.id == row["id"]).first()
            if (
                measure is None
                or measure["status"] not in REPORTING
                or measure["next_report_due"] != due_on
            ):
                continue  # filed, or the measure ended, since the scan
            case = await Case.select().where(Case.id == measure["case"]).first()
            assert case is not None
            report_kind = await _owed_report_kind(measure)
            days = (due_on - today).days
            await record_event(
                case=case,
                kind=EventKind.REPORT_OVERDUE if overdue else EventKind.REPORT_DUE,
                actor=None,
                now=clock.now(),
                data={"due_on": due_on.isoformat(), "report_kind": report_kind},
                measure_id=measure["id"],
                notices=[
                    (
                        notice,
                        {
                            "measure_kind": measure["kind"],
                            "report_kind": report_kind,
                            "due_on": due_on.isoformat(),
                            "days_left": days,
                        },
                    )
                ],
            )
            told += 1
    return f"{told} report deadlines told"


async def _owed_report_kind(measure: dict[str, Any]) -> str:
    if measure["kind"] not in INTAKE_REPORTED:
        return ReportKind.PERIODIC
    intake = await AuthorityReport.exists().where(
        (AuthorityReport.measure == measure["id"]) & (AuthorityReport.kind == ReportKind.INTAKE)
    )
    return ReportKind.PERIODIC if intake else ReportKind.INTAKE


def jobs(settings: Settings) -> list[JobSpec]:
    return [
        JobSpec(
            name="measures.lapse",
            func=lapse_expired_measures,
            every=timedelta(minutes=15),
            stale_after=timedelta(hours=2),
            description="Measures whose end date has passed expire",
        ),
        JobSpec(
            name="measures.protection_ending",
            func=protection_ending_alerts,
            every=timedelta(minutes=15),
            stale_after=timedelta(hours=2),
            description="Warn police, SAPV and victim 7 days, 1 day and on the day protection ends",
        ),
        JobSpec(
            name="measures.report_deadlines",
            func=report_deadline_alerts,
            every=timedelta(hours=1),
            stale_after=timedelta(hours=6),
            description="Tell the justice assistant of reports due soon and overdue",
        ),
    ]
