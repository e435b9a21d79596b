from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from enum import Enum
from piccolo.columns.column_types import Integer
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T19:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Risk tiers as data: a rank and names per tier; levels no longer a fixed choice"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="perp_track", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="RiskPolicy",
        tablename="risk_policy",
        column_name="name_de",
        db_column_name="name_de",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 40,
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
        table_class_name="RiskPolicy",
        tablename="risk_policy",
        column_name="name_en",
        db_column_name="name_en",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 40,
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
        table_class_name="RiskPolicy",
        tablename="risk_policy",
        column_name="name_fr",
        db_column_name="name_fr",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 40,
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
        table_class_name="RiskPolicy",
        tablename="risk_policy",
        column_name="name_nl",
        db_column_name="name_nl",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 40,
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
        table_class_name="RiskPolicy",
        tablename="risk_policy",
        column_name="rank",
        db_column_name="rank",
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

    manager.alter_column(
        table_class_name="Case",
        tablename="dv_case",
        column_name="risk_level",
        db_column_name="risk_level",
        params={"choices": None},
        old_params={
            "choices": Enum(
                "RiskLevel",
                {
                    "LOW": "low",
                    "MEDIUM": "medium",
                    "HIGH": "high",
                    "SEVERE": "severe",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="RiskAlert",
        tablename="risk_alert",
        column_name="level",
        db_column_name="level",
        params={"choices": None},
        old_params={
            "choices": Enum(
                "RiskLevel",
                {
                    "LOW": "low",
                    "MEDIUM": "medium",
                    "HIGH": "high",
                    "SEVERE": "severe",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="RiskAssessment",
        tablename="risk_assessment",
        column_name="level",
        db_column_name="level",
        params={"choices": None},
        old_params={
            "choices": Enum(
                "RiskLevel",
                {
                    "LOW": "low",
                    "MEDIUM": "medium",
                    "HIGH": "high",
                    "SEVERE": "severe",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="RiskAssessment",
        tablename="risk_assessment",
        column_name="previous_level",
        db_column_name="previous_level",
        params={"choices": None},
        old_params={
            "choices": Enum(
                "RiskLevel",
                {
                    "LOW": "low",
                    "MEDIUM": "medium",
                    "HIGH": "high",
                    "SEVERE": "severe",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="RiskPolicy",
        tablename="risk_policy",
        column_name="tier",
        db_column_name="tier",
        params={"choices": None},
        old_params={
            "choices": Enum(
                "RiskLevel",
                {
                    "LOW": "low",
                    "MEDIUM": "medium",
                    "HIGH": "high",
                    "SEVERE": "severe",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
