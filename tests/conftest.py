"""Test fixtures: every database test runs on SQLite and on PostgreSQL.

Each backend gets one database migrated by the real `perp-track migrate` at the start of the
session (per pytest-xdist worker). SQLite tests each get a copy of that file, on tmpfs when the
machine has one, with `synchronous=OFF`. PostgreSQL tests share one database whose rows are
deleted and sequences restored before each test that asks for `database` (or `world`): far
cheaper than TRUNCATE, which makes new files for every table and index. The app is built once
per backend and rebound to each test's settings, clock and engine (`perp_track.app.rebind`).
PostgreSQL is required unless SKIP_POSTGRES=1 is set (CI never sets it, so there a PostgreSQL
test fails rather than skips).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import pytest
from argon2 import PasswordHasher
from litestar import Litestar
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from perp_track import db
from perp_track.auth import rules as auth_rules
from perp_track.clock import FrozenClock
from perp_track.config import Settings, load_settings

BRUSSELS = ZoneInfo("Europe/Brussels")

# Still Argon2id, with the cheapest parameters: the tests check behaviour, not hashing cost.
auth_rules.use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
SKIP_POSTGRES = os.environ.get("SKIP_POSTGRES") == "1"
BACKENDS = ["sqlite"] if SKIP_POSTGRES else ["sqlite", "postgres"]
# The SQLite test databases live in memory-backed files when the machine has them.
TMPFS = Path("/dev/shm")
# Piccolo's own record of the migrations run: the one table a reset leaves alone.
MIGRATION_TABLE = "migration"
SEED_SCHEMA = "perp_track_test_seed"
# Each PostgreSQL engine's reset statement, made once per session.
_RESETS: dict[int, str] = {}


def migrate(database_url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "ENV": "test"}
    return subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
        [sys.executable, "-m", "perp_track.cli", "migrate", *extra],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def _postgres_url(name: str) -> str:
    base = ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}"


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(ADMIN_URL)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder for this session's throw-away databases: on tmpfs if there is one."""
    if TMPFS.is_dir() and os.access(TMPFS, os.W_OK):
        folder = Path(tempfile.mkdtemp(prefix="perp-track-tests-", dir=TMPFS))
        yield folder
        shutil.rmtree(folder, ignore_errors=True)
    else:
        yield tmp_path_factory.mktemp("scratch")


@pytest.fixture(scope="session")
def sqlite_template(scratch: Path) -> Path:
    path = scratch / "template.sqlite3"
    result = migrate(f"sqlite:///{path}")
    assert result.returncode == 0, result.stdout + result.stderr
    # Everything in the main file, so that a copy of that file alone is the whole database.
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    return path


@pytest.fixture(scope="session")
async def postgres_url() -> AsyncIterator[str]:
    if SKIP_POSTGRES:
        pytest.skip("SKIP_POSTGRES=1")
    name = f"perp_track_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        await _admin(f'CREATE DATABASE "{name}"')
    except (OSError, asyncpg.PostgresError) as exc:
        pytest.fail(f"PostgreSQL is required for the tests ({ADMIN_URL}): {exc}")
    # A throw-away database: a commit need not wait for its log to reach the disk.
    await _admin(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    url = _postgres_url(name)
    result = await asyncio.to_thread(migrate, url)
    assert result.returncode == 0, result.stdout + result.stderr
    yield url
    await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def _reset_statement(conn: asyncpg.Connection) -> str:
    """SQL that brings the migrated database back to how the migrations left it, in one trip.

    Every row goes (DELETE with triggers and foreign keys off: the audit trail refuses deletes,
    and order does not matter); rows a migration wrote come back from a copy; every sequence
    goes back to where the migrations left it.
    """
    tables = [
        r["tablename"]
        for r in await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> $1"
            " ORDER BY tablename",
            MIGRATION_TABLE,
        )
    ]
    # Names from the catalog, quoted; no value from outside.
    statements = ["SET LOCAL session_replication_role = replica"]
    statements += [f"DELETE FROM {_quoted(t)}" for t in tables]  # noqa: S608
    seeded = [
        t
        for t in tables
        if await conn.fetchval(f"SELECT EXISTS (SELECT FROM {_quoted(t)})")  # noqa: S608
    ]
    if seeded:
        seed = _quoted(SEED_SCHEMA)
        await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {seed}")
        for t in seeded:
            copy = f"CREATE TABLE {seed}.{_quoted(t)} AS SELECT * FROM {_quoted(t)}"  # noqa: S608
            await conn.execute(copy)
            statements.append(
                f"INSERT INTO {_quoted(t)} OVERRIDING SYSTEM VALUE"  # noqa: S608
                f" SELECT * FROM {seed}.{_quoted(t)}"
            )
    sequences = await conn.fetch(
        "SELECT format('%I.%I', schemaname, sequencename) AS name, start_value, last_value"
        " FROM pg_sequences WHERE schemaname = 'public'"
    )
    if sequences:
        restarts = ", ".join(
            f"setval('{s['name']}', {s['start_value']}, false)"
            if s["last_value"] is None
            else f"setval('{s['name']}', {s['last_value']}, true)"
            for s in sequences
        )
        statements.append(f"SELECT {restarts}")
    return ";\n".join(statements)


