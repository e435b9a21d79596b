"""Reminder evaluations in and out of the API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, Field

from perp_track.evaluations.rules import (
    MAX_ARMS,
    MAX_REMINDER_DAYS,
    STANDARD_WORDING,
    Action,
    Category,
    State,
    Verdict,
)
from perp_track.measures.schemas import Version
from perp_track.schemas import In, LongText, Out, ShortText

ReminderDay = Annotated[int, Field(ge=1, le=MAX_REMINDER_DAYS)]
ArmName = Annotated[str, Field(min_length=1, max_length=100)]


class ArmCreate(In):
    name: ArmName = Field(description="What the pages call the arm, e.g. 'Usual reminders'")
    share: int = Field(ge=1, le=99, description="Percent of the people assigned to this arm")
    reminder_days: list[ReminderDay] = Field(
        default_factory=lambda: [7, 3, 1],
        max_length=10,
        description="Reminders this many days before the summons, at send_hour local time",
    )
    morning: bool = Field(default=True, description="A reminder on the morning of the summons")
    send_hour: int = Field(default=10, ge=7, le=20, description="Local hour of the day-before ones")
    wording: str = Field(
        default=STANDARD_WORDING,
        max_length=32,
        description="'standard', or a variant found in notifications/ (summons_reminder.sms.*)",
    )


class EvaluationCreate(In):
    title: ShortText
    purpose: LongText = ""
    starts_at: AwareDatetime = Field(
        description="With its offset; from then on people are assigned"
    )
    ends_at: AwareDatetime = Field(description="Nobody is assigned from then on")
    arms: list[ArmCreate] = Field(min_length=1, max_length=MAX_ARMS)


class EvaluationChange(In):
    version: Version


class ArmRead(Out):
    id: int
    position: int
    name: str
    share: int
    reminder_days: list[int]
    morning: bool
    send_hour: int
    wording: str
    assigned: int = Field(description="People assigned to this arm so far")


class EvaluationRead(Out):
    id: int
    title: str
    purpose: str
    state: State
    starts_at: datetime
    ends_at: datetime
    ended_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int
    arms: list[ArmRead]
    assigned: int
    allowed_actions: list[Action]


class RateRead(Out):
    count: int
    total: int
    rate: float | None
    low: float | None = Field(description="Wilson score interval, 95 %")
    high: float | None


class DifferenceRead(Out):
    estimate: float
    low: float = Field(description="Newcombe's hybrid score interval, 95 %")
    high: float


class ArmResultRead(Out):
    arm_id: int
    name: str
    total: int = Field(description="Summons with an outcome (attended, late, absent)")
    rates: dict[Category, RateRead]
    differences: dict[Category, DifferenceRead | None] = Field(
        description="This arm's rate minus the first arm's; empty for the first arm"
    )


class BreakdownRead(Out):
    measure_kind: str = Field(description="A measure kind, 'no_measure', or 'all'")
    verdict: Verdict
    arms: list[ArmResultRead]


class ResultsRead(Out):
    evaluation_id: int
    title: str
    state: State
    min_per_arm: int = Field(description="Fewer summons with an outcome in an arm: too few")
    breakdowns: list[BreakdownRead]
