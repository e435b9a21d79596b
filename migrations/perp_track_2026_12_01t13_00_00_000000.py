"""The audit trail is sealed after the fact, not chained under one lock on every append.

An entry is appended with no chain position and no hashes; the sealer (audit.services.seal)
gives it its place (`chain_seq`), the hash of the entry before it and its own, once. The
append-only trigger lets exactly that update through: an unsealed entry receiving its position
and hashes, every other column unchanged. Every other UPDATE, and every DELETE, is refused.

Existing entries were chained in id order (each append held the chain's lock): their position is
their id. Going backwards needs every entry sealed (run the `audit.seal` job first).

Piccolo's own column operations are recorded for its schema history but run here as explicit
SQL: SQLite cannot drop a NOT NULL without rebuilding the table, and the trigger must be off
while the columns change.
"""

import re

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-12-01T13:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Audit trail sealed by a job: chain_seq, hashes set once by the sealer"

_SEAL_ONLY = (
    "OLD.chain_seq IS NULL AND OLD.entry_hash IS NULL AND NEW.chain_seq IS NOT NULL"
    " AND NEW.prev_hash IS NOT NULL AND NEW.entry_hash IS NOT NULL"
)
_UNCHANGED = (
    "id",
    "occurred_at",
    "actor_id",
    "actor_role",
    "action",
    "record_type",
    "record_id",
    "case_id",
    "person_id",
    "fields",
    "detail",
    "request_id",
)

_PG_OLD_TRIGGER = [
    """
    CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()
    """,
]
_PG_NEW_TRIGGER = [
    f"""
    CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND {_SEAL_ONLY}
           AND (to_jsonb(NEW) - 'chain_seq' - 'prev_hash' - 'entry_hash')
             = (to_jsonb(OLD) - 'chain_seq' - 'prev_hash' - 'entry_hash') THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()
    """,
]
_PG_FORWARDS = [
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry",
    "ALTER TABLE audit_entry ADD COLUMN chain_seq BIGINT NULL DEFAULT NULL",
    "ALTER TABLE audit_entry ALTER COLUMN prev_hash DROP NOT NULL",
    "ALTER TABLE audit_entry ALTER COLUMN prev_hash DROP DEFAULT",
    "ALTER TABLE audit_entry ALTER COLUMN entry_hash DROP NOT NULL",
    "ALTER TABLE audit_entry ALTER COLUMN entry_hash DROP DEFAULT",
    "UPDATE audit_entry SET chain_seq = id",
    "CREATE UNIQUE INDEX audit_entry_chain_seq_key ON audit_entry (chain_seq)",
    "CREATE INDEX audit_entry_unsealed ON audit_entry (id) WHERE chain_seq IS NULL",
    *_PG_NEW_TRIGGER,
]
_PG_BACKWARDS = [
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry",
    "DROP INDEX IF EXISTS audit_entry_unsealed",
    "DROP INDEX IF EXISTS audit_entry_chain_seq_key",
    "ALTER TABLE audit_entry DROP COLUMN chain_seq",
    "ALTER TABLE audit_entry ALTER COLUMN prev_hash SET DEFAULT ''",
    "ALTER TABLE audit_entry ALTER COLUMN prev_hash SET NOT NULL",
    "ALTER TABLE audit_entry ALTER COLUMN entry_hash SET DEFAULT ''",
    "ALTER TABLE audit_entry ALTER COLUMN entry_hash SET NOT NULL",
    *_PG_OLD_TRIGGER,
]

