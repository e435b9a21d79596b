"""N people using `perp-track serve` at once, on PostgreSQL, as people do: a request, then 1-3 s
to read it, then the next.

    python -m bench.load                          # 200 users for 60 s
    python -m bench.load --users 50 --seconds 20  # quicker
    python -m bench.load --reuse                  # keep the database made by the last run

The data comes from `bench.generate` (default scale 0.02: 4,000 cases, 20,000 measures, 200,000
summons over 28 justice assistants, ~85 open cases each). Each user is a justice assistant with a
bearer token of their own (several users share an assistant's account when there are more users
than assistants). The server is the real `perp-track serve` (one web process, as the README
documents; the scheduler on, its default), started fresh for the run.

Each user, after a random 0-3 s start, loops: GET /api/caseload (40 %), GET /api/caseload/overdue
(15 %), GET /api/cases/{id} of one of their cases (35 %), POST /api/cases/{id}/summons, a
write with its timeline entry, notice and audit entry (10 %); then waits 1-3 s.

Prints requests/s, p50/p95/p99 per endpoint, errors, the server's RSS and CPU, the load
generator's own CPU (it shares the machine), and the load average. Target: 0 errors, p99 <= 250 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import os
import random
import secrets
import socket
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import asyncpg

from bench.generate import generate, url_of

TARGET_P99_MS = 250.0
# The README's capacity note: one web process per CPU (this machine has two).
WEB_PROCESSES = 2
MIX = [("caseload", 0.40), ("overdue", 0.15), ("case detail", 0.35), ("schedule summons", 0.10)]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def seed_users(database: str, users: int) -> list[dict[str, Any]]:
    """A bearer token per user, and the open cases of the assistant each one acts as."""
    conn = await asyncpg.connect(url_of(database))
    try:
        jas = await conn.fetch(
            "SELECT id FROM app_user WHERE role = 'justice_assistant' AND active ORDER BY id"
        )
        now = datetime.now(UTC)
        out = []
        cases_of: dict[int, list[int]] = {}
        for i in range(users):
            ja = jas[i % len(jas)]["id"]
            if ja not in cases_of:
                cases_of[ja] = [
                    r["id"]
                    for r in await conn.fetch(
                        "SELECT id FROM dv_case WHERE assigned_ja = $1 AND status = 'open'", ja
                    )
                ]
            token = "pt_" + secrets.token_urlsafe(32)
            await conn.execute(
                'INSERT INTO api_token ("user", token_hash, created_at, expires_at)'
                " VALUES ($1, $2, $3, $4)",
                ja,
                hashlib.sha256(token.encode()).hexdigest(),
                now,
                now + timedelta(days=1),
            )
            out.append({"token": token, "cases": cases_of[ja]})
        return out
    finally:
        await conn.close()


def _tree(pid: int) -> list[int]:
    """A process and its descendants (the web processes under uvicorn's supervisor)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
    return out


def _rss_cpu(pid: int) -> tuple[float, float]:
    """Resident memory (MB) and CPU seconds so far of a process and its children."""
    rss = cpu = 0.0
    for p in _tree(pid):
        with contextlib.suppress(OSError, StopIteration):
            with open(f"/proc/{p}/status") as f:
                rss += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return rss, cpu


async def user_loop(
    session: aiohttp.ClientSession,
    base: str,
    user: dict[str, Any],
    until: float,
    rng: random.Random,
    timings: dict[str, list[float]],
    errors: dict[str, list[str]],
) -> None:
    headers = {"Authorization": f"Bearer {user['token']}"}
    await asyncio.sleep(rng.uniform(0, 3))
    names = [name for name, _ in MIX]
    weights = [w for _, w in MIX]
    while time.monotonic() < until:
        kind = rng.choices(names, weights)[0]
        case_id = rng.choice(user["cases"]) if user["cases"] else None
        if kind in {"case detail", "schedule summons"} and case_id is None:
            kind = "caseload"
        started = time.perf_counter()
        try:
            if kind == "caseload":
                response = await session.get(f"{base}/api/caseload", headers=headers)
            elif kind == "overdue":
                response = await session.get(f"{base}/api/caseload/overdue", headers=headers)
            elif kind == "case detail":
                response = await session.get(f"{base}/api/cases/{case_id}", headers=headers)
            else:
                when = datetime.now(UTC) + timedelta(days=rng.randint(3, 60), hours=2)
                response = await session.post(
                    f"{base}/api/cases/{case_id}/summons",
                    headers=headers,
                    json={
                        "scheduled_at": when.replace(minute=0, second=0, microsecond=0).isoformat(),
                        "place": "Rue de la Justice 1",
                    },
                )
            await response.read()
            elapsed = (time.perf_counter() - started) * 1000
            if response.status >= 400:
                errors[kind].append(f"{response.status}")
            else:
                timings[kind].append(elapsed)
        except (aiohttp.ClientError, TimeoutError) as exc:
            errors[kind].append(type(exc).__name__)
        await asyncio.sleep(rng.uniform(1, 3))


async def drive(base: str, users: list[dict[str, Any]], seconds: float, pid: int) -> dict:
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    rss_peak = 0.0
    async with aiohttp.ClientSession(
        connector=connector, timeout=aiohttp.ClientTimeout(total=30)
    ) as session:
        until = time.monotonic() + seconds
        _, cpu0 = _rss_cpu(pid)
        own0 = time.process_time()
        started = time.perf_counter()
        tasks = [
            asyncio.create_task(
                user_loop(session, base, u, until, random.Random(i), timings, errors)
            )
            for i, u in enumerate(users)
        ]
        while not all(t.done() for t in tasks):
            await asyncio.sleep(1)
            with contextlib.suppress(OSError, StopIteration):
                rss_peak = max(rss_peak, _rss_cpu(pid)[0])
        await asyncio.gather(*tasks)
        wall = time.perf_counter() - started
        rss, cpu1 = _rss_cpu(pid)
        own = time.process_time() - own0
    return {
        "timings": timings,
        "errors": errors,
        "wall": wall,
        "server_cpu": (cpu1 - cpu0) / wall,
        "own_cpu": own / wall,
        "rss": rss,
        "rss_peak": max(rss_peak, rss),
    }


def start_server(database: str, port: int, workers: int = 1) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url_of(database),
        "ENV": "test",
        "LOG_LEVEL": "WARNING",
        "SESSION_COOKIE_SECURE": "false",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
    }
    return subprocess.Popen(  # noqa: S603 (our own CLI, fixed arguments)
        [
            sys.executable,
            "-m",
            "perp_track.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


async def wait_ready(base: str, server: subprocess.Popen[bytes]) -> None:
    async with aiohttp.ClientSession() as session:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError("the server stopped: " + (server.stderr.read() or b"").decode())
            with contextlib.suppress(aiohttp.ClientError):
                async with session.get(f"{base}/ready") as r:
                    if r.status == 200:
                        return
            await asyncio.sleep(0.2)
    raise RuntimeError("the server did not get ready")


def report(result: dict, users: int) -> list[tuple[str, str, str, bool]]:
    timings, errors = result["timings"], result["errors"]
    total = sum(len(v) for v in timings.values()) + sum(len(v) for v in errors.values())
    n_errors = sum(len(v) for v in errors.values())
    everything = [t for v in timings.values() for t in v]
    print(
        f"{users} users, {result['wall']:.0f} s: {total:,} requests, {total / result['wall']:.1f}"
        f" req/s, {n_errors} errors"
    )
    for name, _ in MIX:
        values = timings.get(name, [])
        if values:
            print(
                f"  {name:<17} n={len(values):>6}  p50 {percentile(values, 50):7.1f} ms"
                f"  p95 {percentile(values, 95):7.1f} ms  p99 {percentile(values, 99):7.1f} ms"
                f"  max {max(values):7.1f} ms  errors {len(errors.get(name, []))}"
            )
    for name, kinds in errors.items():
        print(f"  errors on {name}: {sorted(set(kinds))}")
    print(
        f"server: RSS {result['rss']:.0f} MB (peak {result['rss_peak']:.0f} MB),"
        f" CPU {result['server_cpu'] * 100:.0f} % of a core;"
        f" load generator CPU {result['own_cpu'] * 100:.0f} % of a core"
    )
    p99 = percentile(everything, 99) if everything else float("inf")
    return [
        (
            f"{users} users, all requests",
            f"p99 {p99:.0f} ms, {n_errors} errors, {total / result['wall']:.0f} req/s",
            f"p99 <= {TARGET_P99_MS:.0f} ms, 0 errors",
            p99 <= TARGET_P99_MS and n_errors == 0,
        )
    ]


async def run(
    database: str, users: int, seconds: float, scale: float, reuse: bool, workers: int
) -> list:
    if not reuse:
        print(f"generating the data (scale {scale}) ...", flush=True)
        await generate(database, scale, 2026, datetime.now(UTC).replace(microsecond=0))
    people = await seed_users(database, users)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(database, port, workers)
    try:
        await wait_ready(base, server)
        load = os.getloadavg()
        print(
            f"{workers} web process(es); load average before the run:"
            f" {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
            flush=True,
        )
        result = await drive(base, people, seconds, server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    return report(result, users)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--scale", type=float, default=0.02, help="of bench.generate's data")
    parser.add_argument("--database", default="perp_track_bench_load")
    parser.add_argument("--reuse", action="store_true", help="keep the database already made")
    parser.add_argument(
        "--workers",
        type=int,
        default=WEB_PROCESSES,
        help=f"web processes of perp-track serve (default {WEB_PROCESSES}, as the README says)",
    )
    args = parser.parse_args(argv)
    rows = asyncio.run(
        run(args.database, args.users, args.seconds, args.scale, args.reuse, args.workers)
    )
    load = os.getloadavg()
    for what, measured, target, ok in rows:
        print(f"{what:<26} {measured:<40} target {target:<24} {'OK' if ok else 'MISSED'}")
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    raise SystemExit(0 if all(r[3] for r in rows) else 1)


if __name__ == "__main__":
    main()
