"""What programme staff send and see. Never a victim field: only what running a group needs."""

from __future__ import annotations

from datetime import date, datetime
from datetime import time as time_of_day

from pydantic import AwareDatetime, Field, model_validator

from perp_track.measures.rules import ConditionStatus, Interruption
from perp_track.measures.schemas import Version
from perp_track.risk.rules import Conduct
from perp_track.schemas import In, LongText, Out, Reason, ShortText
from perp_track.summons.rules import Outcome, SessionKind, SessionStatus


class SessionCreate(In):
    kind: SessionKind = SessionKind.GROUP
    title: ShortText = "Group session"
    starts_at: AwareDatetime = Field(description="With its offset, e.g. 2026-12-01T18:00+01:00")
    duration_minutes: int = Field(default=120, ge=15, le=480)
    place: ShortText | None = None
    participants: list[int] = Field(
        min_length=1, max_length=30, description="The referrals (programme condition ids) expected"
    )

    @model_validator(mode="after")
    def _no_duplicates(self) -> SessionCreate:
        if len(set(self.participants)) != len(self.participants):
            raise ValueError("a participant is listed twice")
        return self


class SessionSeriesCreate(In):
    """A weekly series: the first session's day and time, how many sessions, the weeks to skip."""

    kind: SessionKind = SessionKind.GROUP
    title: ShortText = "Group session"
    first_date: date
    time: time_of_day = Field(description="Belgian wall-clock time, e.g. 18:00")
    duration_minutes: int = Field(default=120, ge=15, le=480)
    place: ShortText | None = None
    count: int = Field(ge=1, le=52, description="How many sessions are held")
    skip_public_holidays: bool = True
    skip_dates: list[date] = Field(default_factory=list, max_length=52)
    participants: list[int] = Field(min_length=1, max_length=30)

    @model_validator(mode="after")
    def _no_duplicates(self) -> SessionSeriesCreate:
        if len(set(self.participants)) != len(self.participants):
            raise ValueError("a participant is listed twice")
        return self


class RollCallEntry(In):
    condition_id: int
    outcome: Outcome
    reason: LongText | None = None
    # What the staff saw (risk.services.record_observation): never anything of the victim.
    conduct: Conduct | None = Field(default=None, description="For one who attended")
    behaviour_note: LongText | None = None
    concern: bool = Field(default=False, description="Tells the justice assistant at once")
    concern_description: LongText | None = None


class RollCallIn(In):
    version: Version
    entries: list[RollCallEntry] = Field(min_length=1, max_length=30)


class AttendanceCorrectionIn(In):
    condition_id: int
    outcome: Outcome
    reason: Reason


class SessionCancelIn(In):
    reason: Reason
    version: Version


class InterruptionIn(In):
    interruption: Interruption
    reason: Reason
    version: Version


class ParticipantRead(Out):
    condition_id: int
    name: str
    language: str
    interpreter_language: str | None
    outcome: Outcome | None = Field(description="What stands after any correction")
    reason: str | None


class SessionRead(Out):
    id: int
    kind: SessionKind
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str | None
    status: SessionStatus
    roll_call_at: datetime | None
    version: int
    participants: list[ParticipantRead]


class ReferralRead(Out):
    """A person referred to the provider's programme: their progress, nothing of the case."""

    condition_id: int
    name: str
    language: str
    interpreter_language: str | None
    status: ConditionStatus
    interruption: Interruption | None
    required_sessions: int | None
    sessions_attended: int
    sessions_missed_unexcused: int
    completion_due: date | None = None
    version: int
