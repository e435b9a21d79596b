"""A restricted case through every route: whoever is not named on it gets 404 (and is on the
audit trail, and the case's supervisor is told); whoever is named gets the usual answer.

Walks the same routes and samples as the authorisation matrix (tests/api/authz.py), on the
matrix's own records, with its case A restricted by the house's supervisor."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from perp_track.audit.tables import AuditEntry
from perp_track.auth import rules as auth_rules
from perp_track.auth.rules import ActingUser, Role
from perp_track.cases.restriction import services as restriction
from perp_track.cases.restriction.rules import RestrictionReason
from perp_track.cases.restriction.schemas import NameIn, RestrictIn
from perp_track.cases.tables import Case
from perp_track.notify.rules import SystemNotice
from perp_track.notify.tables import Notification
from perp_track.ui.middleware import CSRF_HEADER, SESSION_COOKIE
from perp_track.ui.sessions import start_session
from perp_track.ui.tables import WebSession
from tests.api import authz
from tests.api.test_authorization_matrix import _context, _user
from tests.world import PASSWORD, World

# Path parameters that name a case or something inside it.
CASE_PARAMS = {"case_id", "measure_id", "summons_id", "condition_id"}


def case_scoped(endpoint: authz.Endpoint, sample: authz.Sample) -> bool:
    names = {sample.params.get(n, n) for n in endpoint.params}
    # A person's export holds her cases; the SAPV contact's victim pages are the victim's,
    # not the case's (her support goes on; her case is left out of them, checked below).
    return bool(names & CASE_PARAMS) or endpoint.path.startswith("/api/privacy/")


class Caller:
    def __init__(self, api: Any, world: World, ctx: authz.Context) -> None:
        self.api, self.world, self.ctx = api, world, ctx
        self.sessions: dict[int, dict[str, str]] = {}

    async def headers(self, user: ActingUser, page: bool) -> dict[str, str]:
        if not page:
            return {"Authorization": f"Bearer {await self.api.token(user.email)}"}
        if user.id not in self.sessions:
            started = await start_session(
                email=user.email,
                password=PASSWORD,
                clock=self.world.clock,
                lifetime=timedelta(hours=8),
            )
            row = (
                await WebSession.select(WebSession.csrf_token)
                .where(WebSession.token_hash == auth_rules.token_digest(started.token))
                .first()
            )
            assert row is not None
            self.sessions[user.id] = {
                "Cookie": f"{SESSION_COOKIE}={started.token}",
                CSRF_HEADER: row["csrf_token"],
            }
        return self.sessions[user.id]

    async def call(self, endpoint: authz.Endpoint, user: ActingUser, sample: authz.Sample) -> Any:
        values = {}
        for name in endpoint.params:
            resolver = authz.PARAMS[sample.params.get(name, name)]
            values[name] = await resolver(self.ctx, user, "own")
        body = sample.body(self.ctx) if sample.body else None
        params = sample.query(self.ctx) if sample.query else None
        headers = await self.headers(user, endpoint.is_page)
        self.api.client.cookies.clear()
        if endpoint.is_page:
            form = body if endpoint.method != "GET" else None
            return await self.api.client.request(
                endpoint.method, endpoint.url(values), data=form, headers=headers, params=params
            )
        return await self.api.client.request(
            endpoint.method, endpoint.url(values), json=body, headers=headers, params=params
        )


async def _denied(case_id: int) -> int:
    return await AuditEntry.count().where(
        (AuditEntry.action == "denied") & (AuditEntry.case_id == case_id)
    )


async def _told(supervisor: ActingUser) -> int:
    return await Notification.count().where(
        (Notification.template == SystemNotice.RESTRICTED_CASE_ATTEMPT)
        & (Notification.recipient_user == supervisor.id)
    )


async def test_a_restricted_case_answers_404_to_whoever_is_not_named(api, world: World) -> None:
    ctx = await _context(world)
    case_id = ctx.own.case_id
    case = await Case.select().where(Case.id == case_id).first()
    assert case is not None
    await restriction.restrict(
        actor=world.supervisor,
        case_id=case_id,
        data=RestrictIn(reason=RestrictionReason.POLICE_OFFICER_INVOLVED, version=case["version"]),
        clock=world.clock,
    )
    colleague_supervisor = await _user(
        world, "sup.two@test.example", Role.SUPERVISOR, world.orgs["jh"]
    )
    # Everyone of the house and its partners but the two named: the supervisor who restricted
    # the case and its assigned justice assistant.
    outsiders: dict[Role, ActingUser] = {
        Role.JUSTICE_ASSISTANT: world.ja2,
        Role.SUPERVISOR: colleague_supervisor,
        Role.POLICE_OFFICER: world.officer,  # the officer who referred it
        Role.PROGRAMME_STAFF: world.praxis,  # the provider it is referred to
        Role.SAPV_CONTACT: world.sapv,  # the victim's own SAPV contact
        Role.ADMIN: ctx.users[Role.ADMIN],
    }
    caller = Caller(api, world, ctx)
    app = api.client._transport.app
    failures: list[str] = []
    refused = 0
    for endpoint in authz.endpoints(app):
        policy = authz.policy(endpoint)
        sample = authz.SAMPLES.get(endpoint.key)
        if not isinstance(policy, frozenset) or sample is None:
            continue
        where = f"{endpoint.method} {endpoint.path}"
        for role, user in outsiders.items():
            if role not in policy:
                continue
            if case_scoped(endpoint, sample):
                denied, told = await _denied(case_id), await _told(world.supervisor)
                r = await caller.call(endpoint, user, sample)
                if r.status_code != 404:
                    failures.append(f"{where} as {role}: {r.status_code}, not 404")
                    continue
                refused += 1
                if await _denied(case_id) != denied + 1:
                    failures.append(f"{where} as {role}: the attempt is not on the audit trail")
                if await _told(world.supervisor) != told + 1:
                    failures.append(f"{where} as {role}: the supervisor was not told")
            elif endpoint.method == "GET" and set(endpoint.params) <= {"victim_id", "person_id"}:
                # Every list, page and export, and the victim's own pages: the case is not
                # in them.
                r = await caller.call(endpoint, user, sample)
                # The victim herself stays with her SAPV contact (her support goes on); her
                # case does not.
                secrets = [case["reference"], "Dubois"]
                if role is not Role.SAPV_CONTACT:
                    secrets.append("Aurelie")
                for secret in secrets:
                    if secret in r.text:
                        failures.append(f"{where} as {role} shows {secret}")
    assert refused > 60, refused
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)


async def test_a_named_user_gets_the_usual_answer(api, world: World) -> None:
    ctx = await _context(world)
    case_id = ctx.own.case_id
    case = await Case.select().where(Case.id == case_id).first()
    assert case is not None
    read = await restriction.restrict(
        actor=world.supervisor,
        case_id=case_id,
        data=RestrictIn(
            reason=RestrictionReason.PUBLIC_FIGURE_INVOLVED,
            user_ids=[world.officer.id, world.praxis.id, world.sapv.id],
            version=case["version"],
        ),
        clock=world.clock,
    )
    admin = ctx.users[Role.ADMIN]
    await restriction.name_user(
        actor=world.supervisor,
        case_id=case_id,
        data=NameIn(user_id=admin.id, version=read.version),
        clock=world.clock,
    )
    named = {**ctx.users, Role.JUSTICE_ASSISTANT: world.ja, Role.SUPERVISOR: world.supervisor}
    caller = Caller(api, world, ctx)
    app = api.client._transport.app
    failures: list[str] = []
    checked = 0
    for endpoint in authz.endpoints(app):
        policy = authz.policy(endpoint)
        sample = authz.SAMPLES.get(endpoint.key)
        if not isinstance(policy, frozenset) or sample is None or sample.fresh_token:
            continue
        if not case_scoped(endpoint, sample):
            continue
        for role, user in named.items():
            if role not in policy:
                continue
            r = await caller.call(endpoint, user, sample)
            checked += 1
            if not (200 <= r.status_code < 300 or r.status_code in sample.own_also):
                failures.append(f"{endpoint.method} {endpoint.path} as {role}: {r.status_code}")
    assert checked > 60, checked
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)
    # Nobody named was refused anything.
    assert await _denied(case_id) == 0


async def test_bad_input_gets_a_clear_4xx_and_changes_nothing(api, world: World) -> None:
    case = await world.open_case()
    url = f"/api/cases/{case.id}/restriction"
    before = await Case.select().where(Case.id == case.id).first()
    bad = [
        ({"reason": "other", "version": case.version}, 422, "restriction.note_required"),
        ({"reason": "a whim", "version": case.version}, 400, None),
        ({"reason": "other", "note": "x", "version": 2**40}, 400, None),
        (
            {"reason": "public_figure_involved", "user_ids": [2**31 - 1], "version": 1},
            422,
            "restriction.user_not_eligible",
        ),
        ({"reason": "public_figure_involved", "version": case.version + 3}, 409, None),
    ]
    for body, status, code in bad:
        r = await api.as_(world.supervisor, "POST", url, json=body)
        assert r.status_code == status, (body, r.text)
        if code:
            assert r.json()["code"] == code
    r = await api.as_(world.ja, "POST", url, json={"reason": "other", "note": "x", "version": 1})
    assert r.status_code == 403
    r = await api.as_(world.supervisor, "POST", f"{url}/lift", json={"note": "x", "version": 1})
    assert r.status_code == 409 and r.json()["code"] == "restriction.not_restricted"
    assert await Case.select().where(Case.id == case.id).first() == before
    # The French reader is told in French.
    r = await api.as_(
        world.supervisor,
        "POST",
        url,
        json={"reason": "other", "version": case.version},
        headers={"Accept-Language": "fr"},
    )
    assert "autre" in r.json()["detail"]
