"""Summons and programme sessions: statuses, attendance outcomes and their rules."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, tzinfo
from enum import StrEnum

from perp_track.errors import Conflict, Invalid
from perp_track.summons.errors import SummonsError


class Modality(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"


class SummonsStatus(StrEnum):
    SCHEDULED = "scheduled"
    RESCHEDULED = "rescheduled"  # replaced by a newer summons; kept for the history
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    LATE = "late"
    ABSENT_VALID_REASON = "absent_valid_reason"
    ABSENT_NO_VALID_REASON = "absent_no_valid_reason"
    DID_NOT_TAKE_PLACE = "did_not_take_place"


class Outcome(StrEnum):
    """What happened at a summons or a programme session (DOMAIN §3)."""

    ATTENDED = "attended"
    LATE = "late"
    ABSENT_VALID_REASON = "absent_valid_reason"
    ABSENT_NO_VALID_REASON = "absent_no_valid_reason"
    DID_NOT_TAKE_PLACE = "did_not_take_place"


# Outcomes after which a reason must be written down.
NEEDS_REASON = frozenset({Outcome.ABSENT_VALID_REASON, Outcome.DID_NOT_TAKE_PLACE})


class RequestedBy(StrEnum):
    """Who asked for a summons to be moved."""

    PERPETRATOR = "perpetrator"
    JUSTICE_ASSISTANT = "justice_assistant"
    LAWYER = "lawyer"
    INTERPRETER = "interpreter"
    AUTHORITY = "authority"
    OTHER = "other"


class SessionKind(StrEnum):
    INTAKE = "intake"
    GROUP = "group"
    INDIVIDUAL = "individual"
    CLOSING = "closing"


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    HELD = "held"


# A summons can be moved, cancelled or have attendance recorded only while it is open.
OPEN_SUMMONS = frozenset({SummonsStatus.SCHEDULED})


def check_future(when: datetime, now: datetime, code: SummonsError) -> None:
    if when <= now:
        raise Invalid(code)


def check_open(status: SummonsStatus, action: str) -> None:
    if status not in OPEN_SUMMONS:
        raise Conflict(SummonsError.NOT_OPEN, action=action, status=status, allowed=[])


def check_attendance(
    *, starts_at: datetime, now: datetime, outcome: Outcome, reason: str | None
) -> None:
    """Attendance is recorded for what has begun, never for the future."""
    if starts_at > now:
        raise Invalid(SummonsError.NOT_STARTED)
    if outcome in NEEDS_REASON and not (reason or "").strip():
        raise Invalid(SummonsError.REASON_REQUIRED, outcome=outcome)


def is_unexcused_absence(outcome: Outcome | SummonsStatus | str) -> bool:
    return str(outcome) == Outcome.ABSENT_NO_VALID_REASON.value


def reminder_times(
    scheduled_at: datetime,
    *,
    days_before: tuple[int, ...],
    send_hour: int,
    morning_hour: int,
    tz: tzinfo,
) -> dict[str, datetime]:
    """When each reminder of a summons is due: 'd7', 'd3', 'd1' at send_hour local time on
    those days, and 'morning' at morning_hour on the day itself. Only times before the summons.
    """
    local = scheduled_at.astimezone(tz)
    times: dict[str, datetime] = {}
    for days in days_before:
        day = local.date() - timedelta(days=days)
        times[f"d{days}"] = datetime.combine(day, time(send_hour), tzinfo=tz)
    times["morning"] = datetime.combine(local.date(), time(morning_hour), tzinfo=tz)
    return {key: at.astimezone(UTC) for key, at in times.items() if at < scheduled_at}


def due_reminder(scheduled_at: datetime, now: datetime, times: dict[str, datetime]) -> str | None:
    """The one reminder to send now: the latest one already due, none once the summons began.

    After a missed run the overtaken reminders are skipped: "in 7 days" sent the day before
    would mislead.
    """
    if now >= scheduled_at:
        return None
    due = [(at, key) for key, at in times.items() if at <= now]
    return max(due)[1] if due else None
