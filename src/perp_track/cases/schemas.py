from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator

from perp_track.cases.rules import Authority, CaseStatus, RiskLevel
from perp_track.measures.schemas import MeasureRead
from perp_track.schemas import (
    PHONE_FORMAT,
    In,
    InterpreterLanguage,
    LanguageCode,
    LongText,
    Out,
    PhoneNumber,
    Reason,
    Ref,
    ShortText,
)
from perp_track.summons.schemas import SummonsRead

PoliceNumber = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class PersonIn(In):
    first_name: ShortText
    last_name: ShortText
    birth_date: date | None = None
    language: LanguageCode = "fr"
    interpreter_language: InterpreterLanguage | None = None
    # The description again here: the OpenAPI loses the alias's own inside "| None".
    phone: PhoneNumber | None = Field(
        default=None, description=PHONE_FORMAT, examples=["0470 12 34 56"]
    )
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    address: LongText | None = None


class VictimIn(PersonIn):
    sapv_contact_id: int | None = Field(
        default=None, description="The SAPV contact (a user) who supports her"
    )


class CaseCreate(In):
    mandating_authority: Authority
    authority_reference: ShortText | None = Field(
        default=None, description="The prosecutor's notice or court file number"
    )
    police_report_number: PoliceNumber | None = Field(
        default=None, description="The police report number (PV / proces-verbaal)"
    )
    police_reference: PoliceNumber | None = Field(
        default=None, description="The police zone's own reference of the case"
    )
    referring_officer_id: int | None = None
    assigned_ja_id: int | None = Field(
        default=None, description="Defaults to the justice assistant opening the case"
    )
    risk_level: str = Field(
        default=RiskLevel.MEDIUM.value,
        min_length=1,
        max_length=16,
        description="The police's level: a tier's code (GET /api/risk/policy)",
    )
    language: LanguageCode = "fr"
    interpreter_language: InterpreterLanguage | None = None
    summary: LongText = ""
    perpetrator: PersonIn
    victim: VictimIn | None = None


class PersonRead(Out):
    id: int
    first_name: str
    last_name: str
    birth_date: date | None
    language: str
    interpreter_language: str | None
    phone: str | None
    email: str | None
    address: str | None


class VictimRead(PersonRead):
    sapv_contact: Ref | None


class EventRead(Out):
    id: int
    kind: str
    occurred_at: datetime
    actor: Ref | None
    summary: str = Field(
        description="What happened, in English, told from the event's kind and data (a row"
        " recorded before events carried their data: the sentence it was recorded with)"
    )
    data: dict[str, Any]
    measure_id: int | None
    summons_id: int | None


class CaseSummary(Out):
    id: int
    reference: str
    status: CaseStatus
    risk_level: str
    mandating_authority: Authority
    opened_at: datetime
    perpetrator_name: str
    assigned_ja: Ref | None


class CaseRead(Out):
    id: int
    reference: str
    status: CaseStatus
    mandating_authority: Authority
    authority_reference: str | None
    police_report_number: str | None = None
    police_reference: str | None = None
    risk_level: str
    language: str
    interpreter_language: str | None
    summary: str
    opened_at: datetime
    closed_at: datetime | None
    version: int
    # Seen only by the users named on it (cases/restriction.py).
    restricted: bool = False
    justice_house: Ref
    assigned_ja: Ref | None
    referring_officer: Ref | None
    perpetrator: PersonRead
    victim: VictimRead | None
    measures: list[MeasureRead]
    summons: list[SummonsRead]
    timeline: list[EventRead]


# The perpetrator's facts a justice assistant may correct, as the forms and the API name them.
PERPETRATOR_FACTS = ("phone", "email", "address", "language")


class PerpetratorChange(In):
    """One or more of the perpetrator's contact facts; a field left out is left as it is."""

    phone: PhoneNumber | None = None
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    address: LongText | None = Field(default=None, min_length=5)
    language: LanguageCode | None = None
    version: int = Field(ge=1, description="The version of the case you read")

    @model_validator(mode="after")
    def _something(self) -> PerpetratorChange:
        if not self.changed_facts():
            raise ValueError("give at least one of phone, email, address, language")
        return self

    def changed_facts(self) -> dict[str, str]:
        return {
            name: value for name in PERPETRATOR_FACTS if (value := getattr(self, name)) is not None
        }


class ReassignIn(In):
    assigned_ja_id: int = Field(ge=1, description="The justice assistant who takes the case")
    reason: Reason
    version: int = Field(ge=1, description="The version of the case you read")


class ReferringOfficerIn(In):
    referring_officer_id: int = Field(ge=1, description="The police officer who now follows it")
    reason: Reason
    version: int = Field(ge=1, description="The version of the case you read")


class CaseChanged(Out):
    case_id: int
    version: int
    changed: list[str] = Field(description="The facts that changed")
