"""One row per (case, user) in case_access: a user is named once on a restricted case. And a
partial index of the restricted cases, which every read's filter looks up (few rows)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-01T16:20:10:000000"
VERSION = "1.38.0"
DESCRIPTION = "Restricted cases: a user named once per case"


async def _forwards() -> None:
    engine = engine_finder()
    assert engine is not None
    await engine.run_ddl(
        'CREATE UNIQUE INDEX IF NOT EXISTS case_access_case_user ON case_access ("case", "user")'
    )
    await engine.run_ddl(
        "CREATE INDEX IF NOT EXISTS dv_case_restricted_only ON dv_case (id) WHERE restricted"
    )


async def _backwards() -> None:
    engine = engine_finder()
    assert engine is not None
    await engine.run_ddl("DROP INDEX IF EXISTS case_access_case_user")
    await engine.run_ddl("DROP INDEX IF EXISTS dv_case_restricted_only")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="perp_track", description=DESCRIPTION)
    manager.add_raw(_forwards)
    manager.add_raw_backwards(_backwards)
    return manager
