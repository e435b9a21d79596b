"""The audit trail is append-only, enforced by the database itself.

The application connects as the table's owner, so privileges alone would not stop it: a trigger
refuses every UPDATE and DELETE on audit_entry (PostgreSQL and SQLite alike). Where the operator
runs the application under a separate role (DATABASE_APP_ROLE), that role also loses the
privileges to change or empty the table.
"""

import re

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-11-25T08:31:30:000001"
VERSION = "1.38.0"
DESCRIPTION = "Audit trail append-only: trigger refusing UPDATE and DELETE"

_PG_FORWARDS = [
    """
    CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry",
    """
    CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()
    """,
]
_PG_BACKWARDS = [
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry",
    "DROP FUNCTION IF EXISTS audit_entry_append_only()",
]
_SQLITE_FORWARDS = [
    """
    CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON audit_entry
    BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON audit_entry
    BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only: DELETE refused'); END
    """,
]
_SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
]


def _app_role() -> str | None:
    from perp_track.config import load_settings

    role = load_settings().database_app_role
    if role and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", role):
        raise ValueError("DATABASE_APP_ROLE must be a plain SQL identifier")
    return role


async def _forwards() -> None:
    engine = engine_finder()
    assert engine is not None
    if isinstance(engine, PostgresEngine):
        for sql in _PG_FORWARDS:
            await engine.run_ddl(sql)
        role = _app_role()
        if role:
            await engine.run_ddl(f'REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry FROM "{role}"')
            await engine.run_ddl(f'GRANT SELECT, INSERT ON audit_entry TO "{role}"')
    else:
        for sql in _SQLITE_FORWARDS:
            await engine.run_ddl(sql)


async def _backwards() -> None:
    engine = engine_finder()
    assert engine is not None
    statements = _PG_BACKWARDS if isinstance(engine, PostgresEngine) else _SQLITE_BACKWARDS
    for sql in statements:
        await engine.run_ddl(sql)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="perp_track", description=DESCRIPTION)
    manager.add_raw(_forwards)
    manager.add_raw_backwards(_backwards)
    return manager
