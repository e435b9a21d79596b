"""Health, readiness, the OpenAPI document, security headers, and deny-by-default."""

from litestar.routes import HTTPRoute

from perp_track.app import create_app
from perp_track.web import PUBLIC_PATHS


async def test_health_and_ready(api):
    assert (await api.client.get("/health")).json() == {"status": "ok"}
    r = await api.client.get("/ready")
    assert r.status_code == 200
    assert r.json()["database"] == "ok"


async def test_openapi_documents_the_api_with_bearer_auth(api):
    r = await api.client.get("/schema/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert "/api/cases" in doc["paths"]
    assert "/api/summons/{summons_id}/attendance" in doc["paths"]
    assert doc["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"


async def test_security_headers_and_request_id(api):
    r = await api.client.get("/health")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert len(r.headers["x-request-id"]) == 32


def test_every_api_route_requires_a_role_or_is_public(settings, engine):
    """Deny by default: a new API route without a guard fails here (pages: test_page_routes)."""
    app = create_app(settings, engine=engine)
    unguarded = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(PUBLIC_PATHS):
            continue
        if not route.path.startswith("/api"):
            continue
        for handler in route.route_handlers:
            if handler.http_methods == {"OPTIONS"}:
                continue  # Litestar's own preflight answer
            # A role guard, or the red-list feed's guard (a zone's token, not a person's role).
            policies = [
                getattr(g, "roles", None) or getattr(g, "zone_feed", None)
                for layer in handler.ownership_layers
                for g in (layer.guards or [])
            ]
            if not any(policies):
                unguarded.append(f"{sorted(handler.http_methods)} {route.path}")
    assert unguarded == []


async def test_ready_reports_the_jobs(api, world):
    body = (await api.client.get("/ready")).json()
    names = {j["name"] for j in body["jobs"]}
    assert {"measures.lapse", "jobs.watchdog"} <= names
    assert all(j["stale"] for j in body["jobs"]), "nothing has run yet"


async def test_job_status_is_for_supervisors(api, world):
    assert (await api.as_(world.ja, "GET", "/api/admin/jobs")).status_code == 403
    r = await api.as_(world.supervisor, "GET", "/api/admin/jobs")
    assert r.status_code == 200
    assert {j["name"] for j in r.json()} >= {"measures.protection_ending"}


def test_the_openapi_document_is_built_on_first_request_with_the_error_answers(settings, engine):
    """Building it takes a second at every process start; the first /schema request pays it."""
    from litestar._openapi.plugin import OpenAPIPlugin

    app = create_app(settings, engine=engine)
    plugin = app.plugins.get(OpenAPIPlugin)
    assert plugin._openapi is None  # nothing built by create_app
    doc = app.openapi_schema
    get_case = doc.paths["/api/cases/{case_id}"].get  # type: ignore[index,union-attr]
    assert get_case is not None and get_case.responses is not None
    assert {"401", "403", "404"} <= set(get_case.responses)


def test_no_argon2_hash_is_computed_at_import():
    import subprocess
    import sys

    probe = (
        "import perp_track.app\n"
        "from perp_track.auth import rules\n"
        "assert rules.dummy_hash.cache_info().currsize == 0, 'dummy hash made at import'\n"
        "assert rules.verify_password(rules.dummy_hash(), 'x') is False\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)  # noqa: S603
    assert result.returncode == 0, result.stderr
