"""One built app, rebound to another clock, other settings or another database per test."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from litestar import Litestar

from perp_track import db
from perp_track.app import rebind
from perp_track.clock import FrozenClock
from perp_track.config import load_settings
from tests.world import PASSWORD, World


async def _login(app: Litestar, email: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await client.post("/api/auth/login", json={"email": email, "password": PASSWORD})


async def _me(app: Litestar, token: str) -> int:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
        return response.status_code


async def test_a_rebound_clock_is_read_on_the_next_request(app: Litestar, world: World):
    login = await _login(app, world.ja.email)
    assert login.status_code == 200, login.text
    token = login.json()["token"]
    assert await _me(app, token) == 200
    # Another clock object, a year on: the token has expired for the same built app.
    later = FrozenClock(world.clock.now() + timedelta(days=365))
    assert rebind(app, clock=later) is app
    assert app.state.clock is later
    assert await _me(app, token) == 401
    rebind(app, clock=world.clock)
    assert await _me(app, token) == 200


async def test_a_rebound_engine_is_the_database_of_the_next_request(
    app: Litestar, world: World, sqlite_template: Path, tmp_path: Path
):
    assert (await _login(app, world.ja.email)).status_code == 200
    empty = tmp_path / "empty.sqlite3"
    shutil.copy(sqlite_template, empty)
    previous = db.engine()
    rebind(app, engine=db.sqlite_engine(empty, synchronous="OFF"))
    try:
        # Nobody on the other database: the same login is refused there.
        assert (await _login(app, world.ja.email)).status_code == 401
    finally:
        rebind(app, engine=previous)
    assert (await _login(app, world.ja.email)).status_code == 200


async def test_rebound_settings_are_read_on_the_next_request(app: Litestar, settings):
    other = load_settings(
        env="test", database_url=settings.database_url, public_base_url="https://elsewhere.test"
    )
    rebind(app, settings=other)
    assert app.state.settings is other


def test_settings_that_create_app_fixed_need_another_app(app: Litestar, settings):
    production = settings.model_copy(update={"env": "production"})
    with pytest.raises(ValueError, match="build another app"):
        rebind(app, settings=production)
    quieter = settings.model_copy(update={"log_level": "ERROR"})
    with pytest.raises(ValueError, match="build another app"):
        rebind(app, settings=quieter)
    assert app.state.settings is settings
