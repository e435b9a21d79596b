from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field, model_validator

from perp_track.compliance.rules import Level
from perp_track.measures.condition_rules import ConditionEvent
from perp_track.measures.deadlines import DeadlineKind, DeadlineState
from perp_track.measures.rules import (
    ConditionKind,
    ConditionStatus,
    Interruption,
    MeasureEvent,
    MeasureKind,
    MeasureStatus,
    ReportKind,
)
from perp_track.schemas import In, LongText, Out, Reason, ShortText


class ConditionCreate(In):
    kind: ConditionKind
    description: LongText = ""
    provider_id: int | None = Field(default=None, description="Programme provider organisation")
    required_sessions: int | None = Field(default=None, ge=1, le=200)
    hours_due: int | None = Field(default=None, ge=1, le=600)
    protected_persons: LongText | None = Field(
        default=None, description="Contact ban: the persons it protects"
    )
    address: LongText | None = Field(default=None, description="Place or residence ban")
    starts_on: date | None = None
    ends_on: date | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> ConditionCreate:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValueError("a condition cannot end before it starts")
        return self


class MeasureCreate(In):
    kind: MeasureKind
    decided_by: ShortText = Field(description="The deciding authority, e.g. 'Parquet de Liège'")
    decision_reference: ShortText | None = None
    decided_on: date
    starts_on: date
    ends_on: date | None = Field(
        default=None,
        description="Defaults to the kind's legal duration; required for probation",
    )
    notes: LongText = ""
    conditions: list[ConditionCreate] = Field(default_factory=list, max_length=30)


Version = Annotated[
    int, Field(ge=1, description="The version you read; a stale one answers 409, nothing changed")
]


class MeasureTransitionIn(In):
    event: MeasureEvent
    reason: Reason
    version: Version
    ends_on: date | None = Field(default=None, description="New end date, for 'extend'")


class MeasureUpdate(In):
    version: Version
    notes: LongText | None = None
    hearing_on: date | None = Field(
        default=None, description="Next hearing of the authority, e.g. on a ban extension"
    )


class ConditionAdd(In):
    version: Version
    condition: ConditionCreate


class ConditionTransitionIn(In):
    event: ConditionEvent
    reason: Reason
    version: Version


class ConditionHoursIn(In):
    hours: int = Field(ge=1, le=200, description="Hours of community service done")
    reason: Reason = Field(description="Where and when, e.g. the placement's attestation")
    version: Version


class AuthorityReportIn(In):
    kind: ReportKind
    period_from: date
    period_to: date
    assessment: LongText = Field(description="The justice assistant's assessment")
    language: Annotated[str, Field(pattern=r"^(fr|nl|en)$")] = "fr"
    version: Version

    @model_validator(mode="after")
    def _period_in_order(self) -> AuthorityReportIn:
        if self.period_to < self.period_from:
            raise ValueError("the period ends before it starts")
        return self


class AuthorityReportRead(Out):
    id: int
    measure_id: int
    kind: ReportKind
    due_on: date | None
    period_from: date
    period_to: date
    assessment: str
    language: str
    submitted_by: int
    submitted_at: datetime


class ConditionRead(Out):
    id: int
    kind: ConditionKind
    status: ConditionStatus
    description: str
    provider_id: int | None
    required_sessions: int | None
    hours_due: int | None
    hours_done: int
    protected_persons: str | None
    address: str | None
    starts_on: date | None
    ends_on: date | None
    version: int
    interruption: Interruption | None = None
    allowed_events: list[ConditionEvent] = Field(default_factory=list)


class MeasureRead(Out):
    id: int
    case_id: int
    kind: MeasureKind
    status: MeasureStatus
    decided_by: str
    decision_reference: str | None
    decided_on: date
    starts_on: date
    ends_on: date
    notes: str
    next_report_due: date | None = None
    hearing_on: date | None = None
    created_at: datetime
    updated_at: datetime
    version: int
    allowed_events: list[MeasureEvent]
    conditions: list[ConditionRead]


class ComplianceReasonRead(Out):
    """One reason as data: its code and figures, for clients that word it themselves."""

    code: str = Field(description="e.g. summons_missed, programme_absences, breached")
    n: int = Field(default=0, description="The count the reason is about (absences, hours...)")
    m: int = Field(default=0, description="The second figure, where there is one (hours due...)")
    word: str = Field(default="", description="A code qualifying it, e.g. an interruption")


class ConditionComplianceRead(Out):
    condition_id: int
    kind: ConditionKind
    level: Level
    reasons: list[str] = Field(description="In the language Accept-Language asks for (fr, nl, en)")
    reason_codes: list[ComplianceReasonRead] = Field(default_factory=list)


class MeasureComplianceRead(Out):
    measure_id: int
    kind: MeasureKind
    status: MeasureStatus
    level: Level
    propose_non_compliance: bool = Field(
        description="The figures cross a threshold: confirm with 'report_non_compliance'"
    )
    reasons: list[str] = Field(description="In the language Accept-Language asks for (fr, nl, en)")
    reason_codes: list[ComplianceReasonRead] = Field(default_factory=list)
    conditions: list[ConditionComplianceRead]


class CaseComplianceRead(Out):
    case_id: int
    level: Level
    propose_non_compliance: bool
    measures: list[MeasureComplianceRead]


class DeadlineRead(Out):
    kind: DeadlineKind
    state: DeadlineState
    starts_on: date
    due_on: date
    measure_id: int | None
    condition_id: int | None
    summons_id: int | None
