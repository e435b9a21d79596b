"""The projections the police officer and the SAPV contact read: their own, and no more.

These are separate classes on purpose, not subsets of CaseRead: a field added to the justice
assistant's view never reaches a partner unless someone adds it here.
"""

from __future__ import annotations

from datetime import date, datetime

from perp_track.cases.rules import CaseStatus
from perp_track.measures.rules import ConditionKind, ConditionStatus, MeasureKind, MeasureStatus
from perp_track.schemas import Out, Ref


class ConditionStatusRead(Out):
    kind: ConditionKind
    status: ConditionStatus
    starts_on: date | None
    ends_on: date | None


class MeasureStatusRead(Out):
    id: int
    kind: MeasureKind
    status: MeasureStatus
    starts_on: date
    ends_on: date
    conditions: list[ConditionStatusRead]


class ComplianceRead(Out):
    summons_attended: int
    summons_missed_with_reason: int
    summons_missed_without_reason: int
    summons_upcoming: int
    summons_to_record: int = 0
    programme_sessions_attended: int
    programme_sessions_missed_without_reason: int
    non_compliance_reported: bool


class PerpetratorForPolice(Out):
    first_name: str
    last_name: str
    birth_date: date | None
    address: str | None


class PoliceCaseRead(Out):
    """A case the officer referred: who follows it, its measures, whether he complies."""

    id: int
    reference: str
    police_report_number: str | None = None
    police_reference: str | None = None
    status: CaseStatus
    risk_level: str
    opened_at: datetime
    closed_at: datetime | None
    justice_house: Ref
    assigned_ja: Ref | None
    perpetrator: PerpetratorForPolice
    measures: list[MeasureStatusRead]
    compliance: ComplianceRead


class PoliceCasePage(Out):
    items: list[PoliceCaseRead]
    total: int
    limit: int
    offset: int


class SapvCaseRead(Out):
    """Her case as her SAPV contact sees it: who follows it and what protects her, until when."""

    id: int
    reference: str
    status: CaseStatus
    opened_at: datetime
    justice_house: Ref
    assigned_ja: Ref | None
    protective_measures: list[MeasureStatusRead]


class SapvVictimRead(Out):
    id: int
    first_name: str
    last_name: str
    language: str
    interpreter_language: str | None
    phone: str | None
    email: str | None
    cases: list[SapvCaseRead]


class SapvVictimPage(Out):
    items: list[SapvVictimRead]
    total: int
    limit: int
    offset: int
