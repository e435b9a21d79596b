"""The authorisation matrix, as data: every route's policy read from the app, and the sample
requests that exercise it. tests/api/test_authorization_matrix.py runs it.

A new route is picked up from `app.routes` by itself. It needs:
- a policy: a `requires(...)` guard (or `requires_zone_feed()`), or a path in web.PUBLIC_PATHS;
- an entry in SAMPLES below: the body a permitted role sends, and how its path ids are filled
  (PARAMS knows case_id, measure_id, summons_id, person_id, user_id, token_id; add yours).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute

from perp_track.auth.rules import ActingUser, Role
from perp_track.web import PUBLIC_PATHS

PUBLIC = "public"
ZONE_FEED = "zone_feed"


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # as Litestar spells it, e.g. /api/cases/{case_id:int}
    handler: HTTPRouteHandler

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    @property
    def is_page(self) -> bool:
        """A web page: session cookie and CSRF token, form bodies, HTML answers."""
        return bool(self.handler.opt.get("web_page"))

    @property
    def params(self) -> list[str]:
        return re.findall(r"{(\w+)(?::\w+)?}", self.path)

    def url(self, values: dict[str, Any]) -> str:
        return re.sub(r"{(\w+)(?::\w+)?}", lambda m: str(values[m.group(1)]), self.path)


def endpoints(app: Litestar) -> list[Endpoint]:
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            for method in sorted(handler.http_methods - {"OPTIONS", "HEAD"}):
                found.append(Endpoint(method, route.path, handler))
    return sorted(found, key=lambda e: (e.path, e.method))


def policy(endpoint: Endpoint) -> frozenset[Role] | str | None:
    """Who may call it: the roles every guard lets through, PUBLIC, ZONE_FEED, or None."""
    # Litestar wraps a sync guard; the wrapper keeps the original as .func.
    guards = [getattr(g, "func", g) for g in endpoint.handler.resolve_guards()]
    if any(getattr(g, "zone_feed", False) for g in guards):
        return ZONE_FEED
    role_sets = [frozenset(g.roles) for g in guards if hasattr(g, "roles")]
    if role_sets:
        allowed = frozenset(Role)
        for roles in role_sets:
            allowed &= roles
        return allowed
    public = [p.rstrip("/") for p in PUBLIC_PATHS]
    if any(endpoint.path == p or endpoint.path.startswith(p + "/") for p in public):
        return PUBLIC
    return None


Body = Callable[["Context"], Any] | None


@dataclass(frozen=True)
class Sample:
    body: Body = None
    # Path parameter -> the name of its resolver in PARAMS, when it differs from the param name.
    params: dict[str, str] = field(default_factory=dict)
    # Statuses a permitted role may get on its own records besides success (a 409 for a state
    # the sample cannot reach, a 422 for a code the test cannot know).
    own_also: frozenset[int] = frozenset()
    # Roles that see the other house's record through this route (an administrator's reach).
    other_visible_to: frozenset[Role] = frozenset()
    # The call ends the token it is made with (logout): it gets a fresh one.
    fresh_token: bool = False
    # Query parameters the route requires.
    query: Callable[[Context], dict[str, str]] | None = None


@dataclass
class Side:
    """The records of one side of the matrix: 'own' (house A, its partners) or 'other'."""

    case_id: int
    measure_id: int
    summons_id: int
    victim_id: int
    zone_id: int
    user_id: int  # a colleague in the actor's organisation (or the other house's)
    condition_id: int  # the programme condition (the referral to the side's provider)
    session_id: int  # a programme session of the side's provider


@dataclass
class Context:
    world: Any
    own: Side
    other: Side
    users: dict[Role, ActingUser]
    new_token_id: Callable[[ActingUser], Awaitable[int]]
    new_red_list_token_id: Callable[[], Awaitable[int]]
    extra: dict[str, Any] = field(default_factory=dict)

    def at(self, days: int = 7) -> str:
        return self.world.soon(days).isoformat()


# name -> how to fill it: (context, acting user, "own" | "other") -> value
Resolver = Callable[[Context, ActingUser, str], Awaitable[Any]]


async def _side_value(ctx: Context, name: str, which: str) -> Any:
    return getattr(ctx.own if which == "own" else ctx.other, name)


def _side(name: str) -> Resolver:
    async def resolve(ctx: Context, actor: ActingUser, which: str) -> Any:
        return await _side_value(ctx, name, which)

    return resolve


async def _token(ctx: Context, actor: ActingUser, which: str) -> int:
    # Own: a spare token of the actor's (not the one the request is made with).
    # Other: a token of somebody else's.
    if which == "own":
        return await ctx.new_token_id(actor)
    other = ctx.users[
        Role.JUSTICE_ASSISTANT if actor.role is not Role.JUSTICE_ASSISTANT else Role.SUPERVISOR
    ]
    return await ctx.new_token_id(other)


async def _red_list_token(ctx: Context, actor: ActingUser, which: str) -> int:
    return await ctx.new_red_list_token_id()


async def _summons_action(ctx: Context, actor: ActingUser, which: str) -> str:
    return "cancel"


async def _notification(ctx: Context, actor: ActingUser, which: str) -> int:
    # Own: a message in the actor's inbox. Other: one in the other house's assistant's.
    other = ctx.extra["other_house_ja"]
    return await ctx.extra["new_notification_id"](actor if which == "own" else other)


async def _evaluation(ctx: Context, actor: ActingUser, which: str) -> int:
    """A reminder evaluation of the actor's justice house (own) or of the other house, made
    once per matrix run straight in its tables (the service allows one at a time)."""
    key = f"evaluation_{which}"
    if key not in ctx.extra:
        from perp_track.evaluations.tables import EvaluationArm, ReminderEvaluation

        now = ctx.world.clock.now()
        house = ctx.world.orgs["jh" if which == "own" else "jh2"]
        rows = await ReminderEvaluation.insert(
            ReminderEvaluation(
                justice_house=house,
                title=f"matrix {which}",
                starts_at=now,
                ends_at=now + timedelta(days=30),
                seed="matrix-seed",
                created_by=ctx.world.supervisor.id,
                created_at=now,
                updated_at=now,
            )
        ).returning(ReminderEvaluation.id)
        evaluation_id = int(rows[0]["id"])
        for position in (0, 1):
            await EvaluationArm.insert(
                EvaluationArm(
                    evaluation=evaluation_id,
                    position=position,
                    name=f"arm {position}",
                    share=50,
                    reminder_days="7,3,1",
                    send_hour=10,
                    wording="standard",
                )
            )
        ctx.extra[key] = evaluation_id
    return int(ctx.extra[key])


async def _evaluation_action(ctx: Context, actor: ActingUser, which: str) -> str:
    return "pause"


def _evaluation_body(ctx: Context) -> Any:
    return {
        "title": "matrix",
        "starts_at": ctx.at(1),
        "ends_at": ctx.at(60),
        "arms": [
            {"name": "usual", "share": 50},
            {"name": "plain", "share": 50, "wording": "plain"},
        ],
    }


async def _alert(ctx: Context, actor: ActingUser, which: str) -> int:
    # Own: an open alert the actor handles (the zone's police alert, the SAPV contact's own
    # safety check, any alert of the house's case). Other: one on the other house's case and zone.
    from perp_track.risk.tables import RiskAlert

    side = ctx.own if which == "own" else ctx.other
    check = actor.role is Role.SAPV_CONTACT
    now = ctx.world.clock.now()
    rows = await RiskAlert.insert(
        RiskAlert(
            case=side.case_id,
            kind="safety_check" if check else "police_alert",
            trigger="missed_summons",
            trigger_key=f"matrix:{now.timestamp()}:{actor.id}:{which}",
            level="high",
            zone=None if check else side.zone_id,
            owner=actor.id if check and which == "own" else None,
            state="open",
            due_at=now + timedelta(hours=24),
            created_at=now,
            note="",
            version=1,
        )
    ).returning(RiskAlert.id)
    return int(rows[0]["id"])


async def _tier(ctx: Context, actor: ActingUser, which: str) -> str:
    # The policy is the house's; "other" is a tier that does not exist.
    return "high" if which == "own" else "extreme"


async def _alert_step(ctx: Context, actor: ActingUser, which: str) -> str:
    return "acknowledge"


async def _perpetrator_fact(ctx: Context, actor: ActingUser, which: str) -> str:
    return "phone"


async def _interpreter(ctx: Context, actor: ActingUser, which: str) -> int:
    # Own: an interpreter of house A's register. Other: one of the other house's.
    return int(ctx.extra["interpreter_a" if which == "own" else "interpreter_b"])


def _interpreter_body(ctx: Context) -> Any:
    return {
        "full_name": "Matrix Interpreter",
        "language": "arabic",
        "email": f"matrix.{uuid.uuid4().hex[:8]}@example.org",
        "message_language": "fr",
    }


PARAMS: dict[str, Resolver] = {
    "case_id": _side("case_id"),
    "measure_id": _side("measure_id"),
    "summons_id": _side("summons_id"),
    "person_id": _side("victim_id"),
    "victim_id": _side("victim_id"),
    "user_id": _side("user_id"),
    "condition_id": _side("condition_id"),
    "session_id": _side("session_id"),
    "token_id": _token,
    "red_list_token_id": _red_list_token,
    "action": _summons_action,
    "notification_id": _notification,
    "evaluation_id": _evaluation,
    "evaluation_action": _evaluation_action,
    "alert_id": _alert,
    "tier": _tier,
    "step": _alert_step,
    "fact": _perpetrator_fact,
    "interpreter_id": _interpreter,
}


def _case_body(ctx: Context) -> Any:
    return ctx.world.case_data().model_dump(mode="json")


def _measure_body(ctx: Context) -> Any:
    return ctx.world.measure_data().model_dump(mode="json")


def _policy_body(ctx: Context) -> Any:
    from dataclasses import asdict

    from perp_track.risk.rules import DEFAULT_POLICY

    tiers = [asdict(t) for t in DEFAULT_POLICY]
    settings = [{k: v for k, v in t.items() if k not in {"rank", "names"}} for t in tiers]
    return {"tiers": settings, "version": 1}


def _tier_body(ctx: Context) -> Any:
    from dataclasses import asdict

    from perp_track.risk.rules import DEFAULT_POLICY

    severe = asdict(DEFAULT_POLICY[-1])
    names = {"fr": "Extrême", "nl": "Extreem", "en": "Extreme", "de": "Extrem"}
    return {**severe, "tier": "extreme", "rank": 50, "names": names, "version": STALE}


REASON = "authorisation matrix test"
# A version no record reaches in a test: the write is refused as stale, nothing changes.
STALE = 999_999
CODE = {"code": "000000"}

SAMPLES: dict[tuple[str, str], Sample] = {
    ("GET", "/api/auth/me"): Sample(),
    ("POST", "/api/auth/logout"): Sample(fresh_token=True),
    ("GET", "/api/auth/tokens"): Sample(),
    ("DELETE", "/api/auth/tokens/{token_id:int}"): Sample(),
    ("POST", "/api/auth/tokens/revoke-others"): Sample(fresh_token=True),
    ("POST", "/api/auth/totp"): Sample(own_also=frozenset({409})),
    ("POST", "/api/auth/totp/confirm"): Sample(body=lambda c: CODE, own_also=frozenset({422})),
    ("POST", "/api/auth/totp/remove"): Sample(body=lambda c: CODE, own_also=frozenset({404})),
    ("POST", "/api/users/{user_id:int}/disable"): Sample(other_visible_to=frozenset({Role.ADMIN})),
    ("POST", "/api/users/{user_id:int}/enable"): Sample(other_visible_to=frozenset({Role.ADMIN})),
    ("POST", "/api/users/{user_id:int}/totp/reset"): Sample(
        own_also=frozenset({404}), other_visible_to=frozenset({Role.ADMIN})
    ),
    ("GET", "/api/admin/jobs"): Sample(),
    ("GET", "/api/audit"): Sample(),
    ("GET", "/api/audit/verify"): Sample(),
    ("GET", "/api/cases"): Sample(),
    ("POST", "/api/cases"): Sample(body=_case_body),
    ("GET", "/api/cases/{case_id:int}"): Sample(),
    ("POST", "/api/cases/{case_id:int}/measures"): Sample(body=_measure_body),
    ("POST", "/api/cases/{case_id:int}/summons"): Sample(
        body=lambda c: {"scheduled_at": c.at(9), "purpose": "matrix"}
    ),
    ("GET", "/api/measures/transitions"): Sample(),
    ("GET", "/api/measures/{measure_id:int}"): Sample(),
    ("POST", "/api/measures/{measure_id:int}/transitions"): Sample(
        body=lambda c: {"event": "suspend", "reason": REASON, "version": 1},
        own_also=frozenset({409}),
    ),
    ("GET", "/api/summons/{summons_id:int}"): Sample(),
    ("POST", "/api/summons/{summons_id:int}/interpreter"): Sample(
        body=lambda c: {"interpreter_id": c.extra["interpreter_a"], "version": 1},
        own_also=frozenset({409, 422}),
    ),
    ("POST", "/api/summons/{summons_id:int}/interpreter/release"): Sample(
        body=lambda c: {"version": 1}, own_also=frozenset({409})
    ),
    ("GET", "/api/interpreters"): Sample(),
    ("POST", "/api/interpreters"): Sample(body=_interpreter_body),
    ("GET", "/api/interpreters/{interpreter_id:int}"): Sample(),
    ("PATCH", "/api/interpreters/{interpreter_id:int}"): Sample(
        body=lambda c: {"version": 1, "phone": "+44 7700 900777"}, own_also=frozenset({409})
    ),
    ("POST", "/api/interpreters/{interpreter_id:int}/active"): Sample(
        body=lambda c: {"active": True, "version": 1}, own_also=frozenset({409})
    ),
    ("POST", "/api/summons/{summons_id:int}/reschedule"): Sample(
        body=lambda c: {
            "scheduled_at": c.at(10),
            "reason": REASON,
            "requested_by": "lawyer",
            "version": 1,
        },
        own_also=frozenset({409}),
    ),
    ("POST", "/api/summons/{summons_id:int}/cancel"): Sample(
        body=lambda c: {"reason": REASON, "version": 1}, own_also=frozenset({409})
    ),
    ("POST", "/api/summons/{summons_id:int}/attendance"): Sample(
        body=lambda c: {"outcome": "attended", "version": 1}, own_also=frozenset({409, 422})
    ),
    ("POST", "/api/summons/{summons_id:int}/attendance/corrections"): Sample(
        body=lambda c: {"outcome": "attended", "reason": REASON, "version": 1},
        own_also=frozenset({409, 422}),
    ),
    ("GET", "/api/police/cases"): Sample(),
    ("GET", "/api/police/cases/{case_id:int}"): Sample(),
    ("GET", "/api/police/red-list"): Sample(),
    ("GET", "/api/police/red-list/csv"): Sample(),
    ("GET", "/api/sapv/victims"): Sample(),
    ("GET", "/api/sapv/victims/{person_id:int}"): Sample(),
    ("GET", "/api/redlist/feed"): Sample(),
    ("GET", "/api/redlist/feed/csv"): Sample(),
    ("GET", "/api/redlist/tokens"): Sample(),
    ("POST", "/api/redlist/tokens"): Sample(
        body=lambda c: {"zone_id": c.own.zone_id, "label": "matrix"}
    ),
    # Red-list tokens have no house: the administrator manages them all.
    ("DELETE", "/api/redlist/tokens/{token_id:int}"): Sample(
        params={"token_id": "red_list_token_id"}, other_visible_to=frozenset({Role.ADMIN})
    ),
    ("GET", "/api/privacy/persons/{person_id:int}/export"): Sample(
        other_visible_to=frozenset({Role.ADMIN})
    ),
    # Caseload, compliance, reports, conditions.
    ("GET", "/api/caseload"): Sample(),
    ("GET", "/api/caseload/overdue"): Sample(),
    ("POST", "/api/caseload/search"): Sample(body=lambda c: {"search": "Dubois"}),
    ("GET", "/api/caseload/team"): Sample(),
    ("GET", "/api/caseload/upcoming-summons"): Sample(),
    ("GET", "/api/cases/{case_id:int}/compliance"): Sample(),
    ("GET", "/api/cases/{case_id:int}/deadlines"): Sample(),
    ("GET", "/api/cases/{case_id:int}/report"): Sample(
        query=lambda c: {"from": c.world.today().isoformat(), "to": c.world.today().isoformat()}
    ),
    ("POST", "/api/cases/{case_id:int}/perpetrator-address"): Sample(
        body=lambda c: {"address": "Rue Neuve 12, 4000 Liege", "version": 1},
        own_also=frozenset({409}),
    ),
    ("POST", "/api/cases/{case_id:int}/perpetrator"): Sample(
        body=lambda c: {"phone": "+447700900555", "version": 1},
        own_also=frozenset({409, 422}),
    ),
    ("POST", "/api/cases/{case_id:int}/assignment"): Sample(
        body=lambda c: {
            "assigned_ja_id": c.users[Role.JUSTICE_ASSISTANT].id,
            "reason": REASON,
            "version": 1,
        },
        own_also=frozenset({409, 422}),
    ),
    ("POST", "/api/cases/{case_id:int}/referring-officer"): Sample(
        body=lambda c: {
            "referring_officer_id": c.users[Role.POLICE_OFFICER].id,
            "reason": REASON,
            "version": 1,
        },
        own_also=frozenset({409, 422}),
    ),
    ("GET", "/api/measures/condition-transitions"): Sample(),
    ("PATCH", "/api/measures/{measure_id:int}"): Sample(
        body=lambda c: {"version": 1, "notes": REASON}, own_also=frozenset({409})
    ),
    ("POST", "/api/measures/{measure_id:int}/conditions"): Sample(
        body=lambda c: {"version": 1, "condition": {"kind": "other", "description": REASON}},
        own_also=frozenset({409}),
    ),
    ("GET", "/api/measures/{measure_id:int}/reports"): Sample(),
    ("POST", "/api/measures/{measure_id:int}/reports"): Sample(
        body=lambda c: {
            "kind": "periodic",
            "period_from": c.world.today().isoformat(),
            "period_to": c.world.today().isoformat(),
            "assessment": REASON,
            "version": 1,
        },
        own_also=frozenset({409, 422}),
    ),
    ("POST", "/api/conditions/{condition_id:int}/hours"): Sample(
        body=lambda c: {"hours": 1, "reason": REASON, "version": 1},
        own_also=frozenset({409, 422}),
    ),
    ("POST", "/api/conditions/{condition_id:int}/transitions"): Sample(
        body=lambda c: {"event": "start", "reason": REASON, "version": 1},
        own_also=frozenset({409}),
    ),
    ("GET", "/api/summons/{summons_id:int}/calendar.ics"): Sample(),
    ("GET", "/api/summons/{summons_id:int}/letter"): Sample(),
    # Programme staff: their referrals and sessions, nothing of the victim.
    ("GET", "/api/programme/referrals"): Sample(),
    ("POST", "/api/programme/referrals/{condition_id:int}/interruption"): Sample(
        body=lambda c: {"interruption": "dropped_out", "reason": REASON, "version": 1},
        own_also=frozenset({409, 422}),
    ),
    ("GET", "/api/programme/sessions"): Sample(),
    ("POST", "/api/programme/sessions"): Sample(
        body=lambda c: {"starts_at": c.at(4), "participants": [c.own.condition_id]},
        own_also=frozenset({409, 422}),
    ),
    ("GET", "/api/programme/sessions/roll-call-due"): Sample(),
    ("GET", "/api/programme/sessions/{session_id:int}"): Sample(),
    ("POST", "/api/programme/sessions/{session_id:int}/cancel"): Sample(
        body=lambda c: {"reason": REASON, "version": 1}, own_also=frozenset({409})
    ),
    ("POST", "/api/programme/sessions/{session_id:int}/corrections"): Sample(
        body=lambda c: {
            "condition_id": c.own.condition_id,
            "outcome": "attended",
            "reason": REASON,
        },
        own_also=frozenset({409, 422}),
    ),
    ("POST", "/api/programme/sessions/{session_id:int}/roll-call"): Sample(
        body=lambda c: {
            "version": 1,
            "entries": [{"condition_id": c.own.condition_id, "outcome": "attended"}],
        },
        own_also=frozenset({409, 422}),
    ),
    # The staff inbox, and the SAPV contact's victims (consent, safe-contact profile).
    ("GET", "/api/inbox"): Sample(),
    ("GET", "/api/inbox/preferences"): Sample(),
    ("PUT", "/api/inbox/preferences"): Sample(
        body=lambda c: {"email": True, "in_app": True, "version": 1}, own_also=frozenset({409})
    ),
    # Only police feedback is acknowledged; the sample message is a plain one (404 for it).
    ("POST", "/api/inbox/{notification_id:int}/acknowledge"): Sample(
        own_also=frozenset({404, 409})
    ),
    ("POST", "/api/inbox/{notification_id:int}/read"): Sample(),
    ("GET", "/api/victims"): Sample(),
    ("GET", "/api/victims/{victim_id:int}/safe-contact"): Sample(),
    ("PUT", "/api/victims/{victim_id:int}/safe-contact"): Sample(
        body=lambda c: {"sms_allowed": False}, own_also=frozenset({409, 422})
    ),
    ("POST", "/api/victims/{victim_id:int}/consent"): Sample(
        body=lambda c: {"note": REASON}, own_also=frozenset({409, 422})
    ),
    ("POST", "/api/victims/{victim_id:int}/consent/revoke"): Sample(
        body=lambda c: {"note": REASON}, own_also=frozenset({409, 422})
    ),
    # Her number's confirmation: nothing waits for the sample's victim (409) unless consent was
    # recorded first; the code only to her own SAPV contact.
    ("POST", "/api/victims/{victim_id:int}/number/code"): Sample(own_also=frozenset({409})),
    ("POST", "/api/victims/{victim_id:int}/number/resend"): Sample(
        body=lambda c: {"version": 1}, own_also=frozenset({409, 422})
    ),
    ("POST", "/api/victims/{victim_id:int}/number/new-code"): Sample(
        body=lambda c: {"version": 1}, own_also=frozenset({409, 422})
    ),
    # Web pages: form bodies; 303 is the redirect after a successful post, 422 a form shown
    # again with its errors (the samples send the least a form needs).
    ("GET", "/"): Sample(),
    ("GET", "/profile"): Sample(),
    ("POST", "/logout"): Sample(fresh_token=True, own_also=frozenset({303})),
    ("GET", "/cases"): Sample(),
    ("GET", "/caseload"): Sample(),
    ("POST", "/caseload"): Sample(body=lambda c: {"search": "Dubois"}),
    ("GET", "/referred"): Sample(),
    ("GET", "/red-list"): Sample(),
    ("GET", "/red-list.csv"): Sample(),
    ("POST", "/cases/find"): Sample(
        body=lambda c: {"reference": "LIE-2026-00001"}, own_also=frozenset({303})
    ),
    ("GET", "/cases/new"): Sample(),
    ("POST", "/cases/new"): Sample(body=lambda c: {}, own_also=frozenset({303, 422})),
    ("GET", "/cases/{case_id:int}"): Sample(),
    ("GET", "/cases/{case_id:int}/measures/new"): Sample(),
    ("POST", "/cases/{case_id:int}/measures/new"): Sample(
        body=lambda c: {}, own_also=frozenset({303, 422})
    ),
    ("GET", "/cases/{case_id:int}/summons/new"): Sample(),
    ("POST", "/cases/{case_id:int}/summons/new"): Sample(
        body=lambda c: {}, own_also=frozenset({303, 422})
    ),
    ("GET", "/measures/{measure_id:int}/transition"): Sample(own_also=frozenset({422})),
    ("POST", "/measures/{measure_id:int}/transition"): Sample(
        body=lambda c: {"event": "suspend", "reason": REASON},
        own_also=frozenset({303, 409, 422}),
    ),
    ("GET", "/summons/{summons_id:int}/{action:str}"): Sample(own_also=frozenset({409})),
    ("POST", "/summons/{summons_id:int}/{action:str}"): Sample(
        body=lambda c: {"reason": REASON}, own_also=frozenset({303, 409, 422})
    ),
    # Round-two pages: documents, conditions, supervision, each role's work, the inbox.
    ("GET", "/cases/{case_id:int}/report"): Sample(
        query=lambda c: {
            "period_from": c.world.today().isoformat(),
            "period_to": c.world.today().isoformat(),
        }
    ),
    ("GET", "/summons/{summons_id:int}/letter"): Sample(),
    ("GET", "/summons/{summons_id:int}/calendar.ics"): Sample(),
    # The interpreter register (supervisors) and booking one for a summons.
    ("GET", "/interpreters"): Sample(),
    ("GET", "/interpreters/new"): Sample(),
    ("POST", "/interpreters/new"): Sample(body=lambda c: {}, own_also=frozenset({303, 422})),
    ("GET", "/interpreters/{interpreter_id:int}"): Sample(),
    ("POST", "/interpreters/{interpreter_id:int}"): Sample(
        body=lambda c: {}, own_also=frozenset({303, 409, 422})
    ),
    ("POST", "/interpreters/{interpreter_id:int}/active"): Sample(
        body=lambda c: {"active": "true", "version": "1"}, own_also=frozenset({303, 409, 422})
    ),
    ("GET", "/summons/{summons_id:int}/interpreter"): Sample(),
    ("POST", "/summons/{summons_id:int}/interpreter"): Sample(
        body=lambda c: {}, own_also=frozenset({303, 409, 422})
    ),
    ("POST", "/summons/{summons_id:int}/interpreter/release"): Sample(
        body=lambda c: {"version": "1"}, own_also=frozenset({303, 409, 422})
    ),
    ("GET", "/conditions/{condition_id:int}/transition"): Sample(),
    ("POST", "/conditions/{condition_id:int}/transition"): Sample(
        body=lambda c: {"event": "start", "reason": REASON, "version": "1"},
        own_also=frozenset({303, 409, 422}),
    ),
    ("GET", "/team"): Sample(),
    ("GET", "/statistics"): Sample(),
    ("GET", "/statistics.csv"): Sample(),
    # Statutory statistics: a supervisor's own house, an administrator's every house.
    ("GET", "/statistics/statutory"): Sample(),
    ("GET", "/statistics/statutory.csv"): Sample(),
    ("GET", "/api/statistics/statutory"): Sample(),
    ("GET", "/api/statistics/statutory/csv"): Sample(),
    ("GET", "/jobs"): Sample(),
    ("GET", "/inbox"): Sample(),
    ("GET", "/inbox/preferences"): Sample(),
    ("POST", "/inbox/preferences"): Sample(
        body=lambda c: {"in_app": "yes", "version": "1"}, own_also=frozenset({303, 409})
    ),
    ("POST", "/inbox/{notification_id:int}/read"): Sample(own_also=frozenset({303})),
    ("POST", "/inbox/{notification_id:int}/acknowledge"): Sample(
        own_also=frozenset({303, 404, 409})
    ),
    ("GET", "/sessions"): Sample(),
    ("GET", "/sessions/new"): Sample(),
    ("POST", "/sessions/new"): Sample(
        body=lambda c: {
            "starts_at": c.world.soon(4, 18).strftime("%Y-%m-%dT%H:%M"),
            "participants.0": str(c.own.condition_id),
        },
        own_also=frozenset({303, 409, 422}),
    ),
    ("GET", "/sessions/series/new"): Sample(),
    ("POST", "/sessions/series/new"): Sample(
        body=lambda c: {
            "first_date": c.world.soon(4, 18).date().isoformat(),
            "time": "18:00",
            "count": "3",
            "participants.0": str(c.own.condition_id),
            "step": "create",
        },
        own_also=frozenset({303, 409, 422}),
    ),
    ("GET", "/sessions/{session_id:int}/cancel"): Sample(),
    ("POST", "/sessions/{session_id:int}/cancel"): Sample(
        body=lambda c: {"reason": REASON, "version": "1"}, own_also=frozenset({303, 409, 422})
    ),
    ("GET", "/sessions/{session_id:int}"): Sample(),
    ("POST", "/sessions/{session_id:int}"): Sample(
        body=lambda c: {}, own_also=frozenset({303, 409, 422})
    ),
    ("GET", "/participants"): Sample(),
    ("GET", "/participants/{condition_id:int}/interruption"): Sample(),
    ("POST", "/participants/{condition_id:int}/interruption"): Sample(
        body=lambda c: {}, own_also=frozenset({303, 409, 422})
    ),
    ("GET", "/victims"): Sample(),
    ("GET", "/victims/{victim_id:int}"): Sample(),
    ("POST", "/victims/{victim_id:int}/profile"): Sample(
        body=lambda c: {"sms_allowed": "no"}, own_also=frozenset({303, 409, 422})
    ),
    ("POST", "/victims/{victim_id:int}/consent"): Sample(
        body=lambda c: {"action": "record"}, own_also=frozenset({303, 409, 422})
    ),
    ("POST", "/victims/{victim_id:int}/number/code"): Sample(
        body=lambda c: {}, own_also=frozenset({303, 409})
    ),
    ("POST", "/victims/{victim_id:int}/number/resend"): Sample(
        body=lambda c: {"version": "1"}, own_also=frozenset({303, 409, 422})
    ),
    ("POST", "/victims/{victim_id:int}/number/new-code"): Sample(
        body=lambda c: {"version": "1"}, own_also=frozenset({303, 409, 422})
    ),
    # The report to the authority, community-service hours, the red list's search, her phone.
    ("GET", "/measures/{measure_id:int}/report"): Sample(),
    ("POST", "/measures/{measure_id:int}/report"): Sample(
        body=lambda c: {}, own_also=frozenset({303, 409, 422})
    ),
    # Only a community-service condition has an hours page: another answers 404 to anyone.
    ("GET", "/conditions/{condition_id:int}/hours"): Sample(own_also=frozenset({404})),
    ("POST", "/conditions/{condition_id:int}/hours"): Sample(
        body=lambda c: {}, own_also=frozenset({303, 404, 409, 422})
    ),
    ("POST", "/red-list"): Sample(body=lambda c: {"search": "Rue", "sort": "ends"}),
    # The risk policy, a case's risk, and the closed loop's alerts.
    ("GET", "/api/risk/policy"): Sample(),
    ("PUT", "/api/risk/policy"): Sample(body=_policy_body, own_also=frozenset({409})),
    ("GET", "/api/cases/{case_id:int}/risk"): Sample(),
    ("POST", "/api/cases/{case_id:int}/risk"): Sample(
        body=lambda c: {"level": "severe", "version": 1}, own_also=frozenset({409})
    ),
    ("GET", "/api/risk/alerts"): Sample(),
    ("GET", "/api/risk/alerts/{alert_id:int}"): Sample(),
    ("POST", "/api/risk/alerts/{alert_id:int}/acknowledge"): Sample(body=lambda c: {"version": 1}),
    ("POST", "/api/risk/alerts/{alert_id:int}/done"): Sample(
        body=lambda c: {"outcome": "victim_safe", "version": 1}
    ),
    ("GET", "/cases/{case_id:int}/risk"): Sample(),
    ("POST", "/cases/{case_id:int}/risk"): Sample(
        body=lambda c: {"level": "severe", "version": "1"}, own_also=frozenset({303, 409, 422})
    ),
    # Adding, renaming and removing a tier: a stale version changes nothing (409); the other
    # side's tier is one that does not exist (404).
    ("POST", "/api/risk/policy/tiers"): Sample(body=_tier_body, own_also=frozenset({409})),
    ("PATCH", "/api/risk/policy/tiers/{tier:str}"): Sample(
        body=lambda c: {"names": _tier_body(c)["names"], "version": STALE},
        own_also=frozenset({409}),
    ),
    ("DELETE", "/api/risk/policy/tiers/{tier:str}"): Sample(
        query=lambda c: {"version": str(STALE)}, own_also=frozenset({409})
    ),
    ("GET", "/risk-tiers/new"): Sample(),
    ("POST", "/risk-tiers/new"): Sample(body=lambda c: {}, own_also=frozenset({422})),
    ("GET", "/risk-tiers/{tier:str}/names"): Sample(),
    ("POST", "/risk-tiers/{tier:str}/names"): Sample(body=lambda c: {}, own_also=frozenset({422})),
    ("GET", "/risk-tiers/{tier:str}/remove"): Sample(),
    ("POST", "/risk-tiers/{tier:str}/remove"): Sample(
        body=lambda c: {"version": str(STALE)}, own_also=frozenset({409})
    ),
    ("GET", "/risk-policy"): Sample(),
    ("GET", "/risk-policy/{tier:str}"): Sample(),
    ("POST", "/risk-policy/{tier:str}"): Sample(body=lambda c: {}, own_also=frozenset({303, 422})),
    ("GET", "/alerts"): Sample(),
    ("POST", "/alerts/{alert_id:int}/{step:str}"): Sample(
        body=lambda c: {"version": "1"}, own_also=frozenset({303})
    ),
    ("POST", "/victims/{victim_id:int}/phone"): Sample(
        body=lambda c: {}, own_also=frozenset({303, 409, 422})
    ),
    # Reminder evaluations (supervisors and administrators of the house); one at a time, so a
    # second one answers 409; a state the sample cannot reach answers 409.
    ("GET", "/api/evaluations"): Sample(),
    ("GET", "/api/evaluations/wordings"): Sample(),
    ("POST", "/api/evaluations"): Sample(body=_evaluation_body, own_also=frozenset({409})),
    ("GET", "/api/evaluations/{evaluation_id:int}"): Sample(),
    ("GET", "/api/evaluations/{evaluation_id:int}/results"): Sample(),
    ("POST", "/api/evaluations/{evaluation_id:int}/pause"): Sample(
        body=lambda c: {"version": 1}, own_also=frozenset({409})
    ),
    ("POST", "/api/evaluations/{evaluation_id:int}/resume"): Sample(
        body=lambda c: {"version": 1}, own_also=frozenset({409})
    ),
    ("POST", "/api/evaluations/{evaluation_id:int}/end"): Sample(
        body=lambda c: {"version": 1}, own_also=frozenset({409})
    ),
    ("GET", "/evaluations"): Sample(),
    ("GET", "/evaluations/new"): Sample(),
    ("POST", "/evaluations/new"): Sample(body=lambda c: {}, own_also=frozenset({303, 422})),
    ("GET", "/evaluations/{evaluation_id:int}"): Sample(),
    ("GET", "/evaluations/{evaluation_id:int}/results.csv"): Sample(),
    ("GET", "/evaluations/{evaluation_id:int}/{action:str}"): Sample(
        params={"action": "evaluation_action"}
    ),
    ("POST", "/evaluations/{evaluation_id:int}/{action:str}"): Sample(
        body=lambda c: {"version": "1"},
        params={"action": "evaluation_action"},
        own_also=frozenset({303, 409, 422}),
    ),
    # Facts of a running case changed (the perpetrator's, its people), a measure's changes.
    ("GET", "/cases/{case_id:int}/perpetrator/{fact:str}"): Sample(),
    ("POST", "/cases/{case_id:int}/perpetrator/{fact:str}"): Sample(
        body=lambda c: {"phone": "+447700900555", "version": "1"},
        own_also=frozenset({303, 409, 422}),
    ),
    ("GET", "/cases/{case_id:int}/referring-officer"): Sample(),
    ("POST", "/cases/{case_id:int}/referring-officer"): Sample(
        body=lambda c: {}, own_also=frozenset({303, 409, 422})
    ),
    ("GET", "/cases/{case_id:int}/assignment"): Sample(),
    ("POST", "/cases/{case_id:int}/assignment"): Sample(
        body=lambda c: {}, own_also=frozenset({303, 409, 422})
    ),
    ("GET", "/measures/{measure_id:int}/conditions/new"): Sample(),
    ("POST", "/measures/{measure_id:int}/conditions/new"): Sample(
        body=lambda c: {}, own_also=frozenset({303, 409, 422})
    ),
    ("GET", "/measures/{measure_id:int}/close"): Sample(),
    ("POST", "/measures/{measure_id:int}/close"): Sample(
        body=lambda c: {"event": "lift", "reason": REASON, "version": "1"},
        own_also=frozenset({200, 303, 409, 422}),
    ),
    ("POST", "/referred"): Sample(body=lambda c: {"search": "ZP5277"}),
    # Restricted cases: the samples' stale version changes nothing (409); the matrix of a
    # restricted case itself is tests/api/test_restricted_cases.py.
    ("GET", "/api/cases/{case_id:int}/restriction"): Sample(),
    ("POST", "/api/cases/{case_id:int}/restriction"): Sample(
        body=lambda c: {"reason": "public_figure_involved", "version": STALE},
        own_also=frozenset({409}),
    ),
    ("POST", "/api/cases/{case_id:int}/restriction/lift"): Sample(
        body=lambda c: {"note": REASON, "version": STALE}, own_also=frozenset({409})
    ),
    ("POST", "/api/cases/{case_id:int}/restriction/users"): Sample(
        body=lambda c: {"user_id": c.own.user_id, "version": STALE}, own_also=frozenset({409})
    ),
    ("POST", "/api/cases/{case_id:int}/restriction/users/remove"): Sample(
        body=lambda c: {"user_id": c.own.user_id, "version": STALE},
        own_also=frozenset({409, 422}),
    ),
    ("GET", "/cases/{case_id:int}/restriction"): Sample(),
    ("POST", "/cases/{case_id:int}/restriction"): Sample(
        body=lambda c: {"reason": "public_figure_involved", "version": str(STALE)},
        own_also=frozenset({409, 422}),
    ),
    ("POST", "/cases/{case_id:int}/restriction/lift"): Sample(
        body=lambda c: {"note": REASON, "version": str(STALE)}, own_also=frozenset({409, 422})
    ),
    ("POST", "/cases/{case_id:int}/restriction/users"): Sample(
        body=lambda c: {"user_id": str(c.own.user_id), "version": str(STALE)},
        own_also=frozenset({409, 422}),
    ),
    ("POST", "/cases/{case_id:int}/restriction/users/remove"): Sample(
        body=lambda c: {"user_id": str(c.own.user_id), "version": str(STALE)},
        own_also=frozenset({409, 422}),
    ),
}


def missing_sample_message(endpoint: Endpoint) -> str:
    return (
        f"{endpoint.method} {endpoint.path} has no entry in SAMPLES (tests/api/authz.py). Add"
        f" ({endpoint.method!r}, {endpoint.path!r}): Sample(body=...) with the body a permitted"
        " role sends, so the authorisation matrix can prove who may and may not call it."
    )


def unknown_param_message(endpoint: Endpoint, name: str) -> str:
    return (
        f"{endpoint.method} {endpoint.path}: the path parameter {name!r} has no resolver. Add it"
        " to PARAMS in tests/api/authz.py (own record vs the other house's), or map it in the"
        " route's Sample(params={...})."
    )


__all__ = ["PARAMS", "SAMPLES", "Context", "Endpoint", "Sample", "Side", "timedelta"]
