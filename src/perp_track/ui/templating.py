"""The Jinja environment of the pages and the one helper that renders a page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from litestar import Request
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template import TemplateConfig

from perp_track import paths
from perp_track.auth.rules import ActingUser, Role
from perp_track.i18n import events
from perp_track.inbox import services as inbox
from perp_track.risk import views as risk_views
from perp_track.ui import dates, i18n, returns
from perp_track.ui.labels import FIELD_LABELS, PERSON_LABELS, translated_label
from perp_track.ui.rules import LANGUAGES
from perp_track.ui.sessions import LiveSession, clear_flash


@dataclass(frozen=True, slots=True)
class NavItem:
    href: str
    label: str  # a msgid, translated in the layout
    # False for a shortcut that the pages themselves offer as a button: left out on a phone,
    # where the menu would otherwise take a third of the screen.
    on_phone: bool = True


# What each role finds in the navigation; the inbox, with its unread count, is everyone's.
_INBOX = NavItem("/inbox", i18n.N_("Inbox"))
# Two lists of cases with two different jobs, and names that say so: the caseload is what the
# reader follows (what needs attention, sortable), "find a case" reaches any case of the justice
# house, by its reference or from the list of the house's cases.
_FIND_CASE = NavItem("/cases", i18n.N_("Find a case"))
_CASE_WORK = (
    NavItem("/", i18n.N_("Dashboard")),
    NavItem("/caseload", i18n.N_("My caseload")),
    _FIND_CASE,
    NavItem("/cases/new", i18n.N_("Open a case"), on_phone=False),
    _INBOX,
)
_SUPERVISION = (
    NavItem("/team", i18n.N_("Team")),
    NavItem("/statistics", i18n.N_("Statistics")),
    # On a phone, reached from the statistics page (the menu would take a fourth line).
    NavItem("/evaluations", i18n.N_("Evaluations"), on_phone=False),
    NavItem("/jobs", i18n.N_("Jobs")),
    NavItem("/risk-policy", i18n.N_("Risk policy")),
    NavItem("/interpreters", i18n.N_("Interpreters")),
)
NAVIGATION: dict[Role, tuple[NavItem, ...]] = {
    Role.JUSTICE_ASSISTANT: _CASE_WORK,
    Role.SUPERVISOR: (
        _CASE_WORK[0],
        NavItem("/caseload", i18n.N_("Team caseload")),
        *_CASE_WORK[2:4],
        *_SUPERVISION,
        _INBOX,
    ),
    Role.ADMIN: (NavItem("/", i18n.N_("Home")), *_SUPERVISION, _INBOX),
    Role.PROGRAMME_STAFF: (
        NavItem("/", i18n.N_("Home")),
        NavItem("/sessions", i18n.N_("Sessions")),
        NavItem("/participants", i18n.N_("Participants")),
        _INBOX,
    ),
    Role.POLICE_OFFICER: (
        NavItem("/", i18n.N_("Home")),
        NavItem("/referred", i18n.N_("Cases I referred")),
        NavItem("/red-list", i18n.N_("Red list")),
        NavItem("/alerts", i18n.N_("Alerts")),
        _INBOX,
    ),
    Role.SAPV_CONTACT: (
        NavItem("/", i18n.N_("Home")),
        NavItem("/victims", i18n.N_("Victims I support")),
        NavItem("/alerts", i18n.N_("Safety checks")),
        _INBOX,
    ),
}


@pass_context
def _label(context: Context, code: Any) -> str:
    """The translated word for a domain code (status, kind, role)."""
    return translated_label(code, lambda msgid: str(context.call(context["_"], msgid)))


@pass_context
def _tier(context: Context, code: Any) -> str:
    """A risk tier's name in the page's language: tiers are data (risk_policy), not catalog
    entries. The tiers are those the request read (page() puts them in the context)."""
    tiers = context.get("tiers")
    return tiers.name(str(code), context["lang"]) if tiers is not None else str(code)


@pass_context
def _tier_class(context: Context, code: Any) -> str:
    """The tier's emphasis: the tiers that start the closed loop stand out."""
    tiers = context.get("tiers")
    return "risk risk-loop" if tiers is not None and tiers.loops(str(code)) else "risk"


@pass_context
def _when(context: Context, value: datetime | None, style: str = "long") -> str:
    """A stored UTC datetime in the office's time zone, as a Belgian reads it in the page's
    language: "Thu 10 December 2026, 10:00" (long), "10 Dec 2026, 10:00" (short)."""
    if value is None:
        return ""
    return dates.belgian_datetime(
        value, language=context["lang"], tz=context["settings"].tz, style=style
    )


@pass_context
def _day(context: Context, value: date | None, style: str = "medium") -> str:
    """ "10 December 2026" (medium), "Thu 10 December 2026" (long), "10 Dec 2026" (short)."""
    if value is None:
        return ""
    return dates.belgian_date(value, language=context["lang"], style=style)


@pass_context
def _day_off(context: Context, value: datetime | date | None) -> str:
    """A warning when a summons falls on a weekend or a Belgian public holiday; "" otherwise."""
    if value is None:
        return ""
    return dates.day_off_warning(
        value, language=context["lang"], tz=context["settings"].tz, translate=context["translate"]
    )


