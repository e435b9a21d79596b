"""Reminder evaluations: the evaluation, its arms, and each person's arm (issue 18)."""

from __future__ import annotations

from enum import Enum
from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete
from piccolo.columns.column_types import (
    Boolean,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

ID = "2026-12-01T16:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Reminder evaluations, their arms and assignments"


class Organisation(Table, tablename="organisation"):
    id = Serial(primary_key=True)


class User(Table, tablename="app_user"):
    id = Serial(primary_key=True)


class Person(Table, tablename="person"):
    id = Serial(primary_key=True)


class Summons(Table, tablename="summons"):
    id = Serial(primary_key=True)


class ReminderEvaluation(Table, tablename="reminder_evaluation"):
    id = Serial(primary_key=True)


class EvaluationArm(Table, tablename="evaluation_arm"):
    id = Serial(primary_key=True)


def _fk(references: type[Table], on_delete: OnDelete, *, null: bool = False, index: bool = False):
    return (
        ForeignKey,
        {"references": references, "on_delete": on_delete, "null": null, "index": index},
    )


COLUMNS: dict[tuple[str, str], list[tuple[str, type, dict[str, Any]]]] = {
    ("ReminderEvaluation", "reminder_evaluation"): [
        ("justice_house", *_fk(Organisation, OnDelete.restrict, index=True)),
        ("title", Varchar, {"length": 200, "null": False}),
        ("purpose", Text, {"default": ""}),
        (
            "status",
            Varchar,
            {
                "length": 16,
                "default": "active",
                "choices": Enum(
                    "EvaluationStatus", {"ACTIVE": "active", "PAUSED": "paused", "ENDED": "ended"}
                ),
            },
        ),
        ("starts_at", Timestamptz, {"null": False}),
        ("ends_at", Timestamptz, {"null": False}),
        ("ended_at", Timestamptz, {"null": True, "default": None}),
        ("seed", Varchar, {"length": 64, "null": False, "secret": True}),
        ("created_by", *_fk(User, OnDelete.restrict)),
        ("created_at", Timestamptz, {"null": False}),
        ("updated_at", Timestamptz, {"null": False}),
        ("version", Integer, {"default": 1, "null": False}),
    ],
    ("EvaluationArm", "evaluation_arm"): [
        ("evaluation", *_fk(ReminderEvaluation, OnDelete.cascade, index=True)),
        ("position", Integer, {"null": False}),
        ("name", Varchar, {"length": 100, "null": False}),
        ("share", Integer, {"null": False}),
        ("reminder_days", Varchar, {"length": 64, "default": ""}),
        ("morning", Boolean, {"default": True, "null": False}),
        ("send_hour", Integer, {"null": False}),
        ("wording", Varchar, {"length": 32, "null": False}),
    ],
    ("EvaluationAssignment", "evaluation_assignment"): [
        ("key", Varchar, {"length": 40, "unique": True, "null": False}),
        ("evaluation", *_fk(ReminderEvaluation, OnDelete.cascade, index=True)),
        ("arm", *_fk(EvaluationArm, OnDelete.cascade)),
        ("person", *_fk(Person, OnDelete.cascade, index=True)),
        ("first_summons", *_fk(Summons, OnDelete.set_null, null=True)),
        ("assigned_at", Timestamptz, {"null": False}),
    ],
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="perp_track", description=DESCRIPTION)
    for (class_name, tablename), columns in COLUMNS.items():
        manager.add_table(class_name=class_name, tablename=tablename, schema=None, columns=None)
        for name, column_class, params in columns:
            manager.add_column(
                table_class_name=class_name,
                tablename=tablename,
                column_name=name,
                db_column_name=name,
                column_class_name=column_class.__name__,
                column_class=column_class,
                params=params,
                schema=None,
            )
    return manager
