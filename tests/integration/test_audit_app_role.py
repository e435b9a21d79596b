"""With DATABASE_APP_ROLE set, the migration leaves that role unable to change the trail."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid

import asyncpg
import pytest

from tests.conftest import SKIP_POSTGRES, _admin, _postgres_url

pytestmark = pytest.mark.skipif(SKIP_POSTGRES, reason="SKIP_POSTGRES=1")


def _migrate(url: str, role: str, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "ENV": "test", "DATABASE_APP_ROLE": role}
    return subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
        [sys.executable, "-m", "perp_track.cli", "migrate", *extra],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


async def test_the_app_role_may_add_to_the_trail_but_not_change_it() -> None:
    suffix = uuid.uuid4().hex[:8]
    name, role = f"perp_track_role_{suffix}", f"perp_app_{suffix}"
    await _admin(f'CREATE DATABASE "{name}"')
    await _admin(f'CREATE ROLE "{role}" NOLOGIN')
    url = _postgres_url(name)
    try:
        result = await asyncio.to_thread(_migrate, url, role)
        assert result.returncode == 0, result.stdout + result.stderr
        conn = await asyncpg.connect(url)
        try:
            rights = {
                privilege: await conn.fetchval(
                    "SELECT has_table_privilege($1, 'audit_entry', $2)", role, privilege
                )
                for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")
            }
            sealing = {
                column: await conn.fetchval(
                    "SELECT has_column_privilege($1, 'audit_entry', $2, 'UPDATE')", role, column
                )
                for column in ("chain_seq", "prev_hash", "entry_hash", "detail", "actor_id")
            }
        finally:
            await conn.close()
        # The sealer, running as the application, writes the chain columns and nothing else.
        assert sealing == {
            "chain_seq": True,
            "prev_hash": True,
            "entry_hash": True,
            "detail": False,
            "actor_id": False,
        }
        assert rights == {
            "SELECT": True,
            "INSERT": True,
            "UPDATE": False,
            "DELETE": False,
            "TRUNCATE": False,
        }
        back = await asyncio.to_thread(_migrate, url, role, "--backwards", "all")
        assert back.returncode == 0, back.stdout + back.stderr
    finally:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await _admin(f'DROP ROLE IF EXISTS "{role}"')
