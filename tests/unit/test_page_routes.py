"""Deny by default: every page route has a role guard, except the few that must be public."""

from __future__ import annotations

from litestar.routes import HTTPRoute

from perp_track.app import create_app
from perp_track.config import load_settings
from perp_track.ui.i18n import template_callables
from perp_track.ui.templating import make_environment

PUBLIC_PAGES = {"/login", "/language"}


def test_every_page_route_is_guarded_by_role(tmp_path):
    settings = load_settings(env="test", database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    app = create_app(settings)
    checked = 0
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(("/api", "/schema")):
            continue
        if route.path in {"/health", "/ready"} or route.path.startswith("/static"):
            continue
        for handler in route.route_handlers:
            if handler.http_methods == {"OPTIONS"}:  # Litestar's own CORS preflight answer
                continue
            # Every layer's guards, as written (resolve_guards() wraps them).
            guards = [g for layer in handler.ownership_layers for g in (layer.guards or [])]
            roles = [g for g in guards if hasattr(g, "roles")]
            if route.path in PUBLIC_PAGES:
                continue
            assert roles, f"{route.path} {handler.http_methods} has no role guard"
            # Page routes authenticate by session cookie, not by bearer token.
            assert handler.opt.get("exclude_from_auth") is True, route.path
            assert handler.opt.get("web_page") is True, route.path
            checked += 1
    assert checked >= 10


def test_page_html_escapes_what_people_typed():
    env = make_environment()
    template = env.from_string(
        '{% import "partials/forms.html" as f with context %}'
        '{{ f.error_summary(errors) }}{{ f.input("x", "X", values, errors) }}'
    )
    html = template.render(
        errors={"x": "<script>alert(1)</script>"},
        values={"x": '"><img src=x onerror=alert(1)>'},
        form_token="t",
        field_label=lambda field, labels=None: "",
        **template_callables("fr"),
    )
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html
