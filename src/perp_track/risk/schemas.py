from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from perp_track.risk.rules import AlertKind, AlertOutcome, AlertState, Source, Trigger
from perp_track.schemas import In, LongText, Out, Reason

# A tier's code as sent: its shape only; whether it is a tier is the policy's to say (the
# services check it against the table and answer with the field's name).
TierCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=16)]
TierName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class TierNames(In):
    """A tier's name in each language it is shown or sent in."""

    fr: TierName
    nl: TierName
    en: TierName
    de: TierName


class TierSettings(In):
    """What one risk tier sets. Intervals are whole hours or days, at least 1; null = none."""

    evening_reminder_hour: int | None = Field(
        default=None, ge=0, le=23, description="An extra SMS at this hour the evening before"
    )
    call_task_days: int | None = Field(
        default=None, ge=1, le=30, description="Ask the justice assistant to call him N days before"
    )
    attendance_alert_hours: int = Field(ge=1, le=24 * 14)
    redlist_priority: int = Field(ge=1, le=99, description="Red-list order: 1 first")
    sapv_update_days: int | None = Field(default=None, ge=1, le=365)
    reassess_days: int | None = Field(default=None, ge=1, le=730)
    closed_loop: bool = Field(description="Non-compliance raises the police alert and safety check")
    response_hours: int = Field(ge=1, le=24 * 14, description="Time to acknowledge, then escalated")


class TierPolicyIn(TierSettings):
    """What an existing tier sets (PUT /api/risk/policy): the tier by its code."""

    tier: TierCode


class TierCreate(TierSettings):
    """A new tier: its code (kept for good), its rank (higher is riskier), its names."""

    tier: str = Field(
        pattern=r"^[a-z][a-z0-9_]{1,15}$", description="Stable code, e.g. extreme", max_length=16
    )
    rank: int = Field(ge=1, le=999, description="Its place: higher is riskier; unique")
    names: TierNames
    version: int = Field(ge=1, description="The policy's version as read (GET /api/risk/policy)")


class TierRename(In):
    names: TierNames
    version: int = Field(ge=1, description="The policy's version as read (GET /api/risk/policy)")


class TierPolicyRead(TierSettings):
    tier: str
    rank: int
    names: dict[str, str] = Field(description="The tier's name by language (fr, nl, en, de)")
    updated_at: datetime | None = None
    updated_by: int | None = None


class RiskPolicyUpdate(In):
    tiers: list[TierPolicyIn] = Field(min_length=1, max_length=20)
    version: int = Field(ge=1, description="The policy's version as read (GET /api/risk/policy)")


class RiskPolicyRead(Out):
    version: int
    loop_from: str | None = Field(description="The lowest tier that starts the closed loop")
    tiers: list[TierPolicyRead] = Field(description="Every tier, lowest rank first")


class ReassessmentCreate(In):
    level: TierCode = Field(description="A tier's code (GET /api/risk/policy)")
    reason: Reason | None = Field(default=None, description="Required to lower the level")
    version: int = Field(ge=1, description="The case's version as read")


class AssessmentRead(Out):
    id: int
    level: str
    previous_level: str | None
    source: Source
    assessed_on: date
    assessor_name: str
    reason: str
    recorded_at: datetime


class RiskHistoryRead(Out):
    case_id: int
    level: str
    version: int
    reassessment_due: datetime | None
    assessments: list[AssessmentRead]


class AlertRead(Out):
    id: int
    case_id: int
    case_reference: str | None = Field(
        description="None when the case is restricted and the reader is not named on it"
    )
    kind: AlertKind
    trigger: Trigger
    level: str
    zone_id: int | None
    zone_name: str | None
    owner_id: int | None
    owner_name: str | None
    state: AlertState
    due_at: datetime
    created_at: datetime
    acknowledged_at: datetime | None
    done_at: datetime | None
    outcome: AlertOutcome | None
    note: str
    escalated_at: datetime | None
    version: int


class AlertAcknowledge(In):
    version: int = Field(ge=1)


class AlertDone(In):
    outcome: AlertOutcome
    note: LongText = ""
    version: int = Field(ge=1)
