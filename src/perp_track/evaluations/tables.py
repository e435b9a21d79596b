"""Reminder evaluations, their arms, and who was assigned to which arm."""

from __future__ import annotations

from piccolo.columns import (
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from perp_track.auth.tables import User
from perp_track.cases.tables import Person
from perp_track.evaluations.rules import EvaluationStatus
from perp_track.orgs.tables import Organisation
from perp_track.summons.tables import Summons


class ReminderEvaluation(Table, tablename="reminder_evaluation"):
    id: Serial
    justice_house = ForeignKey(
        references=Organisation, null=False, on_delete=OnDelete.restrict, index=True
    )
    title = Varchar(length=200, null=False)
    purpose = Text(default="")
    status = Varchar(length=16, choices=EvaluationStatus, default=EvaluationStatus.ACTIVE)
    starts_at = Timestamptz(null=False)
    ends_at = Timestamptz(null=False)
    # Set when a supervisor ends it before its planned end.
    ended_at = Timestamptz(null=True, default=None)
    # The key of the random assignment: never shown, never changed.
    seed = Varchar(length=64, null=False, secret=True)
    created_by = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict)
    created_at = Timestamptz(null=False)
    updated_at = Timestamptz(null=False)
    version = Integer(default=1, null=False)


class EvaluationArm(Table, tablename="evaluation_arm"):
    id: Serial
    evaluation = ForeignKey(
        references=ReminderEvaluation, null=False, on_delete=OnDelete.cascade, index=True
    )
    position = Integer(null=False)  # 0 is the reference arm the others are compared with
    name = Varchar(length=100, null=False)
    share = Integer(null=False)  # percent of the people assigned
    reminder_days = Varchar(length=64, default="")  # "7,3,1"
    morning = Boolean(default=True, null=False)
    send_hour = Integer(null=False)
    wording = Varchar(length=32, null=False)


class EvaluationAssignment(Table, tablename="evaluation_assignment"):
    """Append-only: a person's arm, drawn at their first summons after the start, never changed."""

    id: Serial
    # "<evaluation id>:<person id>": one arm per person and evaluation, enforced by the database.
    key = Varchar(length=40, unique=True, null=False)
    evaluation = ForeignKey(
        references=ReminderEvaluation, null=False, on_delete=OnDelete.cascade, index=True
    )
    arm = ForeignKey(references=EvaluationArm, null=False, on_delete=OnDelete.cascade)
    person = ForeignKey(references=Person, null=False, on_delete=OnDelete.cascade, index=True)
    first_summons = ForeignKey(references=Summons, null=True, on_delete=OnDelete.set_null)
    assigned_at = Timestamptz(null=False)
