from datetime import timedelta

import pyotp

from perp_track.auth.tables import ApiToken, LoginAttempt, TotpFactor
from tests.world import PASSWORD, World


async def login(api, email: str, password: str = PASSWORD, **extra):
    return await api.client.post(
        "/api/auth/login", json={"email": email, "password": password, **extra}
    )


async def test_six_failures_lock_the_address_for_thirty_minutes_and_every_attempt_is_logged(
    api, world: World
):
    for _ in range(6):
        r = await login(api, world.ja.email, "wrong password!")
        assert r.status_code == 401
        assert r.json()["detail"] == "wrong e-mail address or password"
    r = await login(api, world.ja.email)  # the right password, but locked
    assert r.status_code == 429
    assert "try again in 30 minutes" in r.json()["detail"]
    # An unknown address locks the same way: the lock tells nobody which accounts exist.
    for _ in range(6):
        await login(api, "nobody@test.example", "whatever it is")
    assert (await login(api, "nobody@test.example", "whatever it is")).status_code == 429
    world.clock.advance(timedelta(minutes=31))
    assert (await login(api, world.ja.email)).status_code == 200
    rows = await LoginAttempt.select().where(LoginAttempt.email == world.ja.email)
    outcomes = [r["outcome"] for r in sorted(rows, key=lambda r: r["id"])]
    assert outcomes == ["wrong_password"] * 6 + ["locked", "ok"]
    assert all(r["client"] for r in rows)


async def test_totp_enrolment_then_every_login_needs_a_fresh_code(api, world: World):
    r = await api.as_(world.ja, "POST", "/api/auth/totp")
    assert r.status_code == 201, r.text
    secret = r.json()["secret"]
    assert r.json()["otpauth_uri"].startswith("otpauth://totp/")
    (stored,) = await TotpFactor.select(TotpFactor.secret)
    assert secret not in stored["secret"]  # sealed at rest
    totp = pyotp.TOTP(secret)
    r = await api.as_(world.ja, "POST", "/api/auth/totp/confirm", json={"code": "000000"})
    assert r.status_code == 422
    code = totp.at(world.clock.now())
    r = await api.as_(world.ja, "POST", "/api/auth/totp/confirm", json={"code": code})
    assert r.status_code == 204, r.text

    r = await login(api, world.ja.email)
    assert r.status_code == 401
    assert r.json()["extra"] == {"second_factor_required": True}
    # The code that confirmed the enrolment cannot be replayed.
    assert (await login(api, world.ja.email, totp_code=code)).status_code == 401
    world.clock.advance(timedelta(seconds=30))
    code = totp.at(world.clock.now())
    assert (await login(api, world.ja.email, totp_code=code)).status_code == 200
    assert (await login(api, world.ja.email, totp_code=code)).status_code == 401


async def test_list_and_revoke_my_tokens_and_log_out_elsewhere(api, world: World):
    first = (await login(api, world.ja.email)).json()["token"]
    second = (await login(api, world.ja.email)).json()["token"]
    headers = {"Authorization": f"Bearer {first}"}
    r = await api.client.get("/api/auth/tokens", headers=headers)
    assert r.status_code == 200
    tokens = r.json()
    assert [t["current"] for t in tokens] == [False, True]
    assert "token" not in tokens[0]
    assert "token_hash" not in tokens[0]
    other_id = tokens[0]["id"]
    # Nobody revokes someone else's token: it does not exist for them.
    r = await api.as_(world.ja2, "DELETE", f"/api/auth/tokens/{other_id}")
    assert r.status_code == 404
    r = await api.client.delete(f"/api/auth/tokens/{other_id}", headers=headers)
    assert r.status_code == 204
    second_headers = {"Authorization": f"Bearer {second}"}
    assert (await api.client.get("/api/auth/me", headers=second_headers)).status_code == 401
    third = (await login(api, world.ja.email)).json()["token"]
    r = await api.client.post("/api/auth/tokens/revoke-others", headers=headers)
    assert r.json() == {"revoked": 1}
    assert (
        await api.client.get("/api/auth/me", headers={"Authorization": f"Bearer {third}"})
    ).status_code == 401
    assert (await api.client.get("/api/auth/me", headers=headers)).status_code == 200


async def test_tokens_expire(api, world: World, settings):
    token = (await login(api, world.ja.email)).json()["token"]
    world.clock.advance(timedelta(hours=settings.token_ttl_hours, seconds=1))
    r = await api.client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


async def test_disabling_an_account_ends_all_its_tokens(api, world: World):
    token = (await login(api, world.ja.email)).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert (await api.client.get("/api/auth/me", headers=headers)).status_code == 200
    # A supervisor of another organisation does not know the account.
    r = await api.as_(world.other_house_ja, "POST", f"/api/users/{world.ja.id}/disable")
    assert r.status_code == 403
    r = await api.as_(world.supervisor, "POST", f"/api/users/{world.officer.id}/disable")
    assert r.status_code == 404
    r = await api.as_(world.supervisor, "POST", f"/api/users/{world.ja.id}/disable")
    assert r.status_code == 200, r.text
    assert r.json()["tokens_revoked"] >= 1
    assert (await api.client.get("/api/auth/me", headers=headers)).status_code == 401
    assert (await login(api, world.ja.email)).status_code == 401
    live = await ApiToken.count().where(
        (ApiToken.user == world.ja.id) & ApiToken.revoked_at.is_null()
    )
    assert live == 0
    r = await api.as_(world.supervisor, "POST", f"/api/users/{world.ja.id}/enable")
    assert r.status_code == 200
    assert (await login(api, world.ja.email)).status_code == 200


async def test_a_supervisor_resets_a_lost_second_factor(api, world: World):
    r = await api.as_(world.ja, "POST", "/api/auth/totp")
    totp = pyotp.TOTP(r.json()["secret"])
    code = totp.at(world.clock.now())
    await api.as_(world.ja, "POST", "/api/auth/totp/confirm", json={"code": code})
    assert (await login(api, world.ja.email)).status_code == 401
    r = await api.as_(world.supervisor, "POST", f"/api/users/{world.ja.id}/totp/reset")
    assert r.status_code == 204
    assert (await login(api, world.ja.email)).status_code == 200
    r = await api.as_(world.supervisor, "POST", f"/api/users/{world.ja.id}/totp/reset")
    assert r.status_code == 404
