"""An id beyond the database's integer range answers 404 on every route and page, never 500.

The routes are read from the application's own route table: a new route with an integer path
parameter is covered without being listed here.
"""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from perp_track.app import create_app
from perp_track.auth import rules as auth_rules
from perp_track.auth.rules import ActingUser, Role
from perp_track.auth.services import create_user
from perp_track.ui.middleware import CSRF_HEADER, SESSION_COOKIE
from perp_track.ui.sessions import start_session
from perp_track.ui.tables import WebSession
from tests.api import authz
from tests.world import PASSWORD, World

# Beyond PostgreSQL's integer (ids are Serial), and beyond a 64-bit integer (SQLite, asyncpg).
BEYOND = (2**31, 2**63, -(2**63) - 1)


async def _page_headers(user: ActingUser, world: World) -> dict[str, str]:
    started = await start_session(
        email=user.email, password=PASSWORD, clock=world.clock, lifetime=timedelta(hours=8)
    )
    row = (
        await WebSession.select(WebSession.csrf_token)
        .where(WebSession.token_hash == auth_rules.token_digest(started.token))
        .first()
    )
    assert row is not None
    return {"Cookie": f"{SESSION_COOKIE}={started.token}", CSRF_HEADER: row["csrf_token"]}


async def test_every_route_with_an_integer_id_answers_404_beyond_the_range(
    world: World, settings, engine
):
    admin = await create_user(
        email="admin@test.example",
        full_name="Admin",
        role=Role.ADMIN,
        organisation_id=world.orgs["jh"],
        password=PASSWORD,
        clock=world.clock,
    )
    users = {
        Role.ADMIN: admin,
        Role.SUPERVISOR: world.supervisor,
        Role.JUSTICE_ASSISTANT: world.ja,
        Role.POLICE_OFFICER: world.officer,
        Role.SAPV_CONTACT: world.sapv,
        Role.PROGRAMME_STAFF: world.praxis,
    }
    app = create_app(settings, clock=world.clock, engine=engine)
    routes = [
        e
        for e in authz.endpoints(app)
        if re.search(r"{\w+:int}", e.path) and e.method != "WEBSOCKET"
    ]
    assert len(routes) > 40, "the route table should hold the API's and the pages' id routes"
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    failures = []
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        tokens: dict[int, str] = {}
        pages: dict[int, dict[str, str]] = {}
        for endpoint in routes:
            policy = authz.policy(endpoint)
            headers: dict[str, str] = {}
            if isinstance(policy, frozenset):
                user = next(users[r] for r in Role if r in policy)
                if endpoint.is_page:
                    if user.id not in pages:
                        pages[user.id] = await _page_headers(user, world)
                    headers = pages[user.id]
                else:
                    if user.id not in tokens:
                        login = await client.post(
                            "/api/auth/login", json={"email": user.email, "password": PASSWORD}
                        )
                        tokens[user.id] = login.json()["token"]
                    headers = {"Authorization": f"Bearer {tokens[user.id]}"}
            for value in BEYOND:
                url = re.sub(
                    r"{(\w+)(?::(\w+))?}",
                    lambda m, v=value: str(v) if m.group(2) == "int" else "x",
                    endpoint.path,
                )
                client.cookies.clear()
                response = await client.request(endpoint.method, url, headers=headers)
                if response.status_code != 404:
                    failures.append(f"{endpoint.method} {url}: {response.status_code}")
        # The audit trail's filters by id, as query parameters.
        auditor = {"Authorization": f"Bearer {tokens.get(admin.id) or ''}"}
        if not tokens.get(admin.id):
            login = await client.post(
                "/api/auth/login", json={"email": admin.email, "password": PASSWORD}
            )
            auditor = {"Authorization": f"Bearer {login.json()['token']}"}
        for name in ("case_id", "person_id"):
            for value in BEYOND:
                response = await client.get(f"/api/audit?{name}={value}", headers=auditor)
                if response.status_code != 404:
                    failures.append(f"GET /api/audit?{name}={value}: {response.status_code}")
        # In range, the same routes still answer as before (an unknown id: 404, not a 500).
        response = await client.get("/api/audit?case_id=2147483647", headers=auditor)
        assert response.status_code == 200, response.text
    assert not failures, "\n".join(failures)
