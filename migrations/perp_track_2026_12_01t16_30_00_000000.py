"""The interpreter register of each justice house, the bookings of its summons, and the outbox
column that addresses an interpreter's e-mail."""

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


def _ref(tablename: str) -> type[Table]:
    class Ref(Table, tablename=tablename, schema=None):
        id = Serial(null=False, primary_key=True, db_column_name="id")

    Ref.__name__ = "".join(part.title() for part in tablename.split("_"))
    return Ref


Organisation = _ref("organisation")
AppUser = _ref("app_user")
Summons = _ref("summons")
Interpreter = _ref("interpreter")


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
    ("message_language", Varchar, _params(length=2, default="fr")),
    ("active", Boolean, _params(default=True, index=True)),
    ("created_by", ForeignKey, _fk(AppUser, OnDelete.restrict)),
    ("created_at", Timestamptz, _params(default=TimestamptzNow())),
    ("updated_at", Timestamptz, _params(default=TimestamptzNow())),
    ("version", Integer, _params(default=1)),
]

BOOKING = [
    ("summons", ForeignKey, _fk(Summons, OnDelete.cascade, index=True)),
    ("interpreter", ForeignKey, _fk(Interpreter, OnDelete.restrict, index=True)),
    ("reference", Varchar, _params(length=16, default="", index=True)),
    ("language", Varchar, _params(length=64, default="")),
    ("status", Varchar, _params(length=16, default="booked", index=True)),
    ("booked_by", ForeignKey, _fk(AppUser, OnDelete.restrict)),
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
    return manager
