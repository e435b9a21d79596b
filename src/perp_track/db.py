"""The database engine: made from DATABASE_URL, shared by every table, swappable in tests."""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Mapping, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
from piccolo.columns import JSON, JSONB, Column
from piccolo.columns.defaults.base import Default
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table

from perp_track.config import Settings

_engine: Engine | None = None
T = TypeVar("T")


# Database drivers log every statement with its parameters at DEBUG: names, phone numbers,
# addresses. Whatever LOG_LEVEL says, they log warnings and errors only.
DRIVER_LOGGERS = ("aiosqlite", "asyncpg", "piccolo")


def quiet_drivers() -> None:
    for name in DRIVER_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


# SQLite: write-ahead log, so readers never wait for the writer and a commit is one append;
# a busy writer makes others wait up to BUSY_TIMEOUT_MS rather than fail at once. FULL keeps
# every commit on disk through a power cut. The log lives beside the file (`-wal`, `-shm`):
# copy the database with `sqlite3 FILE ".backup COPY"` (or the backup API), never the file alone.
SQLITE_BUSY_TIMEOUT_MS = 30_000
SQLITE_SYNCHRONOUS = ("FULL", "NORMAL", "OFF")


def _sqlite_connection(synchronous: str) -> type[sqlite3.Connection]:
    """The connection class Piccolo opens for each query: our pragmas on every connection."""
    pragmas = (
        f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}",
        f"PRAGMA synchronous = {synchronous}",
    )

    class Connection(sqlite3.Connection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            for pragma in pragmas:
                self.execute(pragma)

    return Connection


def sqlite_engine(path: Path | str, *, synchronous: str = "FULL") -> SQLiteEngine:
    """An engine on this SQLite file, switched to write-ahead logging (it stays so on disk).

    `synchronous="OFF"` is for throw-away test databases only: a crash may lose commits.
    """
    if synchronous not in SQLITE_SYNCHRONOUS:
        raise ValueError(f"synchronous must be one of {', '.join(SQLITE_SYNCHRONOUS)}")
    with sqlite3.connect(str(path), timeout=SQLITE_BUSY_TIMEOUT_MS / 1000) as connection:
        mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    connection.close()
    if str(mode).lower() != "wal" and str(path) != ":memory:":
        raise RuntimeError(f"SQLite refused write-ahead logging on {path} (journal_mode={mode})")
    return SQLiteEngine(
        path=str(path),
        timeout=SQLITE_BUSY_TIMEOUT_MS / 1000,
        factory=_sqlite_connection(synchronous),
    )


def make_engine(settings: Settings) -> Engine:
    quiet_drivers()
    if settings.is_sqlite:
        path: Path = settings.sqlite_path
        path.parent.mkdir(parents=True, exist_ok=True)
        return sqlite_engine(path)
    # A connection that cannot be made in this time is an error, not a hang (every connection:
    # the pool's, a migration's, the outbox listener's).
    config = {**settings.postgres_config, "timeout": settings.database_connect_timeout_seconds}
    return PostgresEngine(config=config, extensions=())


# Every module holding tables (piccolo_app.py's AppConfig finds them here too).
TABLE_MODULES = [
    "perp_track.orgs.tables",
    "perp_track.auth.tables",
    "perp_track.cases.tables",
    "perp_track.measures.tables",
    "perp_track.summons.tables",
    "perp_track.interpreters.tables",
    "perp_track.notify.tables",
    "perp_track.notify.victim_control.tables",
    "perp_track.audit.tables",
    "perp_track.privacy.tables",
    "perp_track.redlist.tables",
    "perp_track.risk.tables",
    "perp_track.jobs.tables",
    "perp_track.ui.tables",
    "perp_track.idempotency.tables",
    "perp_track.evaluations.tables",
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
    box = _committed.get()
    if box is not None and current.current_transaction.get() is None:
        box[0] = True  # the outermost transaction committed


async def _keep_session(connection: Any) -> None:
    """Release a pooled connection without asyncpg's server-side reset (`RESET ALL`,
    `UNLISTEN *`, `CLOSE ALL`, unlocking session locks): one round trip per checkout, for state
    this app never leaves on a pooled connection. Its statements run in transactions, its locks
    are transaction locks, and the outbox listener has a connection of its own. asyncpg still
    rolls back a transaction left open before the connection goes back to the pool."""


class TimedPool:
    """The asyncpg pool, whose acquire() gives up after a time instead of waiting for ever for a
    free connection (Piccolo calls acquire() without a timeout)."""

    def __init__(self, pool: asyncpg.Pool, timeout: float) -> None:
        self._pool = pool
        self._timeout = timeout

    def acquire(self, *, timeout: float | None = None) -> Any:
        return self._pool.acquire(timeout=timeout if timeout is not None else self._timeout)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pool, name)


async def start(engine_: Engine, pool_size: int, settings: Settings | None = None) -> None:
    """Open the PostgreSQL pool. With settings: its statements and waits are bounded
    (DATABASE_STATEMENT_TIMEOUT_SECONDS, DATABASE_POOL_TIMEOUT_SECONDS)."""
    if not isinstance(engine_, PostgresEngine):
        return
    if settings is None:
        await engine_.start_connection_pool(min_size=1, max_size=pool_size, reset=_keep_session)
        return
    statement = settings.database_statement_timeout_seconds
    await engine_.start_connection_pool(
        min_size=1,
        max_size=pool_size,
        # The server stops a statement running longer; the client stops waiting a little
        # later (a database that no longer answers at all never says so).
        command_timeout=statement + 1,
        server_settings={"statement_timeout": str(int(statement * 1000))},
        reset=_keep_session,
    )
    engine_.pool = TimedPool(engine_.pool, settings.database_pool_timeout_seconds)


async def stop(engine_: Engine) -> None:
    if isinstance(engine_, PostgresEngine):
        await engine_.close_connection_pool()


def _forget(task: asyncio.Future[Any]) -> None:
    if not task.cancelled():
        task.exception()  # retrieved: a late failure of an abandoned query is not an error


async def answer_within(work: Awaitable[T], seconds: float | None) -> T:
    """Its result, or TimeoutError after `seconds`: at once, without waiting for the abandoned
    query to be cancelled (with the database silent, that wait has no end of its own)."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if not done:
        task.add_done_callback(_forget)
        task.cancel()
        raise TimeoutError(f"the database did not answer within {seconds} s")
    return task.result()


async def ping(within: float | None = None) -> bool:
    """The database answers `SELECT 1` (within this many seconds, if given)."""
    try:
        rows = await answer_within(engine().run_ddl("SELECT 1 AS ok"), within)
    except Exception:
        return False
    return bool(rows) and rows[0]["ok"] == 1


# Whether the current request committed a write: a failure after it must not say "nothing was
# saved". A mutable box, set by the request's middleware and filled by transaction().
_committed: ContextVar[list[bool] | None] = ContextVar("perp_track_committed", default=None)


def watch_commits() -> list[bool]:
    box = [False]
    _committed.set(box)
    return box


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
