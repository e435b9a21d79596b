"""Login, logout, the language switcher, each role's home page and the profile."""

from __future__ import annotations

from datetime import timedelta

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from perp_track.auth.errors import AuthError
from perp_track.auth.rules import ActingUser, Role
from perp_track.cases import services as case_services
from perp_track.cases.caseload import services as caseload
from perp_track.cases.caseload.schemas import Attention
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.errors import TooManyAttempts, Unauthenticated
from perp_track.ui import returns, rules, sessions
from perp_track.ui import services as ui_services
from perp_track.ui.i18n import gettext
from perp_track.ui.middleware import LANGUAGE_COOKIE, plain_cookie, session_cookie
from perp_track.ui.templating import page, page_language
from perp_track.web import requires

ANY_ROLE = tuple(Role)
CASE_STAFF = (Role.JUSTICE_ASSISTANT, Role.SUPERVISOR)
# Attention items the dashboard lists on their own; the rest are "overdue or due".
_OWN_LISTS = frozenset({Attention.BAN_ENDING, Attention.AWAITING_DECISION})


def see_other(path: str) -> Redirect:
    """After a POST, the browser fetches the next page with GET (no resubmission on reload)."""
    return Redirect(path=path, status_code=HTTP_303_SEE_OTHER)


async def flash(
    request: Request, message: str, level: str = "success", *, target: str | None = None
) -> None:
    """A message for the next page, already in the user's language; `target` names the element
    (row, section) the redirect lands on, which the page highlights."""
    session = request.scope.get("auth")
    if isinstance(session, sessions.LiveSession):
        await sessions.add_flash(
            session_id=session.id,
            level=level,
            message=message,
            target=target,
            back=await posted_return(request) if level == "success" else None,
        )


async def posted_return(request: Request) -> str | None:
    """The list a posted form was reached from (its hidden `return` field), checked."""
    if request.method != "POST" or "form" not in request.headers.get("content-type", ""):
        return None
    return returns.safe_return((await request.form()).get("return"))


class LoginPages(Controller):
    """Public: the only page routes without a role guard."""

    @get("/login", name="login")
    async def login_form(
        self,
        request: Request,
        next: FromQuery[str | None] = None,
        expired: FromQuery[bool] = False,
        bye: FromQuery[bool] = False,
    ) -> Template | Redirect:
        if isinstance(request.scope.get("user"), ActingUser):
            return see_other(rules.safe_next(next))
        return await page(
            request,
            "auth/login.html",
            next=rules.safe_next(next),
            expired=expired,
            bye=bye,
            error=None,
            email="",
        )

    @post("/login")
    async def login(
        self,
        request: Request,
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Template | Redirect:
        form = await request.form()
        email = str(form.get("email") or "")[:254]
        password = str(form.get("password") or "")[:1024]
        target = rules.safe_next(str(form.get("next") or "/"))
        totp_code = str(form.get("totp_code") or "")[:10] or None
        try:
            started = await sessions.start_session(
                email=email,
                password=password,
                clock=clock,
                lifetime=timedelta(hours=settings.session_max_hours),
                totp_code=totp_code,
                client=request.client.host if request.client else None,
                secret_key=settings.secret_key,
                max_failures=settings.login_max_failures,
                lockout=timedelta(minutes=settings.login_lockout_minutes),
            )
        except (Unauthenticated, TooManyAttempts) as exc:
            lang = page_language(request)
            if isinstance(exc, TooManyAttempts):
                error = gettext(lang, "Too many failed logins: try again later.")
            elif exc.code is AuthError.SECOND_FACTOR_REQUIRED:
                error = gettext(lang, "Enter the code of your authenticator app.")
            elif exc.code is AuthError.WRONG_SECOND_FACTOR:
                error = gettext(lang, "Wrong or already used authenticator code.")
            else:
                error = gettext(lang, "Wrong e-mail address or password.")
            return await page(
                request,
                "auth/login.html",
                status_code=429 if isinstance(exc, TooManyAttempts) else 401,
                next=target,
                expired=False,
                bye=False,
                error=error,
                email=email,
            )
        previous = request.scope.get("auth")
        if isinstance(previous, sessions.LiveSession):
            # A second login from the same browser replaces the first session, never keeps both.
            await sessions.end_session(session_id=previous.id, clock=clock)
        response = see_other(target)
        response.set_cookie(
            session_cookie(settings, started.token, max_age=settings.session_max_hours * 3600)
        )
        return response

    @post("/logout", guards=[requires(*ANY_ROLE)])
    async def logout(
        self, request: Request, clock: NamedDependency[Clock], settings: NamedDependency[Settings]
    ) -> Redirect:
        session = request.scope.get("auth")
        if isinstance(session, sessions.LiveSession):
            await sessions.end_session(session_id=session.id, clock=clock)
        response = see_other("/login?bye=1")
        response.set_cookie(session_cookie(settings, "", max_age=0))
        return response

    @post("/language")
    async def language(self, request: Request, settings: NamedDependency[Settings]) -> Redirect:
        """Public, so the login page can be read in one's language; a user's profile follows."""
        form = await request.form()
        chosen = str(form.get("language") or "")
        if chosen not in rules.LANGUAGES:
            chosen = rules.DEFAULT_LANGUAGE
        user = request.scope.get("user")
        if isinstance(user, ActingUser):
            await sessions.set_language(actor=user, language=chosen)
        response = see_other(rules.safe_next(str(form.get("next") or "/"), login_page=True))
        response.set_cookie(plain_cookie(settings, LANGUAGE_COOKIE, chosen, max_age=365 * 86400))
        return response


class HomePages(Controller):
    @get("/", guards=[requires(*ANY_ROLE)], name="home")
    async def home(
        self,
        request: Request,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Template:
        organisation = await ui_services.organisation_name(actor=actor)
        if actor.role in CASE_STAFF:
            board = await ui_services.dashboard(actor=actor, clock=clock)
            attention = await caseload.overdue(actor=actor, now=clock.now(), settings=settings)
            cases, total = await case_services.list_cases(
                actor=actor, mine=actor.role is Role.JUSTICE_ASSISTANT, limit=10, offset=0
            )
            return await page(
                request,
                "home/dashboard.html",
                board=board,
                overdue=[a for a in attention if a.attention not in _OWN_LISTS],
                bans_ending=[a for a in attention if a.attention == Attention.BAN_ENDING],
                decisions=[a for a in attention if a.attention == Attention.AWAITING_DECISION],
                organisation=organisation,
                cases=cases,
                total=total,
            )
        return await page(request, "home/role_home.html", organisation=organisation)

    @get("/profile", guards=[requires(*ANY_ROLE)])
    async def profile(self, request: Request, actor: NamedDependency[ActingUser]) -> Template:
        organisation = await ui_services.organisation_name(actor=actor)
        return await page(request, "home/profile.html", organisation=organisation)
