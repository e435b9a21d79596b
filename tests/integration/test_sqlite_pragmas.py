"""SQLite as the app opens it: write-ahead log, busy timeout, and full sync outside the tests."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from perp_track import db
from perp_track.config import load_settings
from perp_track.orgs.rules import OrgKind
from perp_track.orgs.services import create_organisation
from perp_track.orgs.tables import Organisation


async def _pragma(engine, name: str):  # type: ignore[no-untyped-def]
    [row] = await engine.run_ddl(f"PRAGMA {name}")
    return next(iter(row.values()))


async def test_the_app_opens_sqlite_in_wal_mode_with_a_busy_timeout_and_full_sync(tmp_path: Path):
    settings = load_settings(env="test", database_url=f"sqlite:///{tmp_path}/app.sqlite3")
    engine = db.make_engine(settings)
    assert await _pragma(engine, "journal_mode") == "wal"
    assert await _pragma(engine, "busy_timeout") == db.SQLITE_BUSY_TIMEOUT_MS
    assert await _pragma(engine, "synchronous") == 2  # FULL
    assert await _pragma(engine, "foreign_keys") == 1
    # The mode is written in the file: any other program opening it finds the log.
    with sqlite3.connect(tmp_path / "app.sqlite3") as other:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    other.close()


async def test_test_copies_skip_the_sync_and_bad_values_are_refused(tmp_path: Path):
    engine = db.sqlite_engine(tmp_path / "t.sqlite3", synchronous="OFF")
    assert await _pragma(engine, "synchronous") == 0
    assert await _pragma(engine, "journal_mode") == "wal"
    with pytest.raises(ValueError, match="synchronous"):
        db.sqlite_engine(tmp_path / "t.sqlite3", synchronous="MAYBE")


async def test_a_write_commits_while_a_read_is_open(database, clock, backend):  # type: ignore[no-untyped-def]
    """In WAL mode a writer does not wait for readers, and a reader keeps its snapshot (with the
    rollback journal the commit would wait for the read to end, up to the busy timeout)."""
    if backend != "sqlite":
        pytest.skip("SQLite's journal mode")
    await create_organisation(name="MJ Namur", kind=OrgKind.JUSTICE_HOUSE, clock=clock)
    reader = sqlite3.connect(database.path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM organisation").fetchone()[0] == 1
        await asyncio.wait_for(
            create_organisation(name="JH Gent", kind=OrgKind.JUSTICE_HOUSE, clock=clock),
            timeout=5,
        )
        assert reader.execute("SELECT count(*) FROM organisation").fetchone()[0] == 1
        reader.execute("COMMIT")
        assert reader.execute("SELECT count(*) FROM organisation").fetchone()[0] == 2
    finally:
        reader.close()
    assert len(await Organisation.select(Organisation.id)) == 2