@pass_context
def _local_input(context: Context, value: datetime | None) -> str:
    """The value of a datetime-local input: wall-clock time in the office's zone."""
    if value is None:
        return ""
    return value.astimezone(context["settings"].tz).strftime("%Y-%m-%dT%H:%M")


@pass_context
def _with_return(context: Context, href: str) -> str:
    """A link that carries on the way back to the list the reader came from (see returns)."""
    return returns.with_return(href, context.get("return_to"))


@pass_context
def _from_here(context: Context, href: str) -> str:
    """A link from a list that lets the confirmation at the end lead back to this list, as it
    is now (filters, sort, page)."""
    return returns.with_return(href, context.get("here"))


@pass_context
def _timeline_detail(context: Context, event: Any) -> str:
    """A timeline entry's sentence in the page's language, from its kind and data."""
    return events.describe(
        event,
        context["lang"],
        tz=context["settings"].tz,
        condition_kinds=context.get("timeline_conditions"),
        tier_names=_tier_names(context),
    )


def _tier_names(context: Context) -> dict[str, str]:
    tiers = context.get("tiers")
    return {code: tiers.name(code, context["lang"]) for code in tiers} if tiers else {}


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(paths.TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Pages get per-request callables (see page()); this keeps other templates rendering too.
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        label=_label,
        tier=_tier,
        tier_class=_tier_class,
        when=_when,
        day=_day,
        day_off=_day_off,
        local_input=_local_input,
        timeline_detail=_timeline_detail,
        with_return=_with_return,
        from_here=_from_here,
    )
    return env


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(make_environment()))


def field_label(translate: Any, field: str, labels: dict[str, str] | None = None) -> str:
    """ "victim.phone" -> "Victim: Mobile phone"; "conditions.0.kind" -> "Condition 1: Kind".

    labels: the page's own words for its fields where they differ from the usual ones (already
    translated), by name with "*" for a row number: {"kind": "Measure", "conditions.*.kind": ...}.
    """
    parts = field.split(".")
    words = []
    if len(parts) > 1 and parts[0] in PERSON_LABELS:
        group = translate(PERSON_LABELS[parts[0]])
        if parts[0] == "conditions" and parts[1].isdigit():
            group = group % {"n": int(parts[1]) + 1}
        words.append(group)
    own = (labels or {}).get(".".join("*" if p.isdigit() else p for p in parts))
    if own:
        words.append(own)
    elif parts[-1] in FIELD_LABELS:
        words.append(translate(FIELD_LABELS[parts[-1]]))
    return ": ".join(words)


def page_language(request: Request) -> str:
    return str(request.scope.get("state", {}).get("language", "fr"))


def base_context(request: Request) -> dict[str, Any]:
    """What every page and partial needs: the user, the language, the CSRF token, words."""
    lang = page_language(request)
    user = request.scope.get("user")
    session = request.scope.get("auth")
    actor = user if isinstance(user, ActingUser) else None
    live = session if isinstance(session, LiveSession) else None
    callables = i18n.template_callables(lang)
    return {
        "lang": lang,
        "languages": LANGUAGES,
        "user": actor,
        "nav": NAVIGATION.get(actor.role, ()) if actor else (),
        "form_token": live.csrf_token if live else request.scope["state"].get("pre_csrf", ""),
        "settings": request.app.state.settings,
        "path": request.url.path,
        "flash": [],
        "unread_count": 0,
        # The list this page was reached from, checked (see returns); forms carry it on.
        "return_to": returns.safe_return(request.query_params.get("return")),
        "here": returns.safe_return(
            request.url.path + (f"?{request.url.query}" if request.url.query else "")
        ),
        "return_label": lambda href: callables["translate"](returns.return_label(href)),
        **callables,
        "field_label": lambda field, labels=None: field_label(
            callables["translate"], field, labels
        ),
    }


async def page(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> Template:
    """Render a page; flash messages waiting in the session are shown once, then dropped."""
    ctx = base_context(request)
    session = request.scope.get("auth")
    if isinstance(session, LiveSession) and session.flash:
        ctx["flash"] = list(session.flash)
        await clear_flash(session_id=session.id)
        session.flash = []
    if ctx["return_to"] is None:
        ctx["return_to"] = await _return_of(request, ctx["flash"])
    if ctx["user"] is not None:
        ctx["unread_count"] = await inbox.unread_count(actor=ctx["user"])
    # Read once per request (risk.views caches them for it): the tier filter names them.
    ctx["tiers"] = await risk_views.policy_map()
    ctx.update(context)
    return Template(template_name=template, context=ctx, status_code=status_code)


async def _return_of(request: Request, flash: list[dict[str, str]]) -> str | None:
    """A form shown again carries on its hidden return path; the page a confirmation lands on
    takes it from the confirmation."""
    if request.method == "POST" and "form" in request.headers.get("content-type", ""):
        found = returns.safe_return((await request.form()).get("return"))
        if found:
            return found
    for message in flash:
        found = returns.safe_return(message.get("back"))
        if found:
            return found
    return None


def partial(request: Request, template: str, **context: Any) -> Template:
    """A fragment for an HTMX swap: no layout, no flash. One that names risk tiers is given
    them (tiers=await risk.views.policy_map())."""
    ctx = base_context(request)
    ctx.update(context)
    return Template(template_name=template, context=ctx)