_SQLITE_OLD_TRIGGERS = [
    """
    CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON audit_entry
    BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON audit_entry
    BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only: DELETE refused'); END
    """,
]
_SQLITE_NEW_TRIGGERS = [
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON audit_entry
    WHEN NOT ({_SEAL_ONLY} AND {" AND ".join(f"NEW.{c} IS OLD.{c}" for c in _UNCHANGED)})
    BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only: UPDATE refused'); END
    """,
    _SQLITE_OLD_TRIGGERS[1],
]
_SQLITE_DROP_TRIGGERS = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
]


# The hash columns as Piccolo created them on SQLite, and as the sealer needs them.
_SQLITE_HASH_COLUMNS = [
    ("\"prev_hash\" VARCHAR(64) NOT NULL DEFAULT ''", '"prev_hash" VARCHAR(64) DEFAULT NULL'),
    (
        "\"entry_hash\" VARCHAR(64) UNIQUE NOT NULL DEFAULT ''",
        '"entry_hash" VARCHAR(64) UNIQUE DEFAULT NULL',
    ),
]


async def _sqlite_rebuild(engine, *, sealed: bool) -> None:
    """Rebuild audit_entry with the hashes nullable and chain_seq (sealed=True), or back."""
    table = await engine.run_ddl(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'audit_entry'"
    )
    indexes = await engine.run_ddl(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_entry'"
        " AND sql IS NOT NULL"
    )
    create = table[0]["sql"]
    columns = [
        r["name"] for r in await engine.run_ddl("SELECT name FROM pragma_table_info('audit_entry')")
    ]
    for strict, loose in _SQLITE_HASH_COLUMNS:
        before, after = (strict, loose) if sealed else (loose, strict)
        if before not in create:
            raise RuntimeError(f"audit_entry is not as expected: no {before}")
        create = create.replace(before, after)
    if sealed:
        create = create.rstrip().removesuffix(")") + ', "chain_seq" INTEGER DEFAULT NULL)'
        copied = [c for c in columns if c != "chain_seq"]
        select = ", ".join(f'"{c}"' for c in copied) + ", id"
        target = ", ".join(f'"{c}"' for c in copied) + ', "chain_seq"'
    else:
        create = create.replace(', "chain_seq" INTEGER DEFAULT NULL', "")
        copied = [c for c in columns if c != "chain_seq"]
        select = target = ", ".join(f'"{c}"' for c in copied)
    create = create.replace('CREATE TABLE "audit_entry"', 'CREATE TABLE "audit_entry_rebuilt"', 1)
    await engine.run_ddl(create)
    await engine.run_ddl(
        f"INSERT INTO audit_entry_rebuilt ({target}) SELECT {select} FROM audit_entry"  # noqa: S608
    )
    await engine.run_ddl("DROP TABLE audit_entry")
    await engine.run_ddl("ALTER TABLE audit_entry_rebuilt RENAME TO audit_entry")
    for index in indexes:
        if index["name"] in {"audit_entry_chain_seq_key", "audit_entry_unsealed"}:
            continue
        await engine.run_ddl(index["sql"])
    if sealed:
        await engine.run_ddl(
            "CREATE UNIQUE INDEX audit_entry_chain_seq_key ON audit_entry (chain_seq)"
        )
        await engine.run_ddl(
            "CREATE INDEX audit_entry_unsealed ON audit_entry (id) WHERE chain_seq IS NULL"
        )


_SEAL_COLUMNS = "chain_seq, prev_hash, entry_hash"


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
            # The sealer runs as the application: it may write the chain columns, nothing else
            # (and the trigger lets it do so once per entry).
            await engine.run_ddl(f'GRANT UPDATE ({_SEAL_COLUMNS}) ON audit_entry TO "{role}"')
        return
    for sql in _SQLITE_DROP_TRIGGERS:
        await engine.run_ddl(sql)
    await _sqlite_rebuild(engine, sealed=True)
    for sql in _SQLITE_NEW_TRIGGERS:
        await engine.run_ddl(sql)


async def _backwards() -> None:
    engine = engine_finder()
    assert engine is not None
    unsealed = await engine.run_ddl("SELECT count(*) AS n FROM audit_entry WHERE chain_seq IS NULL")
    if unsealed[0]["n"]:
        raise RuntimeError(
            f"{unsealed[0]['n']} audit entries are not sealed yet: run the audit.seal job first"
        )
    if isinstance(engine, PostgresEngine):
        role = _app_role()
        if role:
            await engine.run_ddl(f'REVOKE UPDATE ({_SEAL_COLUMNS}) ON audit_entry FROM "{role}"')
        for sql in _PG_BACKWARDS:
            await engine.run_ddl(sql)
        return
    for sql in _SQLITE_DROP_TRIGGERS:
        await engine.run_ddl(sql)
    await _sqlite_rebuild(engine, sealed=False)
    for sql in _SQLITE_OLD_TRIGGERS:
        await engine.run_ddl(sql)


class _ExplicitManager(MigrationManager):
    """Keeps Piccolo's column operations for its schema history; `_forwards` runs them."""

    async def _run_add_columns(self, backwards: bool = False) -> None:
        return None

    async def _run_alter_columns(self, backwards: bool = False) -> None:
        return None


async def forwards():
    manager = _ExplicitManager(migration_id=ID, app_name="perp_track", description=DESCRIPTION)
    manager.add_column(
        table_class_name="AuditEntry",
        tablename="audit_entry",
        column_name="chain_seq",
        db_column_name="chain_seq",
        column_class_name="BigInt",
        column_class=BigInt,
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
    for name in ("prev_hash", "entry_hash"):
        manager.alter_column(
            table_class_name="AuditEntry",
            tablename="audit_entry",
            column_name=name,
            db_column_name=name,
            params={"default": None, "null": True},
            old_params={"default": "", "null": False},
            column_class=None,
            old_column_class=None,
            schema=None,
        )
    manager.add_raw(_forwards)
    manager.add_raw_backwards(_backwards)
    return manager
