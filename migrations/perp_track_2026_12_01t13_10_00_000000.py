from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T13:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "The police report number (PV) and the police zone's own reference of a case"


def _params() -> dict:
    return {
        "length": 64,
        "default": None,
        "null": True,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
    }


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="perp_track", description=DESCRIPTION)
    for column in ("police_report_number", "police_reference"):
        manager.add_column(
            table_class_name="Case",
            tablename="dv_case",
            column_name=column,
            db_column_name=column,
            column_class_name="Varchar",
            column_class=Varchar,
            params=_params(),
            schema=None,
        )
    return manager
