"""The web login passes the same gate as the API: lockout, attempt log, second factor."""

from datetime import timedelta

import pyotp

from perp_track.auth.accounts import confirm_totp, enrol_totp
from perp_track.auth.tables import LoginAttempt
from tests.world import World


async def test_the_web_login_locks_after_repeated_failures(browser, world: World):
    for _ in range(6):
        r = await browser.login(world.ja.email, "not the password")
        assert r.status_code == 401
    r = await browser.login(world.ja.email)
    assert r.status_code == 429
    outcomes = [
        a["outcome"]
        for a in await LoginAttempt.select(LoginAttempt.outcome).order_by(LoginAttempt.id)
    ]
    assert outcomes == ["wrong_password"] * 6 + ["locked"]
    world.clock.advance(timedelta(minutes=31))
    r = await browser.login(world.ja.email)
    assert r.status_code == 303


async def test_the_web_login_asks_for_the_second_factor(browser, world: World, settings):
    enrolment = await enrol_totp(
        actor=world.ja, issuer="perp-track", secret_key=settings.secret_key, clock=world.clock
    )
    totp = pyotp.TOTP(enrolment.secret)
    await confirm_totp(
        actor=world.ja,
        code=totp.at(world.clock.now()),
        secret_key=settings.secret_key,
        clock=world.clock,
    )
    r = await browser.login(world.ja.email)
    assert r.status_code == 401
    assert "application d'authentification" in r.text  # the page speaks French here
    world.clock.advance(timedelta(seconds=30))
    await browser.get("/login")
    r = await browser.post(
        "/login",
        {
            "email": world.ja.email,
            "password": "correct horse battery staple",
            "totp_code": totp.at(world.clock.now()),
        },
    )
    assert r.status_code == 303
