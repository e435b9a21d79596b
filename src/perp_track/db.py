"""The database engine: made from DATABASE_URL, shared by every table, swappable in tests."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

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


def tables() -> list[type[Table]]:
    from perp_track.piccolo_app import APP_CONFIG

    return list(APP_CONFIG.table_classes)


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


async def start(engine_: Engine, pool_size: int) -> None:
    if isinstance(engine_, PostgresEngine):
        await engine_.start_connection_pool(min_size=1, max_size=pool_size)


async def stop(engine_: Engine) -> None:
    if isinstance(engine_, PostgresEngine):
        await engine_.close_connection_pool()


async def ping() -> bool:
    try:
        rows = await engine().run_ddl("SELECT 1 AS ok")
    except Exception:
        return False
    return bool(rows) and rows[0]["ok"] == 1
