"""The database engine: made from DATABASE_URL, shared by every table, swappable in tests."""

from __future__ import annotations

import importlib
import json
import logging
import re
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from enum import Enum
from pathlib import Path
from typing import Any

from piccolo.columns import JSON, JSONB, Column
from piccolo.columns.defaults.base import Default
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table

from perp_track.config import Settings

_engine: Engine | None = None


# Database drivers log every statement with its parameters at DEBUG: names, phone numbers,
# addresses. Whatever LOG_LEVEL says, they log warnings and errors only.
DRIVER_LOGGERS = ("aiosqlite", "asyncpg", "piccolo")


def quiet_drivers() -> None:
    for name in DRIVER_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def make_engine(settings: Settings) -> Engine:
    quiet_drivers()
    if settings.is_sqlite:
        path: Path = settings.sqlite_path
        path.parent.mkdir(parents=True, exist_ok=True)
        # A busy writer makes others wait (timeout) rather than fail at once.
        return SQLiteEngine(path=str(path), timeout=30)
    return PostgresEngine(config=settings.postgres_config, extensions=())


# Every module holding tables (piccolo_app.py's AppConfig finds them here too).
TABLE_MODULES = [
    "perp_track.orgs.tables",
    "perp_track.auth.tables",
    "perp_track.cases.tables",
    "perp_track.measures.tables",
    "perp_track.summons.tables",
    "perp_track.notify.tables",
    "perp_track.audit.tables",
    "perp_track.privacy.tables",
    "perp_track.redlist.tables",
    "perp_track.jobs.tables",
    "perp_track.ui.tables",
    "perp_track.idempotency.tables",
]


def tables() -> list[type[Table]]:
    """The tables of the app, found as piccolo_app's AppConfig finds them (without importing
    Piccolo's migration machinery, which a serving process never needs: a slower start)."""
    found: list[type[Table]] = []
    for name in TABLE_MODULES:
        module = importlib.import_module(name)
        found.extend(
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, Table)
            and value is not Table
            and value.__module__ == name
        )
    return found


def use_engine(engine: Engine) -> Engine:
    """Point every table of the app at this engine (at start-up, or per test)."""
    global _engine
    _engine = engine
    for table in tables():
        table._meta.db = engine
    return engine


def engine() -> Engine:
    if _engine is None:
        raise RuntimeError("no database engine: call perp_track.db.use_engine() first")
    return _engine


def is_postgres() -> bool:
    return isinstance(engine(), PostgresEngine)


@asynccontextmanager
async def transaction() -> AsyncIterator[None]:
    """The unit of work. On SQLite it takes the write lock at once (no upgrade deadlock)."""
    current = engine()
    if isinstance(current, SQLiteEngine):
        async with current.transaction(transaction_type=TransactionType.immediate):
            yield
    else:
        async with current.transaction():
            yield


async def _keep_session(connection: Any) -> None:
    """Release a pooled connection without asyncpg's server-side reset (`RESET ALL`,
    `UNLISTEN *`, `CLOSE ALL`, unlocking session locks): one round trip per checkout, for state
    this app never leaves on a pooled connection. Its statements run in transactions, its locks
    are transaction locks, and the outbox listener has a connection of its own. asyncpg still
    rolls back a transaction left open before the connection goes back to the pool."""


async def start(engine_: Engine, pool_size: int) -> None:
    if isinstance(engine_, PostgresEngine):
        await engine_.start_connection_pool(min_size=1, max_size=pool_size, reset=_keep_session)


async def stop(engine_: Engine) -> None:
    if isinstance(engine_, PostgresEngine):
        await engine_.close_connection_pool()


async def ping() -> bool:
    try:
        rows = await engine().run_ddl("SELECT 1 AS ok")
    except Exception:
        return False
    return bool(rows) and rows[0]["ok"] == 1


# -- bulk writes -----------------------------------------------------------------------------
# Thousands of rows at once (a morning's reminders, their timeline entries and outbox rows):
# on PostgreSQL one statement per table, its values passed as one array per column and spread
# by unnest(), so the statement is prepared once whatever the number of rows. Building that
# many Table objects and a VALUES list as long costs ten times more than the database's work.

BULK_CHUNK = 5000


def _array_type(column: Column) -> str:
    if isinstance(column, (JSON, JSONB)):
        return "text"
    kind = re.sub(r"\(.*\)", "", column.column_type).lower()
    return {"serial": "integer", "bigserial": "bigint"}.get(kind, kind)


