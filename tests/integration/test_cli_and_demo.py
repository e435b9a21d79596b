"""The command line end to end on SQLite, and the demo on both databases."""

import os
import shutil
import subprocess
import sys

from perp_track.cases.tables import Case
from perp_track.demo.load import load_demo
from perp_track.demo.people import DEMO_USERS
from perp_track.measures.tables import Measure
from perp_track.summons.tables import Attendance, Summons


def cli(db_url: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
        [sys.executable, "-m", "perp_track.cli", *args],
        env={**os.environ, "DATABASE_URL": db_url},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_command_line(sqlite_template, tmp_path):
    path = tmp_path / "cli.sqlite3"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"

    r = cli(url, "create-organisation", "--name", "MJ Namur", "--kind", "justice_house")
    assert r.returncode == 0, r.stderr
    assert "created organisation 1" in r.stdout
    r = cli(
        url,
        "create-user",
        "--email",
        "A.B@mj.example",
        "--name",
        "A B",
        "--role",
        "justice_assistant",
        "--organisation",
        "1",
        "--password-stdin",
        stdin="a sufficiently long password\n",
    )
    assert r.returncode == 0, r.stderr
    assert "a.b@mj.example" in r.stdout
    r = cli(
        url,
        "create-user",
        "--email",
        "c@mj.example",
        "--name",
        "C",
        "--role",
        "police_officer",
        "--organisation",
        "1",
        "--password-stdin",
        stdin="a sufficiently long password\n",
    )
    assert r.returncode == 1
    assert "belongs to a police_zone" in r.stderr

    r = cli(url, "demo")
    assert r.returncode == 0, r.stderr
    assert all(u.email in r.stdout for u in DEMO_USERS)
    r = cli(url, "demo")
    assert "already there" in r.stdout

    r = cli(url, "worker", "--once")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "measures.lapse" in r.stdout


def test_a_bad_configuration_is_refused_with_reasons(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "perp_track.cli", "migrate"],
        env={**os.environ, "ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert r.returncode == 2
    assert "SECRET_KEY" in r.stderr
    assert "SQLite" in r.stderr


async def test_the_demo_on_both_databases(database, clock):
    assert await load_demo(clock)
    assert await Case.count() == 10
    kinds = {m["kind"] for m in await Measure.select(Measure.kind)}
    assert len(kinds) == 5
    assert await Summons.count().where(Summons.scheduled_at > clock.now()) > 0
    assert await Attendance.count() > 0
    missing = await Summons.count().where(
        (Summons.scheduled_at < clock.now()) & (Summons.status == "scheduled")
    )
    assert missing > 0, "some attendance is still to be recorded"
    # Victims' numbers: confirmed by their own reply, and one still waiting for it.
    from perp_track.notify.victim_control.tables import NumberConfirmation

    states = sorted(c["state"] for c in await NumberConfirmation.select(NumberConfirmation.state))
    assert states == ["confirmed", "confirmed", "confirmed", "waiting"]
    assert not await load_demo(clock)
