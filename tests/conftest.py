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

# ruff: noqa: S608 - the SQL here names tables and columns read from the catalog, quoted.
from __future__ import annotations

import asyncio
import copy
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import closing
from dataclasses import dataclass, fields, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import asyncpg
import pytest
from argon2 import PasswordHasher
from hypothesis import settings as hypothesis_settings
from litestar import Litestar
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from perp_track import db
from perp_track.auth import rules as auth_rules
from perp_track.clock import FrozenClock
from perp_track.config import Settings, load_settings

if TYPE_CHECKING:
    from tests.world import World

BRUSSELS = ZoneInfo("Europe/Brussels")

# Property tests check behaviour, not speed: no per-example time limit, which three test workers
# on two CPUs would trip at random (timings belong in bench/).
hypothesis_settings.register_profile("perp-track", deadline=None)
hypothesis_settings.load_profile("perp-track")

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
WORLD_SCHEMA = "perp_track_test_world"
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
    statements = ["SET LOCAL session_replication_role = replica"]
    statements += [f"DELETE FROM {_quoted(t)}" for t in tables]
    seeded = [t for t in tables if await conn.fetchval(f"SELECT EXISTS (SELECT FROM {_quoted(t)})")]
    if seeded:
        seed = _quoted(SEED_SCHEMA)
        await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {seed}")
        for t in seeded:
            copy = f"CREATE TABLE {seed}.{_quoted(t)} AS SELECT * FROM {_quoted(t)}"
            await conn.execute(copy)
            statements.append(
                f"INSERT INTO {_quoted(t)} OVERRIDING SYSTEM VALUE"
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
        try:
            await conn.execute("SET session_replication_role = replica; RESET ALL")
        except asyncpg.InsufficientPrivilegeError:
            # Not a superuser: triggers and foreign keys stay on, TRUNCATE it is (slower).
            names = ", ".join(_quoted(t._meta.tablename) for t in db.tables())
            _RESETS[id(engine)] = f"TRUNCATE {names} RESTART IDENTITY CASCADE"
        else:
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


@dataclass
class _Snapshot:
    """The world as built once on a backend: its rows, to be put back for the next test."""

    at: datetime
    world: World
    source: Path | None = None  # SQLite: a copy of the file
    restore: str = ""  # PostgreSQL: one statement


async def _tables(engine: SQLiteEngine | PostgresEngine) -> list[str]:
    if isinstance(engine, SQLiteEngine):
        sql = (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            f" AND name <> '{MIGRATION_TABLE}' ORDER BY name"
        )
        return [r["name"] for r in await engine.run_ddl(sql)]
    sql = (
        "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
        f" AND tablename <> '{MIGRATION_TABLE}' ORDER BY tablename"
    )
    return [r["name"] for r in await engine.run_ddl(sql)]


async def _is_empty(engine: SQLiteEngine | PostgresEngine) -> bool:
    tables = await _tables(engine)
    probes = " OR ".join(f"EXISTS (SELECT 1 FROM {_quoted(t)})" for t in tables)
    [row] = await engine.run_ddl(f"SELECT ({probes}) AS used")
    return not row["used"]


async def _snapshot(
    engine: SQLiteEngine | PostgresEngine, built: World, at: datetime, scratch: Path
) -> _Snapshot:
    if isinstance(engine, SQLiteEngine):
        source = scratch / f"world-{uuid.uuid4().hex}.sqlite3"
        with (
            closing(sqlite3.connect(engine.path)) as live,
            closing(sqlite3.connect(source)) as copy,
        ):
            live.backup(copy)
        return _Snapshot(at=at, world=built, source=source)
    seed = _quoted(WORLD_SCHEMA)
    statements = ["SET LOCAL session_replication_role = replica"]
    await engine.run_ddl(f"CREATE SCHEMA IF NOT EXISTS {seed}")
    for t in await _tables(engine):
        [row] = await engine.run_ddl(f"SELECT EXISTS (SELECT 1 FROM {_quoted(t)}) AS used")
        if not row["used"]:
            continue
        columns = ", ".join(
            _quoted(r["column_name"])
            for r in await engine.run_ddl(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
                f" AND table_name = '{t}' AND is_generated = 'NEVER' ORDER BY ordinal_position"
            )
        )
        await engine.run_ddl(
            f"CREATE TABLE {seed}.{_quoted(t)} AS SELECT {columns} FROM {_quoted(t)}"
        )
        statements.append(
            f"INSERT INTO {_quoted(t)} ({columns}) OVERRIDING SYSTEM VALUE"
            f" SELECT {columns} FROM {seed}.{_quoted(t)}"
        )
    sequences = await engine.run_ddl(
        "SELECT format('%I.%I', schemaname, sequencename) AS name, last_value"
        " FROM pg_sequences WHERE schemaname = 'public' AND last_value IS NOT NULL"
    )
    if sequences:
        restarts = ", ".join(f"setval('{s['name']}', {s['last_value']}, true)" for s in sequences)
        statements.append(f"SELECT {restarts}")
    return _Snapshot(at=at, world=built, restore=";\n".join(statements))


async def _put_back(engine: SQLiteEngine | PostgresEngine, snapshot: _Snapshot) -> None:
    if isinstance(engine, SQLiteEngine):
        assert snapshot.source is not None
        with (
            closing(sqlite3.connect(snapshot.source)) as copy,
            closing(sqlite3.connect(engine.path)) as live,
        ):
            copy.backup(live)
        return
    async with engine.pool.acquire() as conn, conn.transaction():
        await conn.execute(snapshot.restore)


@pytest.fixture(scope="session")
def _worlds() -> dict[str, _Snapshot]:
    return {}


@pytest.fixture
async def world(
    database: SQLiteEngine | PostgresEngine,
    clock: FrozenClock,
    backend: str,
    scratch: Path,
    _worlds: dict[str, _Snapshot],
) -> World:
    """The organisations and users of tests/world.py on the emptied database.

    Built once per backend; later tests get its rows put back (a copy on SQLite, one statement
    on PostgreSQL) when their clock starts at the same instant and nothing else wrote first.
    """
    from tests.world import build_world

    at = clock.now()
    snapshot = _worlds.get(backend)
    if isinstance(database, PostgresEngine) and _RESETS[id(database)].startswith("TRUNCATE"):
        return await build_world(clock)  # putting rows back needs the superuser's replica role
    if snapshot is not None and snapshot.at == at and await _is_empty(database):
        await _put_back(database, snapshot)
        known = snapshot.world
        return replace(
            known,
            clock=clock,
            orgs=dict(known.orgs),
            **{f.name: copy.copy(getattr(known, f.name)) for f in fields(known)[2:]},
        )
    fresh = snapshot is None and await _is_empty(database)
    built = await build_world(clock)
    if fresh and clock.now() == at:
        _worlds[backend] = await _snapshot(database, built, at, scratch)
    return built


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
