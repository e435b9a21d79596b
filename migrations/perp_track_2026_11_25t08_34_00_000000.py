"""Indexes for the caseload and the programme roll-call (raw: composite, partial and unique).

The same SQL runs on SQLite and PostgreSQL. The partial index keeps the open summons of a case
(the few still 'scheduled' among its many past ones) one index probe away.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-25T08:34:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Caseload and roll-call indexes"

INDEXES = {
    "summons_open_by_case": (
        'CREATE INDEX summons_open_by_case ON summons ("case", scheduled_at)'
        " WHERE status = 'scheduled'"
    ),
    "dv_case_by_ja_status": "CREATE INDEX dv_case_by_ja_status ON dv_case (assigned_ja, status)",
    "measure_by_case_status": 'CREATE INDEX measure_by_case_status ON measure ("case", status)',
    "attendance_by_condition": (
        "CREATE INDEX attendance_by_condition ON attendance (condition, session)"
    ),
    "session_participant_unique": (
        "CREATE UNIQUE INDEX session_participant_unique ON session_participant (session, condition)"
    ),
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="perp_track", description=DESCRIPTION)

    async def create():
        engine = engine_finder()
        for sql in INDEXES.values():
            await engine.run_ddl(sql)

    async def drop():
        engine = engine_finder()
        for name in INDEXES:
            await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
