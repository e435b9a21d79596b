"""Test fixtures: every database test runs on SQLite and on PostgreSQL.

Each backend gets one database migrated by the real `perp-track migrate` at the start of the
session. SQLite tests each get a copy of that file; PostgreSQL tests share one database that is
truncated after every test. PostgreSQL is required unless SKIP_POSTGRES=1 is set (CI never sets
it, so there a PostgreSQL test fails rather than skips).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import pytest
from argon2 import PasswordHasher
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
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    result = migrate(f"sqlite:///{path}")
    assert result.returncode == 0, result.stdout + result.stderr
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
    url = _postgres_url(name)
    result = await asyncio.to_thread(migrate, url)
    assert result.returncode == 0, result.stdout + result.stderr
    yield url
    await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
async def postgres_engine(postgres_url: str) -> AsyncIterator[PostgresEngine]:
    settings = load_settings(env="test", database_url=postgres_url)
    engine = db.make_engine(settings)
    assert isinstance(engine, PostgresEngine)
    await engine.start_connection_pool(min_size=1, max_size=10)
    yield engine
    await engine.close_connection_pool()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def engine(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> SQLiteEngine | PostgresEngine:
    """The backend's engine, pointed at by every table. Use `database` for an emptied one."""
    if backend == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copy(sqlite_template, path)
        return db.use_engine(SQLiteEngine(path=str(path), timeout=30))  # type: ignore[return-value]
    # A sync fixture may pull the async session fixture: no event loop is running here.
    pg: PostgresEngine = request.getfixturevalue("postgres_engine")
    return db.use_engine(pg)  # type: ignore[return-value]


@pytest.fixture
async def database(engine: SQLiteEngine | PostgresEngine) -> SQLiteEngine | PostgresEngine:
    """An empty, migrated database: SQLite is a fresh copy; PostgreSQL is truncated."""
    if isinstance(engine, PostgresEngine):
        names = ", ".join(f'"{t._meta.tablename}"' for t in db.tables())
        await engine.run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    return engine


@pytest.fixture
def settings(engine: SQLiteEngine | PostgresEngine, tmp_path: Path) -> Settings:
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