def _json_text(value: Any) -> Any:
    return value if value is None or isinstance(value, str) else json.dumps(value)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _default(column: Column) -> Any:
    value = column.get_default_value()
    return value.python() if isinstance(value, Default) else value


def _bulk_columns(table: type[Table], rows: Sequence[Mapping[str, Any]]) -> list[Column]:
    names = {name for row in rows for name in row}
    columns = [c for c in table._meta.columns if not c._meta.primary_key or c._meta.name in names]
    unknown = names - {c._meta.name for c in columns}
    if unknown:
        raise ValueError(f"{table._meta.tablename} has no column {', '.join(sorted(unknown))}")
    return columns


async def insert_many(
    table: type[Table],
    rows: Sequence[Mapping[str, Any]],
    *,
    on_conflict_do_nothing: Column | None = None,
    returning: Column | None = None,
) -> list[Any]:
    """Insert rows given as {column name: value}; a column left out takes its default.

    Returns the `returning` column of each row written (rows skipped by the conflict clause
    return nothing). On SQLite, Piccolo's own multi-row insert.
    """
    if not rows:
        return []
    columns = _bulk_columns(table, rows)
    if not is_postgres():
        return await _insert_many_piccolo(table, rows, on_conflict_do_nothing, returning)
    quoted = ", ".join(f'"{c._meta.db_column_name}"' for c in columns)
    unnest = ", ".join(f"{{}}::{_array_type(c)}[]" for c in columns)
    aliases = ", ".join(f"c{i}" for i in range(len(columns)))
    picks = ", ".join(
        f"c{i}::{c.column_type.lower()}" if isinstance(c, (JSON, JSONB)) else f"c{i}"
        for i, c in enumerate(columns)
    )
    # Names from the table's own definition, values only as parameters.
    sql = (
        f'INSERT INTO "{table._meta.tablename}" ({quoted}) '  # noqa: S608
        f"SELECT {picks} FROM unnest({unnest}) AS u({aliases})"
    )
    if on_conflict_do_nothing is not None:
        sql += f' ON CONFLICT ("{on_conflict_do_nothing._meta.db_column_name}") DO NOTHING'
    if returning is not None:
        sql += f' RETURNING "{returning._meta.db_column_name}" AS value'
    names = [c._meta.name for c in columns]
    defaults = [_default(c) for c in columns]
    convert = [_json_text if isinstance(c, (JSON, JSONB)) else _plain for c in columns]
    found: list[Any] = []
    for start in range(0, len(rows), BULK_CHUNK):
        chunk = rows[start : start + BULK_CHUNK]
        arrays = [
            [to_db(row.get(name, default)) for row in chunk]
            for name, default, to_db in zip(names, defaults, convert, strict=True)
        ]
        result = await table.raw(sql, *arrays)
        if returning is not None:
            found.extend(r["value"] for r in result)
    return found


async def _insert_many_piccolo(
    table: type[Table],
    rows: Sequence[Mapping[str, Any]],
    on_conflict_do_nothing: Column | None,
    returning: Column | None,
) -> list[Any]:
    found: list[Any] = []
    for start in range(0, len(rows), 500):
        query = table.insert(*[table(**row) for row in rows[start : start + 500]])
        if on_conflict_do_nothing is not None:
            query = query.on_conflict(target=on_conflict_do_nothing, action="DO NOTHING")
        if returning is None:
            await query
        else:
            found.extend(r[returning._meta.name] for r in await query.returning(returning))
    return found


async def insert_many_ids(table: type[Table], rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Insert rows and return their new ids, in the order of the rows.

    A multi-row INSERT ... RETURNING promises no order on PostgreSQL: there the ids are taken
    from the table's sequence first, then written with the rows, so each row keeps its own.
    """
    if not rows:
        return []
    if not is_postgres():
        return [int(i) for i in await insert_many(table, rows, returning=table._meta.primary_key)]
    found = await table.raw(
        "SELECT nextval(pg_get_serial_sequence({}, 'id')) AS id FROM generate_series(1, {})",
        table._meta.tablename,
        len(rows),
    )
    ids = [int(r["id"]) for r in found]
    await insert_many(table, [{**row, "id": i} for row, i in zip(rows, ids, strict=True)])
    return ids
