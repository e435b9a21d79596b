"""The interpreter register of each justice house, the bookings of its summons, and the outbox
column that addresses an interpreter's e-mail."""

from enum import Enum

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import (
    Boolean,
    ForeignKey,
    Integer,
    Serial,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-01T16:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Interpreter register, interpreter bookings, the outbox's interpreter recipient"


class Organisation(Table, tablename="organisation", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class User(Table, tablename="app_user", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Summons(Table, tablename="summons", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Interpreter(Table, tablename="interpreter", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


LANGUAGE = Enum("Language", {"FR": "fr", "NL": "nl", "DE": "de", "EN": "en"})
BOOKING_STATUS = Enum(
    "BookingStatus",
    {"BOOKED": "booked", "MOVED": "moved", "CANCELLED": "cancelled", "RELEASED": "released"},
)
_AUDIENCES = {
    "REFERRING_OFFICER": "referring_officer",
    "SAPV_CONTACT": "sapv_contact",
    "VICTIM": "victim",
    "PERPETRATOR": "perpetrator",
    "JUSTICE_ASSISTANT": "justice_assistant",
}


def _params(**given) -> dict:
    params = {
        "null": False,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
    }
    params.update(given)
    return params


def _fk(references: type[Table], on_delete: OnDelete, **given) -> dict:
    return _params(
        references=references,
        on_delete=on_delete,
        on_update=OnUpdate.cascade,
        target_column=None,
        **given,
    )


INTERPRETER = [
    ("justice_house", ForeignKey, _fk(Organisation, OnDelete.restrict, index=True)),
    ("full_name", Varchar, _params(length=200, default="")),
    ("language", Varchar, _params(length=64, default="", index=True)),
    ("sworn", Boolean, _params(default=False)),
    ("email", Varchar, _params(length=254, default="")),
    ("phone", Varchar, _params(length=32, default=None, null=True)),
    ("organisation", Varchar, _params(length=200, default=None, null=True)),
    ("message_language", Varchar, _params(length=2, default="fr", choices=LANGUAGE)),
    ("active", Boolean, _params(default=True, index=True)),
    ("created_by", ForeignKey, _fk(User, OnDelete.restrict)),
    ("created_at", Timestamptz, _params(default=TimestamptzNow())),
    ("updated_at", Timestamptz, _params(default=TimestamptzNow())),
    ("version", Integer, _params(default=1)),
]

BOOKING = [
    ("summons", ForeignKey, _fk(Summons, OnDelete.cascade, index=True)),
    ("interpreter", ForeignKey, _fk(Interpreter, OnDelete.restrict, index=True)),
    ("reference", Varchar, _params(length=16, default="", index=True)),
    ("language", Varchar, _params(length=64, default="")),
    ("status", Varchar, _params(length=16, default="booked", index=True, choices=BOOKING_STATUS)),
    ("booked_by", ForeignKey, _fk(User, OnDelete.restrict)),
    ("booked_at", Timestamptz, _params(default=TimestamptzNow())),
    ("updated_at", Timestamptz, _params(default=TimestamptzNow())),
    ("version", Integer, _params(default=1)),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="perp_track", description=DESCRIPTION)
    for class_name, tablename, columns in (
        ("Interpreter", "interpreter", INTERPRETER),
        ("InterpreterBooking", "interpreter_booking", BOOKING),
    ):
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
    manager.add_column(
        table_class_name="Notification",
        tablename="notification",
        column_name="recipient_interpreter",
        db_column_name="recipient_interpreter",
        column_class_name="ForeignKey",
        column_class=ForeignKey,
        params=_fk(Interpreter, OnDelete.restrict, default=None, null=True),
        schema=None,
    )
    # A new audience: a choice only (a Varchar in the database), nothing to change in a row.
    manager.alter_column(
        table_class_name="Notification",
        tablename="notification",
        column_name="audience",
        db_column_name="audience",
        params={"choices": Enum("Audience", {**_AUDIENCES, "INTERPRETER": "interpreter"})},
        old_params={"choices": Enum("Audience", _AUDIENCES)},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )
    return manager
