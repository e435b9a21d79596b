import httpx

from perp_track.app import create_app
from tests.world import World


async def test_api_answers_are_never_cached_and_carry_the_security_headers(api, world: World):
    r = await api.as_(world.ja, "GET", "/api/auth/me")
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert r.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert "Strict-Transport-Security" not in r.headers  # only in production
    # Errors too: a 404 on someone else's record is as uncacheable as the record.
    r = await api.as_(world.ja, "GET", "/api/cases/999999")
    assert r.status_code == 404
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["X-Request-ID"]


async def test_production_sends_hsts(world: World, settings, engine):
    production = settings.model_copy(update={"env": "production"})
    app = create_app(production, clock=world.clock, engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
        r = await client.get("/health")
    assert r.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "'self'" in r.headers["Content-Security-Policy"]
