"""National-scale data for the caseload benchmark, loaded into PostgreSQL with COPY.

    python -m bench.generate --database perp_track_bench            # 200k / 1M / 10M
    python -m bench.generate --database perp_track_bench --scale 0.1

Creates (or recreates) the database, runs the real migrations, then COPYs organisations, users,
people, cases, measures and summons ("sessions": the appointments a justice assistant keeps).
Secondary indexes of the big tables are dropped during the load and rebuilt after it, as a
bulk load should; the schema that results is exactly the migrated one.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
HOUSES = 28  # Belgium's justice houses
KINDS = [
    ("mediation_216ter", 0.30),
    ("release_under_conditions", 0.15),
    ("probation", 0.30),
    ("autonomous_probation", 0.10),
    ("temporary_residence_ban", 0.15),
]
IN_FORCE = ["active"] * 12 + ["extended", "suspended", "non_compliance_reported", "assigned"]
CLOSED = ["completed", "completed", "failed", "expired", "lifted"]
PAST_OUTCOMES = (
    ["attended"] * 14
    + ["late"] * 2
    + ["absent_valid_reason", "absent_no_valid_reason", "did_not_take_place"]
    + ["rescheduled", "cancelled"]
)
RISKS = ["low", "medium", "medium", "high", "high", "severe"]
# Not a usable credential: no password verifies against it, so nobody can log in as these.
PASSWORD_HASH = "$argon2id$v=19$m=65536,t=3,p=4$YmVuY2g$bench-not-a-real-hash"  # noqa: S105
BATCH = 100_000


def url_of(name: str) -> str:
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def pick_kind(rng: random.Random) -> str:
    x = rng.random()
    for kind, share in KINDS:
        if x < share:
            return kind
        x -= share
    return KINDS[-1][0]


async def copy(
    conn: asyncpg.Connection, table: str, columns: Sequence[str], rows: Iterator[tuple]
) -> int:
    total = 0
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            await conn.copy_records_to_table(table, records=batch, columns=list(columns))
            total += len(batch)
            batch = []
    if batch:
        await conn.copy_records_to_table(table, records=batch, columns=list(columns))
        total += len(batch)
    return total


async def secondary_indexes(
    conn: asyncpg.Connection, tables: Sequence[str]
) -> list[tuple[str, str]]:
    rows = await conn.fetch(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           JOIN pg_class c ON c.relname = i.indexname JOIN pg_index x ON x.indexrelid = c.oid
           WHERE i.tablename = ANY($1::text[]) AND NOT x.indisprimary AND NOT x.indisunique""",
        list(tables),
    )
    return [(r["indexname"], r["indexdef"]) for r in rows]


