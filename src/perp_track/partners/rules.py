"""What the partners outside the justice house may know of a case (DOMAIN §2, §4)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from perp_track.measures.rules import ConditionKind, MeasureKind, MeasureStatus
from perp_track.summons.rules import Outcome, SummonsStatus

# Statuses that mean the justice assistant told the authority the perpetrator does not comply.
NON_COMPLIANCE_STATUSES = frozenset(
    {
        MeasureStatus.NON_COMPLIANCE_REPORTED,
        MeasureStatus.CONDITIONS_ADAPTED,
        MeasureStatus.REVOCATION_REQUESTED,
        MeasureStatus.WARRANT_ISSUED,
        MeasureStatus.REFERRED_FOR_PROSECUTION,
        MeasureStatus.FAILED,
    }
)
# The conditions that protect the victim: the only ones her SAPV contact is shown.
PROTECTIVE_CONDITIONS = frozenset({ConditionKind.CONTACT_BAN, ConditionKind.PLACE_BAN})


@dataclass(frozen=True, slots=True)
class Compliance:
    summons_attended: int
    summons_missed_with_reason: int
    summons_missed_without_reason: int
    summons_upcoming: int
    summons_to_record: int
    programme_sessions_attended: int
    programme_sessions_missed_without_reason: int
    non_compliance_reported: bool


# A summons still "scheduled" once its time has passed: it is not to come, it is to record.
TO_RECORD = "to_record"


def summons_state(status: str, scheduled_at: datetime, now: datetime) -> str:
    if status == SummonsStatus.SCHEDULED and scheduled_at <= now:
        return TO_RECORD
    return status


def compliance(
    *,
    summons_statuses: Iterable[str],
    session_outcomes: Iterable[str],
    measure_statuses: Iterable[str],
) -> Compliance:
    """Counts, not content: what the referring officer is owed as feedback."""
    summons = Counter(summons_statuses)
    sessions = Counter(session_outcomes)
    return Compliance(
        summons_attended=summons[SummonsStatus.ATTENDED] + summons[SummonsStatus.LATE],
        summons_missed_with_reason=summons[SummonsStatus.ABSENT_VALID_REASON],
        summons_missed_without_reason=summons[SummonsStatus.ABSENT_NO_VALID_REASON],
        summons_upcoming=summons[SummonsStatus.SCHEDULED],
        summons_to_record=summons[TO_RECORD],
        programme_sessions_attended=sessions[Outcome.ATTENDED] + sessions[Outcome.LATE],
        programme_sessions_missed_without_reason=sessions[Outcome.ABSENT_NO_VALID_REASON],
        non_compliance_reported=any(s in NON_COMPLIANCE_STATUSES for s in measure_statuses),
    )


def is_protective(kind: str, condition_kinds: Iterable[str]) -> bool:
    return kind == MeasureKind.TEMPORARY_RESIDENCE_BAN or any(
        c in PROTECTIVE_CONDITIONS for c in condition_kinds
    )


def latest_outcomes(rows: Iterable[dict]) -> list[str]:
    """Attendance is append-only: a row another row corrects no longer counts."""
    rows = list(rows)
    corrected = {r["corrects"] for r in rows if r["corrects"] is not None}
    return [r["outcome"] for r in rows if r["id"] not in corrected]
