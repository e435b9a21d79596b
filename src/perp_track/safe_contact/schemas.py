"""What the safe-contact API takes and gives: the victim's profile, her consent, her number."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from perp_track.notify import safety
from perp_track.notify.rules import DetailLevel
from perp_track.schemas import In, LanguageCode, Out

HHMM = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


class SafeContactUpdate(In):
    """The victim's safe-contact profile, as agreed with her. Omitted fields stay as they are."""

    sms_allowed: bool | None = None
    safe_from: HHMM | None = Field(default=None, description="local time, e.g. 09:00")
    safe_until: HHMM | None = Field(default=None, description="local time, e.g. 19:30")
    detail_level: DetailLevel | None = None
    language: LanguageCode | None = None
    show_sender: bool | None = None
    code_word: Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)] | None = (
        Field(default=None, description="stored hashed; an empty string removes it")
    )
    version: int | None = Field(default=None, description="the version you read (optional)")

    @field_validator("code_word")
    @classmethod
    def _not_a_keyword(cls, value: str | None) -> str | None:
        if value and safety.keyword(value) is not None:
            raise ValueError("a code word cannot be STOP, START, HELP or one of their forms")
        if value and len(value) < 3:
            raise ValueError("a code word needs at least 3 characters")
        return value


class ConsentIn(In):
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class SafeContactRead(Out):
    victim_id: int
    victim_name: str
    case_reference: str | None
    consent: bool = Field(description="consent recorded and not revoked")
    consent_given_at: datetime | None
    consent_recorded_by: int | None
    consent_revoked_at: datetime | None
    opted_out_at: datetime | None
    sms_allowed: bool
    safe_from: str | None
    safe_until: str | None
    detail_level: DetailLevel
    language: str
    show_sender: bool
    has_code_word: bool
    may_receive_sms: bool = Field(description="an update may go to her now")
    blocked_because: str | None = Field(
        description="why not: a rule that blocks her messages, or why they wait "
        "(unconfirmed, number_blocked, paused)"
    )
    version: int
    number_status: str = Field(
        description="her current number: none, waiting (for her reply with the code), "
        "confirmed, blocked (three wrong codes)"
    )
    number_requested_at: datetime | None
    number_confirmed_at: datetime | None
    number_blocked_at: datetime | None
    number_wrong_codes: int
    number_resend_available: bool = Field(description="the request may be sent once more")
    number_version: int | None = Field(
        description="the version of her number's confirmation: send it with a resend or a new code"
    )
    paused_at: datetime | None = Field(description="she replied PAUSE: her updates wait")


class NumberActionIn(In):
    version: int = Field(ge=1, description="number_version as you read it")


class NumberCodeRead(Out):
    code: str = Field(description="for you to give her in person; never sent by SMS")


class VictimMessageRead(Out):
    """One message to a victim as her SAPV contact sees it: what, when, its state, the copies."""

    id: int
    channel: str
    created_at: datetime
    state: str
    error_code: str | None
    body: str | None
    sent_at: datetime | None
    delivered_at: datetime | None
    copies: int = Field(description="copies in her SAPV contact's inbox")
