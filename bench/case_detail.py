"""The case file (`GET /api/cases/{id}`'s read) against raw asyncpg doing the same reads.

    python -m bench.case_detail                 # 100 cases, 2,000 reads a side and mode
    python -m bench.case_detail --reads 500     # quicker

Both sides run in this one process against the same PostgreSQL database, one after the other,
in five short rounds, taking turns (so a drift in the machine's load changes the rates, not the
ratio of two blocks run moments apart):

- **app**: `perp_track.cases.views.read_case()` through the application's engine and pool, as
  the controller calls it: scoping, the disclosure-log entries, the response model.
- **raw**: one asyncpg connection, the same statement (the case row with its people, measures
  and conditions, summons and attendance, timeline, and the two disclosure-log entries appended
  by the same statement), its JSON decoded into plain dicts: the floor for those reads.

Each case has 5 measures with a condition each, 50 summons (past ones with their attendance) and
40 timeline entries. Prints reads/s alone and with 8 concurrent readers (the raw side then one
connection per reader), the median ratio app/raw of the rounds beside the target (>= 0.8x), and
the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import asyncpg

from bench.generate import generate, url_of
from perp_track import db
from perp_track.auth.rules import ActingUser, Role
from perp_track.cases import views
from perp_track.config import load_settings

TARGET_RATIO = 0.8
CONCURRENCY = 8
ROUNDS = 5

_ENRICH = [
    # The past summons' attendance, recorded by the case's justice assistant.
    """INSERT INTO attendance ("case", summons, outcome, reason, recorded_by, recorded_at)
       SELECT s."case", s.id, s.status, NULL, c.assigned_ja, s.scheduled_at + interval '1 hour'
       FROM summons s JOIN dv_case c ON c.id = s."case"
       WHERE s.status IN ('attended', 'late', 'absent_valid_reason', 'absent_no_valid_reason',
                          'did_not_take_place')""",
    # A condition per measure: a contact ban naming the person it protects.
    """INSERT INTO measure_condition (measure, kind, status, description, hours_done,
                                     protected_persons, created_at, updated_at, version)
       SELECT m.id, 'contact_ban', 'in_progress', 'No contact with the victim', 0, 'The victim',
              m.created_at, m.updated_at, 1
       FROM measure m""",
    # 40 timeline entries per case, by its justice assistant.
    """INSERT INTO case_event ("case", kind, actor, occurred_at, summary, data)
       SELECT c.id, 'summons_scheduled', c.assigned_ja,
              c.opened_at + make_interval(days => g), 'Summons scheduled',
              json_build_object('n', g)::text::json
       FROM dv_case c CROSS JOIN generate_series(1, 40) AS g""",
    "ANALYZE",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def prepare(database: str, scale: float) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    await generate(database, scale, 2026, now)
    conn = await asyncpg.connect(url_of(database))
    try:
        for sql in _ENRICH:
            await conn.execute(sql)
    finally:
        await conn.close()


def raw_decode(row: asyncpg.Record) -> dict[str, Any]:
    """What a hand-written reader does with the row: the document decoded into plain dicts."""
    out: dict[str, Any] = json.loads(row["doc"])
    return out


async def rate(work: Callable[[int], Awaitable[object]], cases: list[int], reads: int) -> float:
    """Reads per second: `reads` reads in CONCURRENCY=1 (the caller loops) or spread."""
    started = time.perf_counter()
    for i in range(reads):
        await work(cases[i % len(cases)])
    return reads / (time.perf_counter() - started)


async def rate_concurrent(
    works: list[Callable[[int], Awaitable[object]]], cases: list[int], reads: int
) -> float:
    per = reads // len(works)

    async def one(work: Callable[[int], Awaitable[object]], offset: int) -> None:
        for i in range(per):
            await work(cases[(offset + i) % len(cases)])

    started = time.perf_counter()
    await asyncio.gather(*(one(w, k * 7) for k, w in enumerate(works)))
    return per * len(works) / (time.perf_counter() - started)


async def run(database: str, reads: int) -> dict[str, float]:
    url = url_of(database)
    settings = load_settings(env="test", database_url=url)
    engine = db.use_engine(db.make_engine(settings))
    await db.start(engine, CONCURRENCY + 2)
    raw_conns = [await asyncpg.connect(url) for _ in range(CONCURRENCY)]
    try:
        ja = await raw_conns[0].fetchrow(
            "SELECT u.id, u.organisation, u.email, u.full_name FROM app_user u"
            " WHERE u.role = 'justice_assistant' ORDER BY u.id LIMIT 1"
        )
        assert ja is not None
        actor = ActingUser(
            id=ja["id"],
            email=ja["email"],
            full_name=ja["full_name"],
            role=Role.JUSTICE_ASSISTANT,
            organisation_id=ja["organisation"],
            language="fr",
        )
        cases = [
            r["id"]
            for r in await raw_conns[0].fetch(
                "SELECT id FROM dv_case WHERE justice_house = $1 ORDER BY id", actor.organisation_id
            )
        ]
        random.Random(7).shuffle(cases)
        sample = await views.read_case(actor=actor, case_id=cases[0])
        print(
            f"a case file: {len(sample.measures)} measures,"
            f" {sum(len(m.conditions) for m in sample.measures)} conditions,"
            f" {len(sample.summons)} summons,"
            f" {sum(len(s.attendance) for s in sample.summons)} attendance,"
            f" {len(sample.timeline)} timeline entries; {len(cases)} cases read in turn"
        )

        def raw_reader(conn: asyncpg.Connection) -> Callable[[int], Awaitable[object]]:
            async def read(case_id: int) -> object:
                row = await conn.fetchrow(
                    views.CASE_FILE_SQL,
                    *views.case_file_args(actor, case_id, datetime.now(UTC)),
                )
                assert row is not None
                return raw_decode(row)

            return read

        async def app_read(case_id: int) -> object:
            return await views.read_case(actor=actor, case_id=case_id)

        raw_one = raw_reader(raw_conns[0])
        for _ in range(50):  # warm both: prepared statements, pool, caches
            await app_read(cases[0])
            await raw_one(cases[0])
        figures: dict[str, float] = {}
        # Short blocks, the two sides taking turns: the machine's load drifts (it is shared),
        # and a ratio is only fair between blocks run moments apart.
        block = max(reads // ROUNDS, CONCURRENCY)
        for round_ in range(1, ROUNDS + 1):
            figures[f"app alone {round_}"] = await rate(app_read, cases, block)
            figures[f"raw alone {round_}"] = await rate(raw_one, cases, block)
            figures[f"app x{CONCURRENCY} {round_}"] = await rate_concurrent(
                [app_read] * CONCURRENCY, cases, block
            )
            figures[f"raw x{CONCURRENCY} {round_}"] = await rate_concurrent(
                [raw_reader(c) for c in raw_conns], cases, block
            )
        return figures
    finally:
        for conn in raw_conns:
            await conn.close()
        await db.stop(engine)


def report(figures: dict[str, float]) -> list[tuple[str, str, str, bool]]:
    """(what, measured, target, ok) rows: the median of the rounds' ratios, each round's two
    sides run moments apart, and the median rates."""
    rows = []
    for mode in ("alone", f"x{CONCURRENCY}"):
        rounds = range(1, ROUNDS + 1)
        app = [figures[f"app {mode} {r}"] for r in rounds]
        raw = [figures[f"raw {mode} {r}"] for r in rounds]
        ratio = statistics.median(a / b for a, b in zip(app, raw, strict=True))
        rows.append(
            (
                f"case detail, {'one reader' if mode == 'alone' else f'{CONCURRENCY} readers'}",
                f"{statistics.median(app):,.0f} vs raw {statistics.median(raw):,.0f} reads/s,"
                f" ratio {ratio:.2f}x",
                f">= {TARGET_RATIO}x raw",
                ratio >= TARGET_RATIO,
            )
        )
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", default="perp_track_bench_detail")
    parser.add_argument("--scale", type=float, default=0.0005, help="of bench.generate's data")
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--reuse", action="store_true", help="keep the database already made")
    args = parser.parse_args(argv)
    if not args.reuse:
        asyncio.run(prepare(args.database, args.scale))
    figures = asyncio.run(run(args.database, args.reads))
    load = os.getloadavg()
    for name, value in figures.items():
        print(f"{name:<16} {value:9,.0f} reads/s")
    ok = True
    for what, measured, target, good in report(figures):
        ok = ok and good
        print(f"{what:<28} {measured:<36} target {target:<12} {'OK' if good else 'MISSED'}")
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
