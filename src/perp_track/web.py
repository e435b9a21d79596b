"""The HTTP edge shared by every controller: authentication, guards, error mapping."""

from __future__ import annotations

import logging
import re
import sqlite3
import uuid
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

import asyncpg
from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.exceptions import HTTPException, NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.status_codes import (
    HTTP_401_UNAUTHORIZED,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_429_TOO_MANY_REQUESTS,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)
from litestar.types import ASGIApp, Receive, Scope, Send

from perp_track.auth import services as auth_services
from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    RecordError,
    TooManyAttempts,
    Unauthenticated,
)
from perp_track.i18n.errors import error_message, requested_language
from perp_track.redlist import rules as redlist_rules
from perp_track.redlist import services as redlist_services

log = logging.getLogger("perp_track")

# Routes anyone may call. Everything else needs a role: deny by default (tests/api check it).
# Twilio's callbacks check X-Twilio-Signature; the feedback link checks its HMAC.
PUBLIC_PATHS = (
    "/health",
    "/ready",
    "/schema",
    "/api/auth/login",
    # The pages' login form, language switch and static files: nothing personal behind them.
    "/login",
    "/language",
    "/static",
    "/api/twilio/",
    "/api/feedback/",
)


class BearerTokenMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthorizedException(
                "log in first: send 'Authorization: Bearer <token>' (POST /api/auth/login)"
            )
        clock: Clock = connection.app.state.clock
        token = token.strip()
        try:
            if token.startswith(redlist_rules.TOKEN_PREFIX):
                # A zone's red-list token: reads that zone's red list, nothing else (its guard).
                feed = await redlist_services.authenticate_feed(token=token, clock=clock)
                return AuthenticationResult(user=feed, auth=token)
            user = await auth_services.authenticate(token=token, clock=clock)
        except Unauthenticated as exc:
            raise NotAuthorizedException(exc.message) from None
        return AuthenticationResult(user=user, auth=token)


# Every id is a 32-bit integer in the database (Serial, and the foreign keys to it). A number
# beyond it cannot name a record: 404, before any query is made with it (which would fail).
ID_MIN, ID_MAX = -(2**31), 2**31 - 1


