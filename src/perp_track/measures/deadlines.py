"""Deadlines per case (DOMAIN §3, "Deadlines the system must track"): pure and recomputable.

Each deadline has a start (when the duty arose) and a due date; its state follows from today.
The facts and deadlines are named tuples: the caseload builds thousands of them per request.
The caseload, the case page and the reminders all read them from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple
from zoneinfo import ZoneInfo

from perp_track.measures.rules import (
    IN_FORCE_STATUSES,
    ConditionStatus,
    MeasureKind,
    MeasureStatus,
)


class DeadlineKind(StrEnum):
    INTAKE_REPORT = "intake_report"
    PERIODIC_REPORT = "periodic_report"
    ADP_RENEWAL = "adp_renewal"
    BAN_END = "ban_end"
    EXTENSION_HEARING = "extension_hearing"
    MEASURE_END = "measure_end"
    PROGRAMME_COMPLETION = "programme_completion"
    ATTENDANCE_NOT_RECORDED = "attendance_not_recorded"
    NON_COMPLIANCE_DECISION = "non_compliance_decision"
    # The risk policy's clock (risk/): the case's risk level to be reassessed.
    RISK_REASSESSMENT = "risk_reassessment"


class DeadlineState(StrEnum):
    UPCOMING = "upcoming"
    DUE_SOON = "due_soon"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"


class MeasureFacts(NamedTuple):
    id: int
    kind: MeasureKind
    status: MeasureStatus
    starts_on: date
    ends_on: date
    next_report_due: date | None = None
    intake_report_done: bool = False
    hearing_on: date | None = None
    status_since: date | None = None  # for the decision the authority owes us


class ProgrammeFacts(NamedTuple):
    condition_id: int
    measure_id: int
    status: ConditionStatus
    ends_on: date | None


class OpenSummons(NamedTuple):
    id: int
    scheduled_at: datetime  # aware
    duration_minutes: int = 45


class Deadline(NamedTuple):
    kind: DeadlineKind
    starts_on: date
    due_on: date
    state: DeadlineState
    measure_id: int | None = None
    condition_id: int | None = None
    summons_id: int | None = None


@dataclass(frozen=True, slots=True)
class DeadlineSettings:
    due_soon_days: int = 7
    protection_ending_days: int = 7
    attendance_grace_hours: int = 24


def state_of(due_on: date, today: date, soon_days: int) -> DeadlineState:
    if due_on < today:
        return DeadlineState.OVERDUE
    if due_on == today:
        return DeadlineState.DUE_TODAY
    if (due_on - today).days <= soon_days:
        return DeadlineState.DUE_SOON
    return DeadlineState.UPCOMING


_REPORTED = MeasureKind.PROBATION, MeasureKind.AUTONOMOUS_PROBATION


def deadlines(
    *,
    measures: Sequence[MeasureFacts],
    programmes: Sequence[ProgrammeFacts] = (),
    open_summons: Sequence[OpenSummons] = (),
    now: datetime,
    tz: ZoneInfo,
    settings: DeadlineSettings | None = None,
    today: date | None = None,
) -> list[Deadline]:
    """Every deadline of one case, soonest first. A due date never precedes its start.

    `today` (now's date in tz) may be passed by a caller that computes many cases at once.
    """
    settings = settings or DeadlineSettings()
    today = today or now.astimezone(tz).date()
    out: list[Deadline] = []
    soon_days = settings.due_soon_days

    def add(
        kind: DeadlineKind,
        start: date,
        due: date,
        soon: int,
        measure_id: int | None = None,
        condition_id: int | None = None,
        summons_id: int | None = None,
    ) -> None:
        due = due if due > start else start
        state = state_of(due, today, soon)
        out.append(Deadline(kind, start, due, state, measure_id, condition_id, summons_id))

    for m in measures:
        if m.status not in IN_FORCE_STATUSES:
            continue
        if m.next_report_due is not None:
            intake = m.kind in _REPORTED and not m.intake_report_done
            kind = DeadlineKind.INTAKE_REPORT if intake else DeadlineKind.PERIODIC_REPORT
            add(kind, m.starts_on, m.next_report_due, soon_days, m.id)
        if m.kind is MeasureKind.TEMPORARY_RESIDENCE_BAN:
            add(DeadlineKind.BAN_END, m.starts_on, m.ends_on, settings.protection_ending_days, m.id)
        elif m.kind is MeasureKind.RELEASE_UNDER_CONDITIONS:
            add(DeadlineKind.ADP_RENEWAL, m.starts_on, m.ends_on, soon_days, m.id)
        else:
            add(DeadlineKind.MEASURE_END, m.starts_on, m.ends_on, soon_days, m.id)
        if m.hearing_on is not None:
            add(DeadlineKind.EXTENSION_HEARING, m.starts_on, m.hearing_on, soon_days, m.id)
        if m.status is MeasureStatus.NON_COMPLIANCE_REPORTED:
            since = m.status_since or m.starts_on
            # Owed by the authority, not by us: shown as due from the day it was reported.
            add(DeadlineKind.NON_COMPLIANCE_DECISION, since, since, soon_days, m.id)
    in_force = {m.id: m for m in measures if m.status in IN_FORCE_STATUSES}
    for p in programmes:
        measure = in_force.get(p.measure_id)
        if measure is None or p.status not in {
            ConditionStatus.PENDING,
            ConditionStatus.IN_PROGRESS,
        }:
            continue
        add(
            DeadlineKind.PROGRAMME_COMPLETION,
            measure.starts_on,
            p.ends_on or measure.ends_on,
            soon_days,
            p.measure_id,
            p.condition_id,
        )
    grace = timedelta(hours=settings.attendance_grace_hours)
    for s in open_summons:
        if s.scheduled_at > now:
            continue
        start = s.scheduled_at.astimezone(tz).date()
        due = (s.scheduled_at + grace).astimezone(tz).date()
        if s.scheduled_at + grace <= now:
            out.append(
                Deadline(
                    DeadlineKind.ATTENDANCE_NOT_RECORDED,
                    start,
                    due,
                    DeadlineState.OVERDUE,
                    summons_id=s.id,
                )
            )
        else:
            add(DeadlineKind.ATTENDANCE_NOT_RECORDED, start, due, 0, None, None, s.id)
    out.sort(key=lambda d: (d.due_on, d.kind))
    return out
