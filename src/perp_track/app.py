"""create_app(settings) -> Litestar: the one place that wires everything."""

from __future__ import annotations

import logging
import uuid

from litestar import Litestar
from litestar.datastructures import MutableScopeHeaders, State
from litestar.logging import LoggingConfig
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme, Tag
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from piccolo.engine.base import Engine

from perp_track import __version__, db
from perp_track.auth.controllers import AuthController
from perp_track.cases.caseload_controllers import CaseComplianceController, CaseloadController
from perp_track.cases.controllers import CaseController
from perp_track.clock import Clock, SystemClock
from perp_track.config import Settings, load_settings
from perp_track.dependencies import DEPENDENCIES
from perp_track.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from perp_track.health import HealthController
from perp_track.idempotency.middleware import IdempotencyMiddleware
from perp_track.jobs.controllers import JobsController
from perp_track.measures.controllers import ConditionController, MeasureController
from perp_track.notify.controllers import InboxController, SafeContactController
from perp_track.notify.webhooks import FeedbackLinkController, TwilioWebhookController
from perp_track.summons.controllers import SummonsController
from perp_track.summons.programme_controllers import ProgrammeController
from perp_track.ui.errors import page_exception_handlers
from perp_track.ui.middleware import WebSessionMiddleware
from perp_track.ui.router import page_handlers
from perp_track.ui.templating import template_config
from perp_track.web import EXCEPTION_HANDLERS, PUBLIC_PATHS, BearerTokenMiddleware

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def request_context(app: ASGIApp) -> ASGIApp:
    """A request id on every request and response; no-store on personal data; security headers."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        is_api = scope["path"].startswith("/api")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                headers["X-Request-ID"] = request_id
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                if is_api or "Cache-Control" not in headers:
                    # Pages and API answers carry personal data: no cache may keep them.
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await app(scope, receive, send_with_headers)

    return middleware


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    engine: Engine | None = None,
) -> Litestar:
    settings = settings or load_settings()
    owns_engine = engine is None
    engine = db.use_engine(engine or db.make_engine(settings))

    the_clock = clock or SystemClock()
    scheduler = None

    async def start() -> None:
        nonlocal scheduler
        if owns_engine:
            await db.start(engine, settings.database_pool_size)
        if settings.scheduler == "on":
            from perp_track.scheduler import build_scheduler, process_owner

            scheduler = build_scheduler(settings, the_clock, process_owner())
            scheduler.start()

    async def stop() -> None:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        if owns_engine:
            await db.stop(engine)

    return Litestar(
        route_handlers=[
            HealthController,
            AuthController,
            CaseController,
            MeasureController,
            SummonsController,
            ConditionController,
            CaseComplianceController,
            CaseloadController,
            ProgrammeController,
            JobsController,
            *page_handlers(),
            SafeContactController,
            InboxController,
            TwilioWebhookController,
            FeedbackLinkController,
        ],
        dependencies=DEPENDENCIES,
        # Pages get HTML error pages; the JSON API keeps its JSON errors.
        exception_handlers=page_exception_handlers(EXCEPTION_HANDLERS),
        middleware=[
            request_context,
            # The API authenticates by bearer token, the pages by session cookie: page routes
            # carry opt exclude_from_auth (see ui/router.py). Every route keeps its role guard.
            DefineMiddleware(BearerTokenMiddleware, exclude=[f"^{p}" for p in PUBLIC_PATHS]),
            WebSessionMiddleware(),
            # After authentication: a key belongs to the user who sent it.
            IdempotencyMiddleware,
        ],
        template_config=template_config(),
        state=State({"settings": settings, "clock": the_clock}),
        on_startup=[start],
        on_shutdown=[stop],
        openapi_config=OpenAPIConfig(
            title="perp-track",
            version=__version__,
            description=(
                "Alternative measures for perpetrators of domestic violence in Belgium: cases,"
                " measures, summons, attendance, and who is told what. Log in with"
                " POST /api/auth/login and send the token as 'Authorization: Bearer <token>'."
            ),
            path="/schema",
            security=[{"BearerToken": []}],
            components=Components(
                security_schemes={"BearerToken": SecurityScheme(type="http", scheme="bearer")}
            ),
            tags=[
                Tag(name="cases", description="Open and read cases"),
                Tag(name="measures", description="Measures, conditions and their lifecycle"),
                Tag(name="summons", description="Summons and attendance"),
                Tag(name="caseload", description="The justice assistant's caseload and deadlines"),
                Tag(
                    name="programme", description="Programme staff: referrals, sessions, roll-call"
                ),
                Tag(name="inbox", description="Each user's messages and police feedback"),
                Tag(
                    name="victim safe contact",
                    description="Consent and safe-contact profile, kept by the SAPV contact",
                ),
            ],
        ),
        logging_config=LoggingConfig(
            root={"level": settings.log_level, "handlers": ["queue_listener"]},
            log_exceptions="always",
            # Domain errors are answers (4xx) a person reads, not bugs: no stack trace for them
            # (Litestar compares the exact exception class).
            disable_stack_trace={
                401,
                403,
                404,
                405,
                409,
                422,
                400,
                NotFound,
                Conflict,
                Forbidden,
                Invalid,
                Unauthenticated,
            },
        ),
        debug=False,
    )


logging.getLogger("perp_track").setLevel(logging.INFO)
