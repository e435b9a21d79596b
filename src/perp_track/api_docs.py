"""The error answers every operation can give, written into the OpenAPI document.

Litestar documents the success answer and its own 400. The domain errors (web.EXCEPTION_HANDLERS)
add 401, 403, 404, 409, 422 and 429 with one body shape; a client, and the schemathesis run in
the tests, must find them documented. A 500 is never documented: it is a bug.
"""

from __future__ import annotations

from litestar import Litestar
from litestar._openapi.plugin import OpenAPIPlugin
from litestar.openapi.spec import OpenAPI, OpenAPIMediaType, OpenAPIResponse, Schema
from litestar.openapi.spec.enums import OpenAPIType

from perp_track.error_codes import DOMAINS
from perp_track.web import PUBLIC_PATHS

PROBLEM = Schema(
    type=OpenAPIType.OBJECT,
    required=["status_code", "detail"],
    properties={
        "status_code": Schema(type=OpenAPIType.INTEGER),
        "code": Schema(
            type=[OpenAPIType.STRING, OpenAPIType.NULL],
            enum=[*(str(code) for domain in DOMAINS for code in domain), None],
            description=(
                "The stable code of a domain error (null for the web edge's own errors):"
                " a client decides by it, never by the detail's wording"
            ),
        ),
        "detail": Schema(
            type=OpenAPIType.STRING,
            description=(
                "The error in English, or in the language asked by Accept-Language (fr, nl or en)"
            ),
        ),
        "params": Schema(
            type=OpenAPIType.OBJECT,
            description="What varies in the message, by name (codes as codes, dates ISO 8601)",
        ),
        "extra": Schema(
            type=[OpenAPIType.OBJECT, OpenAPIType.ARRAY, OpenAPIType.NULL],
            description="The params again, for clients written before params existed",
        ),
    },
)

MEANINGS = {
    "400": "The request is malformed: a parameter or the body does not have the documented form",
    "401": "Not logged in, or the token is unknown, revoked or expired",
    "403": "Your role may not do this",
    "404": "Not found, or not yours to know about",
    "409": "It clashes with the current state (e.g. a transition not allowed from here)",
    "422": "It breaks a rule of the domain; the detail says which",
    "429": "Too many failed logins: wait before trying again",
}
_WRITES = {"post", "put", "patch", "delete"}


def _public(path: str) -> bool:
    public = [p.rstrip("/") for p in PUBLIC_PATHS]
    return any(path == p or path.startswith(p + "/") for p in public)


def codes_for(path: str, method: str) -> list[str]:
    codes = ["400", "422"]
    if path == "/api/auth/login":
        return [*codes, "401", "429"]
    if _public(path):
        return codes
    codes += ["401", "403"]
    if "{" in path or method in _WRITES:
        codes.append("404")
    if method in _WRITES:
        codes.append("409")
    return codes


def add_error_answers(openapi: OpenAPI) -> None:
    """Add the error answers to every operation of an OpenAPI document."""
    for path, item in (openapi.paths or {}).items():
        for method in ("get", "put", "post", "delete", "patch"):
            operation = getattr(item, method, None)
            if operation is None:
                continue
            responses = operation.responses if operation.responses is not None else {}
            for code in codes_for(path, method):
                responses.setdefault(
                    code,
                    OpenAPIResponse(
                        description=MEANINGS[code],
                        content={"application/json": OpenAPIMediaType(schema=PROBLEM)},
                    ),
                )
            operation.responses = responses


class _DocumentedOpenAPIPlugin(OpenAPIPlugin):
    """Litestar's OpenAPI plugin, whose document also names the error answers."""

    __slots__ = ()

    def _build_openapi(self) -> OpenAPI:
        openapi = super()._build_openapi()
        add_error_answers(openapi)
        return openapi


def document_errors(app: Litestar) -> None:
    """Have the app's OpenAPI document name the error answers, when it is first built.

    Litestar builds the document on its first request (/schema, or a test reading
    app.openapi_schema), not at start-up: building it for ~150 operations takes about a second,
    which every process start would pay. Litestar always makes its own plugin, so the instance
    is given the subclass above (same slots, one method more).
    """
    plugin = app.plugins.get(OpenAPIPlugin)
    plugin.__class__ = _DocumentedOpenAPIPlugin
