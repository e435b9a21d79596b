"""Who is behind a page request: the session cookie (pages) rather than a bearer token (API)."""

from __future__ import annotations

import hmac
from datetime import timedelta
from urllib.parse import urlsplit

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.exceptions import PermissionDeniedException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.ui import rules
from perp_track.ui.sessions import LiveSession, resume_session

SESSION_COOKIE = "pt_session"
# Before login there is no session to hold a CSRF token: a double-submit cookie stands in.
PRE_LOGIN_CSRF_COOKIE = "pt_csrf"
LANGUAGE_COOKIE = "pt_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"

# Set on every page route: the bearer-token middleware leaves them alone (its opt-out key) and
# the session middleware runs on them only. The JSON API keeps its bearer tokens.
PAGE_OPT = {"exclude_from_auth": True, "web_page": True}
STATIC_OPT = {"exclude_from_auth": True}


def _not_a_page(scope: Scope) -> bool:
    return not scope["route_handler"].opt.get("web_page")


# Only our own files: no inline script or style, no other site, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def plain_cookie(settings: Settings, key: str, value: str, *, max_age: int) -> Cookie:
    """Every cookie of the pages: HttpOnly, SameSite=Lax, Secure unless run on plain http."""
    return Cookie(
        key=key,
        value=value,
        max_age=max_age,
        path="/",
        secure=settings.session_cookie_secure,
        httponly=True,
        samesite="lax",
    )


def session_cookie(settings: Settings, value: str, *, max_age: int) -> Cookie:
    return plain_cookie(settings, SESSION_COOKIE, value, max_age=max_age)


class WebSessionMiddleware(ASGIMiddleware):
    """Attaches the session's user to the request; the route guards decide what they may do."""

    should_bypass_for_scope = staticmethod(_not_a_page)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        connection: ASGIConnection = ASGIConnection(scope)
        settings: Settings = connection.app.state.settings
        clock: Clock = connection.app.state.clock
        state = scope.setdefault("state", {})
        set_cookies: list[Cookie] = []

        token = connection.cookies.get(SESSION_COOKIE)
        resumed = None
        if token:
            resumed = await resume_session(
                token=token, clock=clock, idle=timedelta(minutes=settings.session_idle_minutes)
            )
            if resumed is None:
                state["session_expired"] = True
                set_cookies.append(session_cookie(settings, "", max_age=0))
        if resumed is not None:
            user, live = resumed
            scope["user"] = user
            scope["auth"] = live
            profile_language: str | None = user.language
        else:
            profile_language = None
            pre = connection.cookies.get(PRE_LOGIN_CSRF_COOKIE)
            if not pre:
                pre = rules.new_secret()
                set_cookies.append(
                    plain_cookie(settings, PRE_LOGIN_CSRF_COOKIE, pre, max_age=12 * 3600)
                )
            state["pre_csrf"] = pre
        state["language"] = rules.choose_language(
            profile=profile_language,
            chosen=connection.cookies.get(LANGUAGE_COOKIE),
            accept_language=connection.headers.get("accept-language"),
        )

        async def send_with_cookies(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
                for cookie in set_cookies:
                    headers.add("set-cookie", cookie.to_header(header=""))
            await send(message)

        await next_app(scope, receive, send_with_cookies)


def _expected_token(connection: ASGIConnection) -> str:
    session = connection.scope.get("auth")
    if isinstance(session, LiveSession):
        return session.csrf_token
    return str(connection.scope.get("state", {}).get("pre_csrf", ""))


def _same_origin(connection: ASGIConnection) -> bool:
    """Refuse what the browser itself says came from another site (defence in depth).

    Browsers send Sec-Fetch-Site on every request; Origin is "null" on our pages, whose
    Referrer-Policy is no-referrer, so it is checked only when it names a site.
    """
    fetch_site = connection.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in {"same-origin", "none"}:
        return False
    origin = connection.headers.get("origin")
    if origin is None or origin == "null":
        return True
    allowed = {
        connection.headers.get("host", ""),
        urlsplit(connection.app.state.settings.public_base_url).netloc,
    }
    return urlsplit(origin).netloc in allowed


async def check_csrf(connection: ASGIConnection) -> None:
    """Every state-changing page request carries this session's token (before_request hook)."""
    if connection.scope.get("method") in {"GET", "HEAD", "OPTIONS"}:
        return
    if not _same_origin(connection):
        raise PermissionDeniedException("cross-site request refused")
    sent = connection.headers.get(CSRF_HEADER)
    if sent is None and isinstance(connection, Request):
        form = await connection.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    expected = _expected_token(connection)
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise PermissionDeniedException("the form has expired or was not sent from this site")
