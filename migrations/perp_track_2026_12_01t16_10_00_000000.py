from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from enum import Enum
from piccolo.columns.base import OnDelete
from piccolo.columns.base import OnUpdate
from piccolo.columns.column_types import ForeignKey
from piccolo.columns.column_types import Integer
from piccolo.columns.column_types import Serial
from piccolo.columns.column_types import Text
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.column_types import Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table


class Person(Table, tablename="person", schema=None):
    id = Serial(
        null=False,
        primary_key=True,
        unique=False,
        index=False,
        index_method=IndexMethod.btree,
        choices=None,
        db_column_name="id",
        secret=False,
    )


class User(Table, tablename="app_user", schema=None):
    id = Serial(
        null=False,
        primary_key=True,
        unique=False,
        index=False,
        index_method=IndexMethod.btree,
        choices=None,
        db_column_name="id",
        secret=False,
    )


ID = "2026-12-01T16:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "The victim's number confirmed by her own reply (victim_number_confirmation), her pause (safe_contact_profile.paused_at), held messages and the new inbound kinds"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="perp_track", description=DESCRIPTION
    )

    manager.add_table(
        class_name="NumberConfirmation",
        tablename="victim_number_confirmation",
        schema=None,
        columns=None,
    )

    manager.add_column(
        table_class_name="NumberConfirmation",
        tablename="victim_number_confirmation",
        column_name="victim",
        db_column_name="victim",
        column_class_name="ForeignKey",
        column_class=ForeignKey,
        params={
            "references": Person,
            "on_delete": OnDelete.cascade,
            "on_update": OnUpdate.cascade,
            "target_column": None,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": True,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="NumberConfirmation",
        tablename="victim_number_confirmation",
        column_name="phone",
        db_column_name="phone",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 32,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="NumberConfirmation",
        tablename="victim_number_confirmation",
        column_name="code_hash",
        db_column_name="code_hash",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 64,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": True,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="NumberConfirmation",
        tablename="victim_number_confirmation",
        column_name="code_sealed",
        db_column_name="code_sealed",
        column_class_name="Text",
        column_class=Text,
        params={
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": True,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="NumberConfirmation",
        tablename="victim_number_confirmation",
        column_name="state",
        db_column_name="state",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 16,
            "default": "waiting",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": True,
            "index_method": IndexMethod.btree,
            "choices": Enum(
                "NumberState",
                {
                    "WAITING": "waiting",
                    "CONFIRMED": "confirmed",
                    "BLOCKED": "blocked",
                    "REPLACED": "replaced",
                },
            ),
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="NumberConfirmation",
        tablename="victim_number_confirmation",
        column_name="requests",
        db_column_name="requests",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": 1,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="NumberConfirmation",
        tablename="victim_number_confirmation",
        column_name="wrong_codes",
        db_column_name="wrong_codes",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": 0,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="NumberConfirmation",
        tablename="victim_number_confirmation",
        column_name="requested_at",
        db_column_name="requested_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": TimestamptzNow(),
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="NumberConfirmation",
        tablename="victim_number_confirmation",
        column_name="requested_by",
        db_column_name="requested_by",
        column_class_name="ForeignKey",
        column_class=ForeignKey,
        params={
            "references": User,
            "on_delete": OnDelete.restrict,
            "on_update": OnUpdate.cascade,
            "target_column": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="NumberConfirmation",
        tablename="victim_number_confirmation",
        column_name="confirmed_at",
        db_column_name="confirmed_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="NumberConfirmation",
        tablename="victim_number_confirmation",
        column_name="blocked_at",
        db_column_name="blocked_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="NumberConfirmation",
        tablename="victim_number_confirmation",
        column_name="replaced_at",
        db_column_name="replaced_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="NumberConfirmation",
        tablename="victim_number_confirmation",
        column_name="updated_at",
        db_column_name="updated_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": TimestamptzNow(),
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="NumberConfirmation",
        tablename="victim_number_confirmation",
        column_name="version",
        db_column_name="version",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": 1,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="SafeContactProfile",
        tablename="safe_contact_profile",
        column_name="paused_at",
        db_column_name="paused_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.alter_column(
        table_class_name="InboundMessage",
        tablename="inbound_message",
        column_name="kind",
        db_column_name="kind",
        params={
            "choices": Enum(
                "InboundKind",
                {
                    "STOP": "stop",
                    "START": "start",
                    "HELP": "help",
                    "CODE_WORD": "code_word",
                    "REPLY": "reply",
                    "NUMBER_CONFIRMED": "number_confirmed",
                    "WRONG_CODE": "wrong_code",
                    "PAUSE": "pause",
                    "RESUME": "resume",
                    "UNKNOWN_SENDER": "unknown_sender",
                },
            )
        },
        old_params={
            "choices": Enum(
                "InboundKind",
                {
                    "STOP": "stop",
                    "START": "start",
                    "HELP": "help",
                    "CODE_WORD": "code_word",
                    "REPLY": "reply",
                    "UNKNOWN_SENDER": "unknown_sender",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Notification",
        tablename="notification",
        column_name="state",
        db_column_name="state",
        params={
            "choices": Enum(
                "NotificationState",
                {
                    "QUEUED": "queued",
                    "SENDING": "sending",
                    "SENT": "sent",
                    "DELIVERED": "delivered",
                    "UNDELIVERED": "undelivered",
                    "FAILED": "failed",
                    "SUPPRESSED": "suppressed",
                    "EXPIRED": "expired",
                    "UNKNOWN": "unknown",
                    "HELD": "held",
                },
            )
        },
        old_params={
            "choices": Enum(
                "NotificationState",
                {
                    "QUEUED": "queued",
                    "SENDING": "sending",
                    "SENT": "sent",
                    "DELIVERED": "delivered",
                    "UNDELIVERED": "undelivered",
                    "FAILED": "failed",
                    "SUPPRESSED": "suppressed",
                    "EXPIRED": "expired",
                    "UNKNOWN": "unknown",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
