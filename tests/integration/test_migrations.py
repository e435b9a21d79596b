"""The migrations run forwards and backwards on both databases and match the tables."""

import asyncio
import os
import uuid

import asyncpg
import pytest
from piccolo.apps.migrations.commands.new import AutoMigrationManager

from perp_track.piccolo_app import APP_CONFIG
from tests.conftest import ADMIN_URL, SKIP_POSTGRES, _postgres_url, migrate


async def test_the_migrations_match_the_tables(monkeypatch, tmp_path):
    monkeypatch.setenv("PICCOLO_CONF", "perp_track.piccolo_conf")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/diff.sqlite3")
    statements = await AutoMigrationManager().get_alter_statements(app_config=APP_CONFIG)
    pending = [s for group in statements for s in group.statements]
    assert pending == [], "tables changed without a migration: piccolo migrations new --auto"


def _roundtrip(url: str) -> None:
    for args in ((), ("--backwards", "all"), ()):
        result = migrate(url, *args)
        assert result.returncode == 0, result.stdout + result.stderr


def test_sqlite_forwards_backwards_forwards(tmp_path):
    _roundtrip(f"sqlite:///{tmp_path}/roundtrip.sqlite3")


@pytest.mark.skipif(SKIP_POSTGRES, reason="SKIP_POSTGRES=1")
def test_postgres_forwards_backwards_forwards():
    name = f"perp_track_mig_{os.getpid()}_{uuid.uuid4().hex[:6]}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(ADMIN_URL)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        _roundtrip(_postgres_url(name))
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
