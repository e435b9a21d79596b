"""Error pages for people: 401 sends them to the login, 403/404/500 explain in their language."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR, HTTP_503_SERVICE_UNAVAILABLE

from perp_track.errors import DomainError
from perp_track.ui import rules
from perp_track.ui.error_messages import error_text
from perp_track.ui.i18n import N_
from perp_track.ui.templating import base_context
from perp_track.web import _SAFE_METHODS, _STATUS, DATABASE_UNAVAILABLE, _committed, log

Handler = Callable[[Request, Any], Response[Any]]

# Messages of the web edge that the error page shows as they are; marked here so the catalogs
# carry their translations (the error page passes them through _()). The services' own errors
# go through error_messages.error_text.
KNOWN_MESSAGES = (
    N_("your role may not do this"),
    N_("log in first"),
    N_("the form has expired or was not sent from this site"),
    N_("cross-site request refused"),
)

_API_PREFIXES = ("/api", "/schema", "/health", "/ready", "/static")


def is_page_request(request: Request) -> bool:
    return not request.url.path.startswith(_API_PREFIXES)


def _status(exc: Exception) -> int:
    if isinstance(exc, DATABASE_UNAVAILABLE):
        return HTTP_503_SERVICE_UNAVAILABLE
    if isinstance(exc, HTTPException):
        return exc.status_code
    if isinstance(exc, DomainError):
        return next(code for cls, code in _STATUS.items() if isinstance(exc, cls))
    return HTTP_500_INTERNAL_SERVER_ERROR


def error_page(request: Request, exc: Exception) -> Response[Any]:
    status = _status(exc)
    if isinstance(exc, NotAuthorizedException):
        target = rules.safe_next(request.url.path if request.method == "GET" else "/")
        query = "?next=" + quote(target, safe="/") if target != "/" else ""
        if request.scope.get("state", {}).get("session_expired"):
            query += ("&" if query else "?") + "expired=1"
        if request.headers.get("hx-request"):
            # HTMX swaps would put the login page inside a fragment: send the browser there.
            return Response(content="", status_code=401, headers={"HX-Redirect": "/login" + query})
        return Redirect(path="/login" + query)
    error_id = None
    # What a person may believe of what they sent: never "nothing was saved" when it was.
    saved = None
    if status >= 500 and request.method not in _SAFE_METHODS:
        saved = "yes" if _committed(request) else "unknown"
    if status == HTTP_503_SERVICE_UNAVAILABLE and isinstance(exc, DATABASE_UNAVAILABLE):
        log.warning(
            "database unavailable on %s %s: %s",
            request.method,
            request.url.path,
            type(exc).__name__,
        )
    elif status >= 500:
        error_id = uuid.uuid4().hex[:12]
        log.exception(
            "unhandled error %s on %s %s",
            error_id,
            request.method,
            request.url.path,
            exc_info=exc,
        )
    state = request.scope.setdefault("state", {})
    if "language" not in state:
        # The route was not found, so no page middleware ran: the browser's language decides.
        state["language"] = rules.choose_language(
            profile=None,
            chosen=request.cookies.get("pt_lang"),
            accept_language=request.headers.get("accept-language"),
        )
    context = base_context(request)
    detail = error_text(state["language"], exc) if isinstance(exc, DomainError) else None
    if isinstance(exc, HTTPException) and status < 500 and status != 404:
        detail = exc.detail
    context.update(status=status, detail=detail, error_id=error_id, saved=saved)
    headers = {"Retry-After": "5"} if status == HTTP_503_SERVICE_UNAVAILABLE else None
    return Template(
        template_name="errors/error.html", context=context, status_code=status, headers=headers
    )


def html_aware(handler: Handler) -> Handler:
    """Pages get an HTML error page; the JSON API keeps its JSON errors."""

    def handle(request: Request, exc: Any) -> Response[Any]:
        if is_page_request(request):
            try:
                return error_page(request, exc)
            except Exception:  # an error page must never fail: fall back to the JSON body
                log.exception("the error page itself failed")
        return handler(request, exc)

    return handle


def page_exception_handlers(handlers: dict[Any, Any]) -> dict[Any, Any]:
    return {kind: html_aware(handler) for kind, handler in handlers.items()}