async def generate(database: str, scale: float, seed: int, now: datetime) -> dict[str, Any]:
    rng = random.Random(seed)
    n_cases = int(200_000 * scale)
    measures_per_case = 5
    summons_per_case = 50
    n_jas = max(HOUSES, int(1_000 * scale))
    today = now.date()

    admin = await asyncpg.connect(ADMIN_URL)
    await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{database}"')
    await admin.close()
    env = {**os.environ, "DATABASE_URL": url_of(database)}
    await asyncio.to_thread(
        subprocess.run,  # our own CLI, fixed arguments
        [sys.executable, "-m", "perp_track.cli", "migrate"],
        env=env,
        check=True,
        capture_output=True,
    )
    conn = await asyncpg.connect(url_of(database))
    # The rows are generated consistent; checking each foreign key row by row would triple the
    # load time. 'replica' skips those triggers for this session only (needs a superuser).
    await conn.execute("SET session_replication_role = replica")
    figures: dict[str, Any] = {"cases": n_cases}
    started = time.perf_counter()
    big = ["person", "dv_case", "measure", "summons"]
    dropped = await secondary_indexes(conn, big)
    for name, _ in dropped:
        await conn.execute(f'DROP INDEX "{name}"')

    created = now - timedelta(days=800)
    orgs = [
        (i + 1, f"Maison de justice {i + 1}", "justice_house", f"JH{i + 1:02d}", "fr", created)
        for i in range(HOUSES)
    ]
    orgs.append((HOUSES + 1, "Praxis", "programme_provider", None, "fr", created))
    orgs.append((HOUSES + 2, "Zone de police", "police_zone", "5277", "fr", created))
    await copy(
        conn, "organisation", ["id", "name", "kind", "code", "language", "created_at"], iter(orgs)
    )

    users = [
        (
            i + 1,
            f"ja{i + 1}@bench.example",
            f"Justice Assistant {i + 1}",
            "justice_assistant",
            i % HOUSES + 1,
            PASSWORD_HASH,
            "fr",
            True,
            created,
        )
        for i in range(n_jas)
    ]
    officer_id = n_jas + 1
    users.append(
        (
            officer_id,
            "officer@bench.example",
            "Officer",
            "police_officer",
            HOUSES + 2,
            PASSWORD_HASH,
            "fr",
            True,
            created,
        )
    )
    await copy(
        conn,
        "app_user",
        [
            "id",
            "email",
            "full_name",
            "role",
            "organisation",
            "password_hash",
            "language",
            "active",
            "created_at",
        ],
        iter(users),
    )
    jas_by_house: dict[int, list[int]] = {}
    for u in users[:-1]:
        jas_by_house.setdefault(u[4], []).append(u[0])

    surnames = [
        "Dubois",
        "Peeters",
        "Janssens",
        "Maes",
        "Lambert",
        "Dupont",
        "Claes",
        "Martin",
        "Wouters",
        "Renard",
    ]
    firsts = [
        "Marc",
        "Kevin",
        "Thomas",
        "Youssef",
        "Bart",
        "Stefan",
        "Olivier",
        "Nicolas",
        "Dimitri",
        "Luc",
    ]

    def people() -> Iterator[tuple]:
        for i in range(n_cases):
            yield (
                i + 1,
                "perpetrator",
                rng.choice(firsts),
                f"{rng.choice(surnames)}{i % 997}",
                "fr",
                created,
            )

    t = time.perf_counter()
    await copy(
        conn,
        "person",
        ["id", "role", "first_name", "last_name", "language", "created_at"],
        people(),
    )
    figures["people_s"] = time.perf_counter() - t

    case_open: list[bool] = []

    def cases() -> Iterator[tuple]:
        for i in range(n_cases):
            house = i % HOUSES + 1
            is_open = rng.random() < 0.6
            case_open.append(is_open)
            opened = now - timedelta(days=rng.randint(1, 730))
            yield (
                i + 1,
                f"JH{house:02d}-{opened.year}-{i + 1:06d}",
                house,
                "prosecutor",
                officer_id,
                rng.choice(jas_by_house[house]),
                i + 1,
                rng.choice(RISKS),
                "fr",
                "",
                "open" if is_open else "closed",
                opened,
                None if is_open else opened + timedelta(days=300),
                users[0][0],
                1,
            )

    t = time.perf_counter()
    await copy(
        conn,
        "dv_case",
        [
            "id",
            "reference",
            "justice_house",
            "mandating_authority",
            "referring_officer",
            "assigned_ja",
            "perpetrator",
            "risk_level",
            "language",
            "summary",
            "status",
            "opened_at",
            "closed_at",
            "created_by",
            "version",
        ],
        cases(),
    )
    figures["cases_s"] = time.perf_counter() - t

    def measures() -> Iterator[tuple]:
        mid = 0
        for i in range(n_cases):
            for _ in range(measures_per_case):
                mid += 1
                kind = pick_kind(rng)
                starts = today - timedelta(days=rng.randint(0, 700))
                length = (
                    14
                    if kind == "temporary_residence_ban"
                    else 91
                    if kind == "release_under_conditions"
                    else 365 * 2
                )
                ends = starts + timedelta(days=length)
                if case_open[i] and rng.random() < 0.5:
                    status = rng.choice(IN_FORCE)
                    if ends < today:  # keep in-force measures mostly running
                        ends = today + timedelta(days=rng.randint(0, length))
                else:
                    status = rng.choice(CLOSED)
                due = None
                if status in IN_FORCE and kind != "temporary_residence_ban":
                    due = today + timedelta(days=rng.randint(-20, 180))
                yield (
                    mid,
                    i + 1,
                    kind,
                    status,
                    "Parquet",
                    starts,
                    starts,
                    ends,
                    ends,
                    "",
                    now,
                    now,
                    1,
                    due,
                )

    t = time.perf_counter()
    figures["measures"] = await copy(
        conn,
        "measure",
        [
            "id",
            "case",
            "kind",
            "status",
            "decided_by",
            "decided_on",
            "starts_on",
            "ends_on",
            "original_ends_on",
            "notes",
            "created_at",
            "updated_at",
            "version",
            "next_report_due",
        ],
        measures(),
    )
    figures["measures_s"] = time.perf_counter() - t

    def summons() -> Iterator[tuple]:
        sid = 0
        for i in range(n_cases):
            first_measure = i * measures_per_case + 1
            for k in range(summons_per_case):
                sid += 1
                # Spread over the past two years; open cases keep a couple of future ones.
                if case_open[i] and k >= summons_per_case - 2:
                    when = now + timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 8))
                    status = "scheduled"
                else:
                    when = now - timedelta(days=rng.randint(1, 730), hours=rng.randint(0, 8))
                    # About 1 in 400 past summons was never recorded (the caseload's overdue).
                    status = (
                        "scheduled"
                        if case_open[i] and rng.random() < 0.0025
                        else rng.choice(PAST_OUTCOMES)
                    )
                yield (
                    sid,
                    i + 1,
                    first_measure + k % measures_per_case,
                    when,
                    45,
                    "in_person",
                    "Rue de la Justice 1",
                    "fr",
                    "",
                    status,
                    users[0][0],
                    when,
                    when,
                    1,
                )

    t = time.perf_counter()
    figures["summons"] = await copy(
        conn,
        "summons",
        [
            "id",
            "case",
            "measure",
            "scheduled_at",
            "duration_minutes",
            "modality",
            "place",
            "language",
            "purpose",
            "status",
            "created_by",
            "created_at",
            "updated_at",
            "version",
        ],
        summons(),
    )
    figures["summons_s"] = time.perf_counter() - t

    t = time.perf_counter()
    for _, ddl in dropped:
        await conn.execute(ddl)
    for table in ["organisation", "app_user", *big]:
        await conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )
    await conn.execute("VACUUM ANALYZE")
    figures["indexes_s"] = time.perf_counter() - t
    figures["total_s"] = time.perf_counter() - started
    figures["jas"] = n_jas
    await conn.close()
    return figures


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default="perp_track_bench")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1.0 = 200k cases, 1M measures, 10M summons"
    )
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    now = datetime.now(UTC).replace(microsecond=0)
    figures = asyncio.run(generate(args.database, args.scale, args.seed, now))
    for key, value in figures.items():
        print(f"{key:>14}: {value:,.1f}" if isinstance(value, float) else f"{key:>14}: {value:,}")


if __name__ == "__main__":
    main()
