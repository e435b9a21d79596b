"""Web sessions: cookies, lifetimes, logout, CSRF, and the split from the bearer-token API."""

from __future__ import annotations

from datetime import timedelta

from perp_track.cases.tables import Case
from perp_track.ui.tables import WebSession
from tests.world import World


async def test_login_sets_a_secure_httponly_lax_cookie_holding_no_stored_secret(browser, world):
    await browser.get("/login")
    response = await browser.post(
        "/login", {"email": world.ja.email, "password": "correct horse battery staple"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("pt_session="))
    flags = cookie.lower()
    assert "httponly" in flags
    assert "secure" in flags
    assert "samesite=lax" in flags
    token = cookie.split(";")[0].split("=", 1)[1]
    rows = await WebSession.select(WebSession.token_hash)
    assert len(rows) == 1
    assert token not in rows[0]["token_hash"]  # only its digest is stored


async def test_wrong_password_says_so_and_opens_no_session(browser, world):
    await browser.get("/login")
    response = await browser.post("/login", {"email": world.ja.email, "password": "nope nope"})
    assert response.status_code == 401
    assert "Adresse e-mail ou mot de passe incorrect." in response.text  # French by default
    assert await WebSession.count() == 0


async def test_pages_need_a_session_and_a_bearer_token_does_not_open_them(browser, world):
    from perp_track.auth.services import login

    response = await browser.get("/cases")
    assert response.status_code == 302
    assert response.headers["location"] == "/login?next=/cases"
    token, _, _ = await login(
        email=world.ja.email,
        password="correct horse battery staple",
        clock=world.clock,
        ttl=timedelta(hours=1),
    )
    response = await browser.get("/cases", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 302


async def test_the_api_keeps_bearer_tokens_and_json_errors(browser, world):
    await browser.login(world.ja.email)
    # A logged-in browser's cookie opens no API route: the API wants its bearer token.
    response = await browser.get("/api/cases")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/json")
    response = await browser.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json()["status_code"] == 404


async def test_logout_ends_the_session_for_good(browser, world):
    await browser.login(world.ja.email)
    cookie = browser.client.cookies.get("pt_session")
    assert (await browser.get("/cases")).status_code == 200
    response = await browser.post("/logout", {})
    assert response.status_code == 303
    assert response.headers["location"] == "/login?bye=1"
    # Even a copy of the old cookie no longer works.
    browser.client.cookies.set("pt_session", cookie)
    response = await browser.get("/cases")
    assert response.status_code == 302
    row = await WebSession.select(WebSession.ended_at).first()
    assert row is not None
    assert row["ended_at"] is not None


async def test_idle_timeout(browser, world: World, settings):
    await browser.login(world.ja.email)
    world.clock.advance(timedelta(minutes=settings.session_idle_minutes - 1))
    assert (await browser.get("/cases")).status_code == 200
    world.clock.advance(timedelta(minutes=settings.session_idle_minutes - 1))
    assert (await browser.get("/cases")).status_code == 200  # activity kept it alive
    world.clock.advance(timedelta(minutes=settings.session_idle_minutes))
    response = await browser.get("/cases")
    assert response.status_code == 302
    assert response.headers["location"] == "/login?next=/cases&expired=1"


async def test_absolute_lifetime_even_when_active(browser, world: World, settings):
    await browser.login(world.ja.email)
    step = timedelta(minutes=settings.session_idle_minutes - 1)
    elapsed = timedelta()
    while elapsed + step < timedelta(hours=settings.session_max_hours):
        world.clock.advance(step)
        elapsed += step
        assert (await browser.get("/")).status_code == 200
    world.clock.advance(step)
    assert (await browser.get("/")).status_code == 302


async def test_a_disabled_account_loses_its_session(browser, world: World):
    from perp_track.auth.tables import User

    await browser.login(world.ja.email)
    await User.update({User.active: False}).where(User.id == world.ja.id)
    assert (await browser.get("/cases")).status_code == 302


async def test_a_form_without_the_csrf_token_is_refused_and_changes_nothing(browser, world):
    await browser.login(world.ja.email)
    form = {
        "mandating_authority": "prosecutor",
        "risk_level": "high",
        "language": "fr",
        "perpetrator.first_name": "Paul",
        "perpetrator.last_name": "Martin",
        "perpetrator.language": "fr",
        "step": "create",
    }
    response = await browser.post("/cases/new", form, token=False)
    assert response.status_code == 403
    assert "text/html" in response.headers["content-type"]
    response = await browser.post("/cases/new", {**form, "csrf_token": "forged"}, token=False)
    assert response.status_code == 403
    assert await Case.count() == 0
    # With the session's token, the same form goes through.
    response = await browser.post("/cases/new", form)
    assert response.status_code == 303
    assert await Case.count() == 1


async def test_a_token_from_another_session_is_refused(browser, other_browser, world):
    await browser.login(world.ja.email)
    await other_browser.login(world.ja2.email)
    other_browser.token = browser.token
    response = await other_browser.post("/logout", {})
    assert response.status_code == 403


async def test_a_cross_site_post_is_refused_even_with_the_token(browser, world):
    await browser.login(world.ja.email)
    response = await browser.post("/logout", {}, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    response = await browser.post("/logout", {}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    response = await browser.post("/logout", {}, headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 303


async def test_login_needs_the_pre_login_token(browser, world):
    await browser.get("/login")
    response = await browser.post(
        "/login",
        {"email": world.ja.email, "password": "correct horse battery staple"},
        token=False,
    )
    assert response.status_code == 403
    assert await WebSession.count() == 0


async def test_next_never_leads_off_the_site(browser, world):
    await browser.get("/login")
    response = await browser.post(
        "/login",
        {
            "email": world.ja.email,
            "password": "correct horse battery staple",
            "next": "//evil.example/x",
        },
    )
    assert response.headers["location"] == "/"


async def test_logging_in_again_ends_the_earlier_session(browser, world):
    await browser.login(world.ja.email)
    first = browser.client.cookies.get("pt_session")
    await browser.post(
        "/login", {"email": world.ja2.email, "password": "correct horse battery staple"}
    )
    page = await browser.get("/")
    assert world.ja2.full_name in page.text
    browser.client.cookies.set("pt_session", first)
    assert (await browser.get("/cases")).status_code == 302
    assert await WebSession.count().where(WebSession.ended_at.is_null()) == 1
