"""How fast the audit trail takes appends (no lock: one INSERT each), seals and verifies itself.

    python -m bench.audit_chain            # SQLite in a temporary file, and PostgreSQL if reachable

Prints appends per second, sequential and from 10 concurrent tasks, entries sealed per second
(the `audit.seal` job chaining them) and entries verified per second. Every victim-data read
appends one entry; the chain is built by the sealer, off the request path.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid

import asyncpg

from perp_track import db
from perp_track.audit import services as audit
from perp_track.audit.rules import Action
from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import SystemClock
from perp_track.config import load_settings

ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
N = int(os.environ.get("BENCH_AUDIT_N", "1000"))
ACTOR = ActingUser(
    id=1, email="a@b.example", full_name="A", role=Role.SUPERVISOR, organisation_id=1, language="fr"
)


def _migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "ENV": "test"}
    subprocess.run(
        [sys.executable, "-m", "perp_track.cli", "migrate"],
        env=env,
        check=True,
        capture_output=True,
    )


async def _append(i: int) -> None:
    await audit.append(
        actor=ACTOR,
        action=Action.READ,
        record_type="person:victim",
        record_id=i,
        case_id=i,
        person_id=i,
        fields=["phone", "address"],
        now=SystemClock().now(),
    )


async def _measure(url: str, label: str) -> None:
    settings = load_settings(env="test", database_url=url)
    engine = db.use_engine(db.make_engine(settings))
    await db.start(engine, 10)
    try:
        started = time.perf_counter()
        for i in range(N):
            await _append(i)
        sequential = N / (time.perf_counter() - started)
        started = time.perf_counter()
        queue = iter(range(N))

        async def worker() -> None:
            for i in queue:
                await _append(i)

        await asyncio.gather(*(worker() for _ in range(10)))
        concurrent = N / (time.perf_counter() - started)
        started = time.perf_counter()
        sealed_n = await audit.seal()
        sealed = sealed_n / (time.perf_counter() - started)
        assert sealed_n == 2 * N
        started = time.perf_counter()
        check = await audit.verify_chain(actor=ACTOR)
        verified = check.checked / (time.perf_counter() - started)
        assert check.intact
        assert check.checked == 2 * N
        print(
            f"{label:<10} appends/s sequential {sequential:7.0f}   10 concurrent {concurrent:7.0f}"
            f"   sealed/s {sealed:8.0f}   verified/s {verified:8.0f}"
            f"   ({2 * N} entries, chain intact)"
        )
    finally:
        await db.stop(engine)


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        _migrate(url)
        await _measure(url, "SQLite")
    name = f"perp_track_bench_{uuid.uuid4().hex[:8]}"
    try:
        conn = await asyncpg.connect(ADMIN_URL)
    except (OSError, asyncpg.PostgresError) as exc:
        print(f"PostgreSQL   skipped ({exc})")
        return
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
        url = f"{ADMIN_URL.rsplit('/', 1)[0]}/{name}"
        _migrate(url)
        await _measure(url, "PostgreSQL")
    finally:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()


if __name__ == "__main__":
    asyncio.run(main())
