from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from perp_track.measures.deadlines import DeadlineKind
from perp_track.schemas import Out, Ref
from perp_track.summons.rules import Modality


class Attention(StrEnum):
    """Why a case is on the justice assistant's "to do now" list (issue 3, item 7)."""

    ATTENDANCE_NOT_RECORDED = "attendance_not_recorded"
    REPORT_LATE = "report_late"
    REPORT_DUE = "report_due"
    BAN_ENDING = "ban_ending"
    ADP_RENEWAL = "adp_renewal"
    AWAITING_DECISION = "awaiting_decision"
    RISK_REASSESSMENT = "risk_reassessment"


class CaseloadSort(StrEnum):
    RISK = "risk"  # highest risk first, then the soonest due date
    DUE = "due"
    REFERENCE = "reference"
    NAME = "name"  # the person followed: last name, then first name
    SUMMONS = "summons"  # the next summons, soonest first


# The direction each column sorts in when first chosen: the most urgent first.
DESCENDING_FIRST = frozenset({CaseloadSort.RISK})


class AttentionItem(Out):
    attention: Attention
    deadline: DeadlineKind
    due_on: date
    measure_id: int | None
    summons_id: int | None


class CaseloadItem(Out):
    case_id: int
    reference: str
    perpetrator_name: str
    risk_level: str
    assigned_ja: Ref | None
    next_summons_at: datetime | None
    next_due_on: date | None
    next_due: DeadlineKind | None
    attention: list[AttentionItem]


class CaseloadPage(Out):
    items: list[CaseloadItem]
    total: int
    limit: int
    offset: int


class OverdueRow(Out):
    case_id: int
    reference: str
    perpetrator_name: str
    risk_level: str
    attention: Attention
    deadline: DeadlineKind
    due_on: date
    measure_id: int | None
    summons_id: int | None


class UpcomingSummons(Out):
    summons_id: int
    case_id: int
    reference: str
    perpetrator_name: str
    scheduled_at: datetime
    modality: Modality
    place: str | None
    interpreter_language: str | None


class TeamMember(Out):
    justice_assistant: Ref
    open_cases: int
    needing_attention: int
    by_attention: dict[Attention, int]
