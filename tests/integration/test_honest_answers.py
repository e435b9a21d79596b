"""Answers that tell the truth: a failure after a committed write says it was saved, a 429 says
when to come back, and the watchdog does not cry wolf about jobs that were never due."""

from __future__ import annotations

import logging
from datetime import timedelta

import httpx
from litestar import Litestar, post

from perp_track import db
from perp_track.app import request_context
from perp_track.jobs.tables import JobOnce
from perp_track.scheduler import all_jobs
from perp_track.web import EXCEPTION_HANDLERS
from tests.world import World


@post("/api/test/commit-then-fail")
async def commit_then_fail() -> None:
    async with db.transaction():
        await JobOnce.insert(JobOnce(key="honest:committed", created_at=db_now()))
    raise RuntimeError("after the commit")


@post("/api/test/fail-before-commit")
async def fail_before_commit() -> None:
    async with db.transaction():
        await JobOnce.insert(JobOnce(key="honest:rolled-back", created_at=db_now()))
        raise RuntimeError("inside the transaction")


def db_now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)


async def test_a_failure_after_commit_never_says_nothing_was_saved(world: World, settings):
    app = Litestar(
        route_handlers=[commit_then_fail, fail_before_commit],
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[request_context(settings)],
    )
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        after = await client.post("/api/test/commit-then-fail")
        before = await client.post("/api/test/fail-before-commit")
    assert after.status_code == before.status_code == 500
    assert await JobOnce.exists().where(JobOnce.key == "honest:committed")
    assert not await JobOnce.exists().where(JobOnce.key == "honest:rolled-back")
    assert "nothing was saved" not in after.json()["detail"]
    assert "after your change was saved" in after.json()["detail"]
    assert "do not send it again" in after.json()["detail"]
    assert "before your change was saved" in before.json()["detail"]


async def test_a_429_says_when_to_come_back(world: World, settings, engine):
    from perp_track.app import create_app

    app = create_app(settings, clock=world.clock, engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        for _ in range(settings.login_max_failures + 1):
            response = await client.post(
                "/api/auth/login", json={"email": world.ja.email, "password": "wrong-password-1"}
            )
    assert response.status_code == 429, response.text
    wait = int(response.headers["Retry-After"])
    assert 0 < wait <= settings.login_lockout_minutes * 60 + 1


async def test_the_watchdog_is_silent_about_jobs_never_due_yet(world: World, settings, caplog):
    """A fresh database, a scheduler's first moments: the watchdog runs beside jobs that have
    not finished their first run. No alert; once a job has been due past its limit, one."""
    watchdog = all_jobs(settings)[-1]
    assert watchdog.name == "jobs.watchdog"
    with caplog.at_level(logging.ERROR, logger="perp_track.scheduler"):
        assert await watchdog.func(world.clock, settings) == "0 stale jobs"
        assert not [r for r in caplog.records if "ALERT" in r.getMessage()]
        # Still nothing has succeeded, long after: now each job is overdue, and said so.
        world.clock.advance(max(s.stale_after for s in all_jobs(settings)) + timedelta(minutes=1))
        summary = await watchdog.func(world.clock, settings)
    # Every job but the watchdog itself, which watches the others.
    assert summary.startswith(f"{len(all_jobs(settings)) - 1} stale jobs"), summary
    assert any("ALERT job notify.dispatch" in r.getMessage() for r in caplog.records)
