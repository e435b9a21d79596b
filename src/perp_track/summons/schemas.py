from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, Field

from perp_track.interpreters.schemas import BookingRead
from perp_track.measures.schemas import Version
from perp_track.schemas import (
    In,
    InterpreterLanguage,
    LanguageCode,
    LongText,
    Out,
    Reason,
    ShortText,
)
from perp_track.summons.rules import Modality, Outcome, RequestedBy, SummonsStatus


class SummonsCreate(In):
    scheduled_at: AwareDatetime = Field(description="With its offset, e.g. 2026-12-01T10:00+01:00")
    duration_minutes: int = Field(default=45, ge=5, le=480)
    modality: Modality = Modality.IN_PERSON
    place: ShortText | None = None
    language: LanguageCode | None = Field(default=None, description="Defaults to the case's")
    interpreter_language: InterpreterLanguage | None = None
    interpreter_id: int | None = Field(
        default=None,
        description="An interpreter of the house's register to book, of the language needed",
    )
    purpose: LongText = ""
    measure_id: int | None = None


class SummonsReschedule(In):
    scheduled_at: AwareDatetime
    reason: Reason
    requested_by: RequestedBy
    modality: Modality | None = None
    place: ShortText | None = None
    version: Version


class SummonsCancel(In):
    reason: Reason
    version: Version


class AttendanceIn(In):
    outcome: Outcome
    reason: LongText | None = None
    version: Version


class AttendanceRead(Out):
    id: int
    outcome: Outcome
    reason: str | None
    recorded_by: int
    recorded_at: datetime
    corrects: int | None


class SummonsRead(Out):
    id: int
    case_id: int
    measure_id: int | None
    scheduled_at: datetime
    duration_minutes: int
    modality: Modality
    place: str | None
    language: str
    interpreter_language: str | None
    purpose: str
    status: SummonsStatus
    rescheduled_from: int | None
    reschedule_reason: str | None
    reschedule_requested_by: RequestedBy | None
    cancel_reason: str | None
    version: int
    attendance: list[AttendanceRead] = Field(default_factory=list)
    interpreter: BookingRead | None = None
