"""The caseload and overdue queries of one justice assistant, at national scale, without a cache.

    python -m bench.generate --database perp_track_bench     # once (see bench/README.md)
    python -m bench.caseload --database perp_track_bench

Calls the real services (perp_track.cases.caseload.services) through the application's own
engine and connection pool, for a sample of justice assistants, and prints p50/p95/p99 in
milliseconds, then EXPLAIN (ANALYZE, BUFFERS) of the queries behind one caseload.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime

from perp_track import db
from perp_track.auth.rules import ActingUser, Role
from perp_track.auth.tables import User
from perp_track.cases.caseload import services as caseload
from perp_track.cases.caseload import views as caseload_views
from perp_track.config import load_settings

from .generate import url_of

TARGET_P95_MS = 25.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


async def timed(work: Callable[[], Awaitable[object]], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        t = time.perf_counter()
        await work()
        out.append((time.perf_counter() - t) * 1000)
    return out


async def run(database: str, sample: int, rounds: int, seed: int) -> bool:
    settings = load_settings(env="test", database_url=url_of(database))
    engine = db.use_engine(db.make_engine(settings))
    await db.start(engine, 4)
    try:
        rows = await User.select(User.id, User.organisation, User.email, User.full_name).where(
            User.role == Role.JUSTICE_ASSISTANT
        )
        rng = random.Random(seed)
        chosen = rng.sample(rows, min(sample, len(rows)))
        actors = [
            ActingUser(
                id=r["id"],
                email=r["email"],
                full_name=r["full_name"],
                role=Role.JUSTICE_ASSISTANT,
                organisation_id=r["organisation"],
                language="fr",
            )
            for r in chosen
        ]
        now = datetime.now(UTC)
        results: dict[str, list[float]] = {"caseload (first page)": [], "overdue": []}
        cpu: dict[str, list[float]] = {name: [] for name in results}
        sizes = []
        for actor in actors:
            page = await caseload.caseload(actor=actor, now=now, settings=settings)  # warm-up
            sizes.append(page.total)
            await caseload.overdue(actor=actor, now=now, settings=settings)
        for _ in range(rounds):
            for actor in actors:
                for name, work in (
                    ("caseload (first page)", caseload.caseload),
                    ("overdue", caseload.overdue),
                ):
                    c = time.process_time()
                    results[name] += await timed(
                        lambda a=actor, w=work: w(actor=a, now=now, settings=settings), 1
                    )
                    cpu[name].append((time.process_time() - c) * 1000)
        load = os.getloadavg()
        print(f"load average while measuring: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        counts = await engine.run_ddl(
            "SELECT (SELECT count(*) FROM dv_case) AS cases, (SELECT count(*) FROM measure)"
            " AS measures, (SELECT count(*) FROM summons) AS summons"
        )
        print(
            f"data: {counts[0]['cases']:,} cases, {counts[0]['measures']:,} measures,"
            f" {counts[0]['summons']:,} summons (sessions)"
        )
        print(
            f"sample: {len(actors)} justice assistants, open cases each: min {min(sizes)},"
            f" median {statistics.median(sizes):.0f}, max {max(sizes)}; {rounds} rounds"
        )
        ok = True
        for name, values in results.items():
            p95 = percentile(values, 95)
            ok = ok and p95 <= TARGET_P95_MS
            print(
                f"{name:<22} n={len(values):>5}  p50 {percentile(values, 50):6.2f} ms"
                f"  p95 {p95:6.2f} ms  p99 {percentile(values, 99):6.2f} ms"
                f"  max {max(values):6.2f} ms  (client CPU p50 {percentile(cpu[name], 50):5.2f} ms)"
                f"  {'OK' if p95 <= TARGET_P95_MS else 'OVER'}"
                f" (target p95 <= {TARGET_P95_MS:.0f} ms)"
            )
        actor = actors[0]
        connection = await engine.get_new_connection()
        try:
            for name, (sql, args) in caseload_views.caseload_sql(actor, None, None).items():
                plan = await connection.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", *args)
                print(f"\n-- {name}: {' '.join(sql.split())}")
                print("\n".join(r["QUERY PLAN"] for r in plan))
        finally:
            await connection.close()
        return ok
    finally:
        await db.stop(engine)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", default="perp_track_bench")
    parser.add_argument("--sample", type=int, default=40, help="justice assistants measured")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    ok = asyncio.run(run(args.database, args.sample, args.rounds, args.seed))
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