@pytest.fixture(scope="session")
async def postgres_engine(postgres_url: str) -> AsyncIterator[PostgresEngine]:
    settings = load_settings(env="test", database_url=postgres_url)
    engine = db.make_engine(settings)
    assert isinstance(engine, PostgresEngine)
    await engine.start_connection_pool(min_size=1, max_size=10)
    async with engine.pool.acquire() as conn:
        _RESETS[id(engine)] = await _reset_statement(conn)
    yield engine
    await engine.close_connection_pool()
    _RESETS.pop(id(engine), None)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def engine(
    backend: str, request: pytest.FixtureRequest, scratch: Path, sqlite_template: Path
) -> Iterator[SQLiteEngine | PostgresEngine]:
    """The backend's engine, pointed at by every table. Use `database` for an emptied one."""
    if backend == "sqlite":
        path = scratch / f"{uuid.uuid4().hex}.sqlite3"
        shutil.copy(sqlite_template, path)
        # A throw-away copy: no commit waits for the disk.
        yield db.use_engine(db.sqlite_engine(path, synchronous="OFF"))  # type: ignore[misc]
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        return
    # A sync fixture may pull the async session fixture: no event loop is running here.
    pg: PostgresEngine = request.getfixturevalue("postgres_engine")
    yield db.use_engine(pg)  # type: ignore[misc]


@pytest.fixture
async def database(engine: SQLiteEngine | PostgresEngine) -> SQLiteEngine | PostgresEngine:
    """An empty, migrated database: SQLite is a fresh copy; PostgreSQL is emptied."""
    if isinstance(engine, PostgresEngine):
        async with engine.pool.acquire() as conn, conn.transaction():
            await conn.execute(_RESETS[id(engine)])
    return engine


@pytest.fixture
def settings(engine: SQLiteEngine | PostgresEngine) -> Settings:
    if isinstance(engine, SQLiteEngine):
        url = f"sqlite:///{engine.path}"
    else:
        cfg = engine.config
        user = cfg.get("user", "postgres")
        url = f"postgresql://{user}@{cfg['host']}:{cfg['port']}/{cfg['database']}"
    return load_settings(env="test", database_url=url, public_base_url="https://perp-track.test")


@pytest.fixture
def clock() -> FrozenClock:
    """A Monday morning in Brussels; tests move it by hand."""
    return FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=BRUSSELS))


@pytest.fixture
async def world(database: SQLiteEngine | PostgresEngine, clock: FrozenClock):
    # On the emptied database: PostgreSQL is shared by every test of the session.
    from tests.world import build_world

    return await build_world(clock)


@pytest.fixture(scope="session")
def _apps() -> dict[str, Litestar]:
    return {}


@pytest.fixture
def app(world, settings: Settings, engine, backend: str, _apps: dict[str, Litestar]) -> Litestar:  # type: ignore[no-untyped-def]
    """The app on this test's database, settings and world clock.

    Built once per backend (building it costs seconds) and rebound to each test; a test that
    needs what only create_app fixes (production settings, say) builds its own.
    """
    from perp_track.app import create_app, rebind

    built = _apps.get(backend)
    if built is None:
        built = _apps[backend] = create_app(settings, clock=world.clock, engine=engine)
    return rebind(built, settings=settings, clock=world.clock, engine=engine)
