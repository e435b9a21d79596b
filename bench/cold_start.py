"""Cold start: from launching `perp-track serve` to its first `200` on `/health`.

    python -m bench.cold_start                # SQLite (a migrated temporary file) and PostgreSQL
    python -m bench.cold_start --runs 5 --sqlite

Each run starts a fresh process (no warm import cache beyond the operating system's), polls
/health every 10 ms, and stops the process. The application's bytecode is compiled first, as
installing the wheel does (pip compiles it; the Docker image then runs with
PYTHONDONTWRITEBYTECODE=1): an editable install under that variable would otherwise compile every
module of the application again at each start, which no deployment does. Beside the wall
time, the CPU time the server process used until then: on a machine whose CPUs are shared with
other work, the wall time is roughly that CPU time divided by the share of a CPU the process got.
Also printed, measured in the same run: a bare Python interpreter's start (`python -c pass`),
the floor of any Python service on this machine, and the load average. Target: <= 1.5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Sequence
from pathlib import Path

import asyncpg

TARGET_S = 1.5
ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "ENV": "test",
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
        "SESSION_COOKIE_SECURE": "false",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
    }


def migrate(url: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "perp_track.cli", "migrate"],
        env=_env(url, 8000),
        check=True,
        capture_output=True,
    )


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_start(url: str) -> tuple[float, float]:
    """Seconds from Popen to the first 200 on /health, and the CPU seconds the server used."""
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen(  # noqa: S603 (our own CLI, fixed arguments)
        [sys.executable, "-m", "perp_track.cli", "serve", "--port", str(port)],
        env=_env(url, port),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = started + 60
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/health", timeout=2
                ) as response:
                    if response.status == 200:
                        return time.perf_counter() - started, _cpu_seconds(server.pid)
            except OSError:
                pass
            if server.poll() is not None or time.perf_counter() > deadline:
                err = server.stderr.read().decode() if server.stderr else ""
                raise RuntimeError(f"the server did not start:\n{err}")
            time.sleep(0.01)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def bare_python() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - started


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(ADMIN_URL)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def compile_bytecode() -> None:
    """The application's modules compiled to bytecode, as `pip install` of the wheel leaves them."""
    import perp_track

    for folder in perp_track.__path__:
        compileall.compile_dir(folder, quiet=1)


def measure(runs: int, backends: Sequence[str]) -> list[tuple[str, str, str, bool]]:
    rows = []
    compile_bytecode()
    floor = statistics.median(bare_python() for _ in range(3))
    for backend in backends:
        if backend == "sqlite":
            folder = Path(tempfile.mkdtemp(prefix="perp_cold_"))
            url = f"sqlite:///{folder / 'cold.sqlite3'}"
            cleanup = None
        else:
            name = f"perp_track_cold_{uuid.uuid4().hex[:8]}"
            asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
            url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
            cleanup = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
        try:
            migrate(url)
            one_start(url)  # the first start warms the operating system's file cache: not counted
            starts = [one_start(url) for _ in range(runs)]
        finally:
            if cleanup:
                asyncio.run(_admin(cleanup))
        times = [wall for wall, _ in starts]
        median = statistics.median(times)
        cpu = statistics.median(cpu for _, cpu in starts)
        rows.append(
            (
                f"cold start to /health ({backend})",
                f"median {median:.2f} s, best {min(times):.2f} s of {runs}; server CPU"
                f" {cpu:.2f} s (bare python {floor:.2f} s)",
                f"<= {TARGET_S} s",
                median <= TARGET_S,
            )
        )
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sqlite", action="store_true", help="SQLite only")
    args = parser.parse_args(argv)
    rows = measure(args.runs, ["sqlite"] if args.sqlite else ["sqlite", "postgres"])
    load = os.getloadavg()
    for what, measured, target, ok in rows:
        print(f"{what:<34} {measured:<52} target {target:<8} {'OK' if ok else 'MISSED'}")
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    raise SystemExit(0 if all(r[3] for r in rows) else 1)


if __name__ == "__main__":
    main()
