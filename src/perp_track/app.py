"""create_app(settings) -> Litestar: the one place that wires everything."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from litestar import Litestar
from litestar.datastructures import MutableScopeHeaders, State
from litestar.logging import LoggingConfig
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme, Tag
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from piccolo.engine.base import Engine

from perp_track import __version__, db
from perp_track.api_docs import document_errors
from perp_track.audit.controllers import AuditController
from perp_track.audit.rules import current_request_id
from perp_track.auth.controllers import AuthController, UserController
from perp_track.cases.access import Denial, watch_denials
from perp_track.cases.caseload.controllers import (
    CaseComplianceController,
    CaseloadController,
    TeamCaseloadController,
)
from perp_track.cases.controllers import CaseChangeController, CaseController
from perp_track.cases.restriction.controllers import RestrictionController
from perp_track.cases.restriction.denials import write_denials
from perp_track.clock import Clock, SystemClock
from perp_track.config import Settings, load_settings
from perp_track.dependencies import DEPENDENCIES
from perp_track.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    TooManyAttempts,
    Unauthenticated,
)
from perp_track.evaluations.controllers import EvaluationController
from perp_track.health import HealthController
from perp_track.idempotency.middleware import IdempotencyMiddleware
from perp_track.inbox.controllers import InboxController
from perp_track.interpreters.controllers import InterpreterController
from perp_track.jobs.controllers import JobsController
from perp_track.measures.controllers import ConditionController, MeasureController
from perp_track.notify.webhooks import TwilioWebhookController
from perp_track.partners.controllers import PoliceController, SapvController
from perp_track.privacy.controllers import PrivacyController
from perp_track.redlist.controllers import (
    PoliceRedListController,
    RedListFeedController,
    RedListTokenController,
)
from perp_track.risk import views as risk_views
from perp_track.risk.controllers import (
    CaseRiskController,
    RiskAlertController,
    RiskPolicyController,
)
from perp_track.safe_contact.controllers import SafeContactController
from perp_track.statistics.controllers import StatutoryStatisticsController
from perp_track.summons.controllers import SummonsController
from perp_track.summons.programme.controllers import ProgrammeController
from perp_track.ui.errors import page_exception_handlers
from perp_track.ui.middleware import WebSessionMiddleware
from perp_track.ui.pages.feedback import FeedbackLinkController
from perp_track.ui.router import page_handlers
from perp_track.ui.templating import template_config
from perp_track.web import (
    EXCEPTION_HANDLERS,
    PUBLIC_PATHS,
    BearerTokenMiddleware,
    id_range_guard,
)

if TYPE_CHECKING:
    from perp_track.scheduler import Running

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
# Pages load nothing from elsewhere and run no inline script; the API answers JSON only.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"
# The interactive API documentation pulls its viewer from a CDN: it gets no CSP of ours.
_DOCS_PREFIX = "/schema"
_FEEDBACK_PAGE = "/api/feedback/"


def request_context(settings: Settings) -> Callable[[ASGIApp], ASGIApp]:
    """A request id on every request and response; no-store on personal data; security headers."""
    hsts = (
        f"max-age={settings.hsts_max_age}; includeSubDomains"
        if settings.env == "production" and settings.hsts_max_age
        else None
    )

    def wrap(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            request_id = uuid.uuid4().hex
            scope.setdefault("state", {})["request_id"] = request_id
            # Whether a write committed: an error after it must say so (web.server_error).
            scope["state"]["commits"] = db.watch_commits()
            path: str = scope["path"]
            # The feedback link of a police e-mail is a page (under /api for the links already
            # sent): it gets the pages' policy, which lets it load its stylesheet.
            is_api = path.startswith("/api") and not path.startswith(_FEEDBACK_PAGE)

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = MutableScopeHeaders.from_message(message)
                    headers["X-Request-ID"] = request_id
                    for name, value in SECURITY_HEADERS.items():
                        headers[name] = value
                    if is_api:
                        headers["Content-Security-Policy"] = API_CONTENT_SECURITY_POLICY
                    elif not path.startswith(_DOCS_PREFIX):
                        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
                    if hsts:
                        headers["Strict-Transport-Security"] = hsts
                    if message["status"] == 429 and "Retry-After" not in headers:
                        headers["Retry-After"] = str(settings.login_lockout_minutes * 60)
                    if is_api or "Cache-Control" not in headers:
                        # Pages and API answers carry personal data: no cache may keep them.
                        headers["Cache-Control"] = "no-store"
                await send(message)

            # The audit trail names the request behind every entry it writes.
            token = current_request_id.set(request_id)
            # Refused attempts on restricted cases, written once the request's own work is over.
            denials = watch_denials()
            # The risk tiers are read once per request, and afresh by the next one.
            tiers = risk_views.start_request_cache()
            try:
                await app(scope, receive, send_with_headers)
            finally:
                if denials:
                    await _write_denials(scope, denials)
                risk_views.end_request_cache(tiers)
                current_request_id.reset(token)

        return middleware

    return wrap


async def _write_denials(scope: Scope, denials: list[Denial]) -> None:
    clock: Clock = scope["app"].state.clock
    try:
        await write_denials(
            denials, now=clock.now(), what=f"{scope.get('method', '')} {scope['path']}"
        )
    except Exception:  # the answer is sent; a failure here must be seen, not hidden
        logging.getLogger("perp_track").exception("could not record a refused attempt")


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    engine: Engine | None = None,
) -> Litestar:
    settings = settings or load_settings()
    db.quiet_drivers()
    owns_engine = engine is None
    engine = db.use_engine(engine or db.make_engine(settings))

    the_clock = clock or SystemClock()
    scheduler: Running | None = None

    async def start() -> None:
        nonlocal scheduler
        if owns_engine:
            await db.start(engine, settings.database_pool_size, settings)
        if settings.scheduler == "on":
            from perp_track.scheduler import process_owner, start_scheduler

            scheduler = start_scheduler(settings, the_clock, process_owner())

    async def stop() -> None:
        if scheduler is not None:
            await scheduler.stop()
        if owns_engine:
            await db.stop(engine)

    app = Litestar(
        route_handlers=[
            HealthController,
            AuthController,
            UserController,
            AuditController,
            CaseController,
            CaseChangeController,
            RestrictionController,
            MeasureController,
            SummonsController,
            InterpreterController,
            PoliceController,
            SapvController,
            PoliceRedListController,
            RedListFeedController,
            RedListTokenController,
            RiskPolicyController,
            CaseRiskController,
            RiskAlertController,
            PrivacyController,
            ConditionController,
            CaseComplianceController,
            CaseloadController,
            TeamCaseloadController,
            ProgrammeController,
            JobsController,
            EvaluationController,
            StatutoryStatisticsController,
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
            request_context(settings),
            # The API authenticates by bearer token, the pages by session cookie: page routes
            # carry opt exclude_from_auth (see ui/router.py). Every route keeps its role guard.
            DefineMiddleware(BearerTokenMiddleware, exclude=[f"^{p}" for p in PUBLIC_PATHS]),
            WebSessionMiddleware(),
            # Ids beyond the database's range: 404 everywhere, before any query.
            id_range_guard,
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
                Tag(name="auth", description="Logins, tokens, second factor, accounts"),
                Tag(name="audit", description="The append-only audit trail"),
                Tag(name="police", description="The referring officer's cases and feedback"),
                Tag(name="sapv", description="The SAPV contact's victims and their protection"),
                Tag(name="red list", description="Addresses under a ban, for the police zone"),
                Tag(name="privacy", description="Subject access export and retention"),
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
                TooManyAttempts,
            },
        ),
        debug=False,
    )
    document_errors(app)
    return app


def rebind(
    app: Litestar,
    *,
    settings: Settings | None = None,
    clock: Clock | None = None,
    engine: Engine | None = None,
) -> Litestar:
    """Point a built app at other settings, another clock or another database, without rebuilding.

    Handlers and middleware read the settings and the clock from the app's state on each request,
    and the tables use the engine of `db.use_engine`; the tests build one app and rebind it. What
    `create_app` fixes once (log level, HSTS, the scheduler) must not change: build another app.
    """
    if settings is not None:
        built: Settings = app.state.settings
        if (settings.env, settings.log_level, settings.hsts_max_age, settings.scheduler) != (
            built.env,
            built.log_level,
            built.hsts_max_age,
            built.scheduler,
        ):
            raise ValueError("these settings change what create_app fixed: build another app")
        app.state.settings = settings
    if clock is not None:
        app.state.clock = clock
    if engine is not None:
        db.use_engine(engine)
    return app


logging.getLogger("perp_track").setLevel(logging.INFO)
