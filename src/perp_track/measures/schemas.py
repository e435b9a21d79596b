from __future__ import annotations

from datetime import date, datetime

from pydantic import Field, model_validator

from perp_track.measures.rules import (
    ConditionKind,
    ConditionStatus,
    MeasureEvent,
    MeasureKind,
    MeasureStatus,
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


class MeasureTransitionIn(In):
    event: MeasureEvent
    reason: Reason
    version: int | None = Field(
        default=None, description="The version you read; a stale one answers 409"
    )
    ends_on: date | None = Field(default=None, description="New end date, for 'extend'")


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
    created_at: datetime
    updated_at: datetime
    version: int
    allowed_events: list[MeasureEvent]
    conditions: list[ConditionRead]
