from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from perp_track.cases.rules import RiskLevel
from perp_track.risk.rules import AlertKind, AlertOutcome, AlertState, Source, Trigger
from perp_track.schemas import In, LongText, Out, Reason


class TierPolicyIn(In):
    """What one risk tier sets. Intervals are whole hours or days, at least 1; null = none."""

    tier: RiskLevel
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


class TierPolicyRead(TierPolicyIn):
    updated_at: datetime | None = None
    updated_by: int | None = None


class RiskPolicyUpdate(In):
    tiers: list[TierPolicyIn] = Field(min_length=1, max_length=10)
    version: int = Field(ge=1, description="The policy's version as read (GET /api/risk/policy)")


class RiskPolicyRead(Out):
    version: int
    loop_from: RiskLevel | None = Field(description="The lowest tier that starts the closed loop")
    tiers: list[TierPolicyRead]


class ReassessmentCreate(In):
    level: RiskLevel
    reason: Reason | None = Field(default=None, description="Required to lower the level")
    version: int = Field(ge=1, description="The case's version as read")


class AssessmentRead(Out):
    id: int
    level: RiskLevel
    previous_level: RiskLevel | None
    source: Source
    assessed_on: date
    assessor_name: str
    reason: str
    recorded_at: datetime


class RiskHistoryRead(Out):
    case_id: int
    level: RiskLevel
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
    level: RiskLevel
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