def _beyond_range(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and not ID_MIN <= value <= ID_MAX


def _is_id_param(name: str) -> bool:
    return name == "id" or name.endswith("_id")


def id_range_guard(app: ASGIApp) -> ASGIApp:
    """Middleware: an integer path parameter, or an `…_id` query parameter, beyond the
    database's integer range answers 404 on every route and page (one place, not each route)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            if any(_beyond_range(v) for v in scope.get("path_params", {}).values()):
                raise NotFound(RecordError.NO_SUCH_ID, name="id")
            query = scope.get("query_string", b"").decode("latin-1")
            for name, value in parse_qsl(query, keep_blank_values=True):
                number = value.strip()
                if (
                    _is_id_param(name)
                    and re.fullmatch(r"[+-]?\d{1,400}", number)
                    and _beyond_range(int(number))
                ):
                    raise NotFound(RecordError.NO_SUCH_ID, name=name)
        await app(scope, receive, send)

    return middleware


def requires(*roles: Role) -> Callable[[ASGIConnection, BaseRouteHandler], Awaitable[None]]:
    """A guard that lets only these roles through. Its `.roles` is the route's declared policy
    (tests/api/test_authorization_matrix.py reads it). Async, so Litestar runs it inline
    rather than in a worker thread."""
    allowed = frozenset(roles)

    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        user = connection.scope.get("user")
        if isinstance(user, redlist_rules.ZoneFeed):
            raise PermissionDeniedException("a red-list token reads the red list only")
        if not isinstance(user, ActingUser):
            raise NotAuthorizedException("log in first")
        if user.role not in allowed:
            raise PermissionDeniedException("your role may not do this")

    guard.roles = allowed  # type: ignore[attr-defined]
    return guard


def requires_zone_feed() -> Callable[[ASGIConnection, BaseRouteHandler], Awaitable[None]]:
    """A guard that lets only a police zone's red-list token through (no person's role)."""

    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        if not isinstance(connection.scope.get("user"), redlist_rules.ZoneFeed):
            raise PermissionDeniedException("this feed needs a red-list token of a police zone")

    guard.roles = frozenset()  # type: ignore[attr-defined]
    guard.zone_feed = True  # type: ignore[attr-defined]
    return guard


def _body(
    status: int,
    detail: str,
    request: Request,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response[dict[str, Any]]:
    content: dict[str, Any] = {"status_code": status, "detail": detail}
    if extra:
        content["extra"] = extra
    return Response(
        content=content,
        status_code=status,
        headers={**_request_id_header(request), **(headers or {})},
    )


def _request_id_header(request: Request) -> dict[str, str]:
    rid = request.scope.get("state", {}).get("request_id")
    return {"X-Request-ID": rid} if rid else {}


_STATUS = {
    NotFound: HTTP_404_NOT_FOUND,
    Conflict: HTTP_409_CONFLICT,
    Forbidden: HTTP_403_FORBIDDEN,
    Invalid: HTTP_422_UNPROCESSABLE_ENTITY,
    Unauthenticated: HTTP_401_UNAUTHORIZED,
    TooManyAttempts: HTTP_429_TOO_MANY_REQUESTS,
}


def domain_error(request: Request, exc: DomainError) -> Response[dict[str, Any]]:
    """{"code", "detail", "params"}: detail in English, or in the Accept-Language language.
    `extra` repeats the params for the clients written before `params` existed."""
    status = next(code for cls, code in _STATUS.items() if isinstance(exc, cls))
    language = requested_language(request.headers.get("accept-language"))
    content: dict[str, Any] = {
        "status_code": status,
        "code": str(exc.code) if exc.code else None,
        "detail": error_message(exc, language),
        "params": exc.extra,
    }
    if exc.params:
        content["extra"] = exc.extra
    headers = _request_id_header(request)
    if status == HTTP_429_TOO_MANY_REQUESTS and "retry_after_seconds" in exc.extra:
        headers["Retry-After"] = str(int(exc.extra["retry_after_seconds"]))
    return Response(content=content, status_code=status, headers=headers)


def _committed(request: Request) -> bool:
    """Whether this request committed a write before it failed (see db.watch_commits)."""
    box = request.scope.get("state", {}).get("commits")
    return bool(box and box[0])


_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

# The database did not answer: a timeout (connect, pool, statement), a lost connection.
DATABASE_UNAVAILABLE: tuple[type[BaseException], ...] = (
    TimeoutError,
    ConnectionError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.QueryCanceledError,
    asyncpg.exceptions.TooManyConnectionsError,
    asyncpg.exceptions.CannotConnectNowError,
)
RETRY_AFTER_DATABASE_SECONDS = 5


def database_unavailable(request: Request, exc: Exception) -> Response[dict[str, Any]]:
    log.warning(
        "database unavailable on %s %s: %s", request.method, request.url.path, type(exc).__name__
    )
    if request.method in _SAFE_METHODS:
        detail = "the database is not answering at the moment; try again in a few seconds"
    elif _committed(request):
        detail = (
            "your change was saved, but the database stopped answering before we could finish:"
            " reload to see it, and do not send it again"
        )
    else:
        detail = (
            "the database did not answer in time, so we cannot tell whether your change was"
            " saved: reload to check before sending it again (with the same Idempotency-Key a"
            " request is never done twice)"
        )
    return _body(
        HTTP_503_SERVICE_UNAVAILABLE,
        detail,
        request,
        {"Retry-After": str(RETRY_AFTER_DATABASE_SECONDS)},
    )


def integrity_error(request: Request, exc: Exception) -> Response[dict[str, Any]]:
    # A constraint the services did not foresee: the request clashed with stored data.
    log.warning("integrity error on %s %s: %s", request.method, request.url.path, type(exc))
    return _body(HTTP_409_CONFLICT, "this clashes with data already recorded", request)


def server_error(request: Request, exc: Exception) -> Response[dict[str, Any]]:
    if isinstance(exc, HTTPException):
        return _body(exc.status_code, exc.detail, request, **(_extra(exc)))
    if isinstance(exc, DATABASE_UNAVAILABLE):
        return database_unavailable(request, exc)
    error_id = uuid.uuid4().hex[:12]
    log.exception("unhandled error %s on %s %s", error_id, request.method, request.url.path)
    if request.method in _SAFE_METHODS:
        detail = f"something went wrong on our side. Error id: {error_id}"
    elif _committed(request):
        # Never "nothing was saved" when it was: a client that believed it would do it twice.
        detail = (
            "something went wrong on our side after your change was saved: reload to see it,"
            f" and do not send it again. Error id: {error_id}"
        )
    else:
        detail = (
            "something went wrong on our side, most likely before your change was saved:"
            f" reload to check before sending it again. Error id: {error_id}"
        )
    return _body(HTTP_500_INTERNAL_SERVER_ERROR, detail, request)


def _extra(exc: HTTPException) -> dict[str, Any]:
    extra = exc.extra
    if isinstance(extra, list) and extra:
        return {"errors": extra}
    if isinstance(extra, dict) and extra:
        return extra
    return {}


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: domain_error,
    sqlite3.IntegrityError: integrity_error,
    asyncpg.exceptions.IntegrityConstraintViolationError: integrity_error,
    HTTPException: server_error,
    **dict.fromkeys(DATABASE_UNAVAILABLE, database_unavailable),
    Exception: server_error,
}
