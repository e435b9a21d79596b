"""Every route x every role x own record / the other house's record: who may, and what leaks.

Generated from the application's routes (see tests/api/authz.py): a route without a policy, or
without a sample request, fails here with a message that says what to add.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from perp_track.app import create_app
from perp_track.auth import rules as auth_rules
from perp_track.auth.rules import ActingUser, Role
from perp_track.auth.services import create_user
from perp_track.auth.tables import ApiToken
from perp_track.cases.schemas import PersonIn, VictimIn
from perp_track.cases.services import open_case
from perp_track.cases.tables import CaseEvent
from perp_track.config import load_settings
from perp_track.interpreters.tables import Interpreter
from perp_track.measures.rules import ConditionKind, MeasureKind
from perp_track.measures.schemas import ConditionCreate
from perp_track.measures.services import add_measure
from perp_track.notify.tables import Notification
from perp_track.orgs.rules import OrgKind
from perp_track.orgs.services import create_organisation
from perp_track.redlist.rules import new_token as new_red_list_token
from perp_track.redlist.tables import RedListToken
from perp_track.summons.programme.schemas import SessionCreate
from perp_track.summons.programme.services import schedule_session
from perp_track.summons.schemas import SummonsCreate
from perp_track.summons.services import schedule_summons
from perp_track.ui.middleware import CSRF_HEADER, SESSION_COOKIE
from perp_track.ui.sessions import start_session
from perp_track.ui.tables import WebSession
from tests.api import authz
from tests.world import PASSWORD, World

# Values that must never reach someone not entitled to them.
A_VICTIM = {"first_name": "Aurelie", "last_name": "Victima", "phone": "+32470333444"}
A_VICTIM_ADDRESS = "Rue des Victimes 7, 4000 Liege"
A_PERPETRATOR_ADDRESS = "Rue du Perpetrateur 3, 4020 Liege"
A_NOTES = "SESSION-NOTES-SENTINEL"
A_PURPOSE = "PROGRAMME-CONTENT-SENTINEL"
B_SENTINELS = ("Zebulon", "Xanthe", "+32470999888", "Boulevard Autre 9")


def test_every_route_has_a_policy_and_a_sample(tmp_path: Path) -> None:
    settings = load_settings(env="test", database_url=f"sqlite:///{tmp_path}/unused.sqlite3")
    problems = []
    for endpoint in authz.endpoints(create_app(settings)):
        policy = authz.policy(endpoint)
        if policy is None:
            problems.append(
                f"{endpoint.method} {endpoint.path} has no policy: give it a requires(...) guard"
                " (or, if anyone may call it, list it in web.PUBLIC_PATHS)"
            )
            continue
        if policy == authz.PUBLIC:
            continue
        if isinstance(policy, frozenset) and not policy:
            problems.append(f"{endpoint.method} {endpoint.path}: its guards let no role through")
        sample = authz.SAMPLES.get(endpoint.key)
        if sample is None:
            problems.append(authz.missing_sample_message(endpoint))
            continue
        for name in endpoint.params:
            if sample.params.get(name, name) not in authz.PARAMS:
                problems.append(authz.unknown_param_message(endpoint, name))
    assert not problems, "\n".join(problems)


async def _user(world: World, email: str, role: Role, org: int) -> ActingUser:
    return await create_user(
        email=email,
        full_name=email.split("@")[0].title(),
        role=role,
        organisation_id=org,
        password=PASSWORD,
        clock=world.clock,
    )


async def _context(world: World) -> authz.Context:
    clock = world.clock
    admin = await _user(world, "admin@test.example", Role.ADMIN, world.orgs["jh"])
    zone_b = await create_organisation(
        name="ZP Antwerpen", kind=OrgKind.POLICE_ZONE, code="5345", clock=clock
    )
    sapv_b = await create_organisation(name="SAPV Antwerpen", kind=OrgKind.SAPV, clock=clock)
    provider_b = await create_organisation(
        name="Other provider", kind=OrgKind.PROGRAMME_PROVIDER, clock=clock
    )
    officer_b = await _user(world, "officer.b@test.example", Role.POLICE_OFFICER, zone_b)
    sapv_contact_b = await _user(world, "sapv.b@test.example", Role.SAPV_CONTACT, sapv_b)
    praxis_b = await _user(world, "praxis.b@test.example", Role.PROGRAMME_STAFF, provider_b)

    case_a = await world.open_case(
        summary="matrix case A",
        perpetrator=PersonIn(
            first_name="Marc",
            last_name="Dubois",
            phone="+32470111222",
            address=A_PERPETRATOR_ADDRESS,
        ),
        victim=VictimIn(**A_VICTIM, address=A_VICTIM_ADDRESS, sapv_contact_id=world.sapv.id),
    )
    measure_a = await world.add_measure(case_a.id, notes=A_NOTES, conditions=[world.programme()])
    await world.add_measure(case_a.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    summons_a = await schedule_summons(
        actor=world.ja,
        case_id=case_a.id,
        data=SummonsCreate(scheduled_at=world.soon(5), purpose=A_PURPOSE),
        clock=clock,
    )

    case_b = await open_case(
        actor=world.other_house_ja,
        data=world.case_data(
            referring_officer_id=officer_b.id,
            perpetrator=PersonIn(
                first_name="Zebulon", last_name="Other", address="Boulevard Autre 9"
            ),
            victim=VictimIn(
                first_name="Xanthe",
                last_name="Other",
                phone="+32470999888",
                address="Boulevard Autre 9",
                sapv_contact_id=sapv_contact_b.id,
            ),
        ),
        clock=clock,
    )
    measure_b = await add_measure(
        actor=world.other_house_ja,
        case_id=case_b.id,
        data=world.measure_data(
            conditions=[
                ConditionCreate(
                    kind=ConditionKind.PROGRAMME, provider_id=provider_b, required_sessions=21
                )
            ]
        ),
        clock=clock,
    )
    await add_measure(
        actor=world.other_house_ja,
        case_id=case_b.id,
        data=world.measure_data(MeasureKind.TEMPORARY_RESIDENCE_BAN),
        clock=clock,
    )
    summons_b = await schedule_summons(
        actor=world.other_house_ja,
        case_id=case_b.id,
        data=SummonsCreate(scheduled_at=world.soon(5)),
        clock=clock,
    )

    def programme_condition(measure: Any) -> int:
        return next(c.id for c in measure.conditions if c.kind == ConditionKind.PROGRAMME)

    condition_a, condition_b = programme_condition(measure_a), programme_condition(measure_b)
    session_a = await schedule_session(
        actor=world.praxis,
        data=SessionCreate(starts_at=world.soon(3, hour=18), participants=[condition_a]),
        clock=clock,
    )
    session_b = await schedule_session(
        actor=praxis_b,
        data=SessionCreate(starts_at=world.soon(3, hour=18), participants=[condition_b]),
        clock=clock,
    )

    async def interpreter_of(house: int, user: ActingUser) -> int:
        row = Interpreter(
            justice_house=house,
            full_name="Matrix Interpreter",
            language="arabic",
            email=f"interpreter.{house}@example.org",
            message_language="fr",
            created_by=user.id,
            created_at=clock.now(),
            updated_at=clock.now(),
        )
        await row.save()
        return int(row.id)

    interpreter_a = await interpreter_of(world.orgs["jh"], world.supervisor)
    interpreter_b = await interpreter_of(world.orgs["jh2"], world.other_house_ja)

    async def new_token_id(user: ActingUser) -> int:
        now = clock.now()
        rows = await ApiToken.insert(
            ApiToken(
                user=user.id,
                token_hash=auth_rules.token_digest(auth_rules.new_token()),
                created_at=now,
                expires_at=now + timedelta(hours=1),
            )
        ).returning(ApiToken.id)
        return int(rows[0]["id"])

    async def new_red_list_token_id() -> int:
        now = clock.now()
        rows = await RedListToken.insert(
            RedListToken(
                zone=world.orgs["police"],
                label="spare",
                token_hash=auth_rules.token_digest(new_red_list_token()),
                created_by=admin.id,
                created_at=now,
                expires_at=now + timedelta(days=1),
            )
        ).returning(RedListToken.id)
        return int(rows[0]["id"])

    async def new_notification_id(user: ActingUser) -> int:
        now = clock.now()
        rows = await Notification.insert(
            Notification(
                case=case_a.id if user.organisation_id == world.orgs["jh"] else case_b.id,
                audience="justice_assistant",
                recipient_user=user.id,
                channel="in_app",
                template="measure_closed",
                language="fr",
                payload={},
                idempotency_key=f"matrix:{uuid.uuid4().hex}",
                state="delivered",
                next_attempt_at=now,
                created_at=now,
            )
        ).returning(Notification.id)
        return int(rows[0]["id"])

    return authz.Context(
        world=world,
        own=authz.Side(
            case_id=case_a.id,
            measure_id=measure_a.id,
            summons_id=summons_a.id,
            victim_id=case_a.victim.id,  # type: ignore[union-attr]
            zone_id=world.orgs["police"],
            user_id=world.ja2.id,
            condition_id=condition_a,
            session_id=session_a.id,
        ),
        other=authz.Side(
            case_id=case_b.id,
            measure_id=measure_b.id,
            summons_id=summons_b.id,
            victim_id=case_b.victim.id,  # type: ignore[union-attr]
            zone_id=zone_b,
            user_id=world.other_house_ja.id,
            condition_id=condition_b,
            session_id=session_b.id,
        ),
        users={
            Role.JUSTICE_ASSISTANT: world.ja,
            Role.SUPERVISOR: world.supervisor,
            Role.POLICE_OFFICER: world.officer,
            Role.SAPV_CONTACT: world.sapv,
            Role.PROGRAMME_STAFF: world.praxis,
            Role.ADMIN: admin,
        },
        new_token_id=new_token_id,
        new_red_list_token_id=new_red_list_token_id,
        extra={
            "case_b": case_b.id,
            "other_house_ja": world.other_house_ja,
            "new_notification_id": new_notification_id,
            "interpreter_a": interpreter_a,
            "interpreter_b": interpreter_b,
        },
    )


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def leaks(role: Role | None, text: str, *, other_visible: bool) -> list[str]:
    """What this response shows that its reader may not know."""
    found = [] if other_visible else [s for s in B_SENTINELS if s in text]
    if role is Role.PROGRAMME_STAFF:
        # Programme staff never receive a victim field, not even empty.
        found += [v for v in (*A_VICTIM.values(), A_VICTIM_ADDRESS) if v in text]
        try:
            keys = _keys(json.loads(text))
        except ValueError:
            keys = set()
        found += sorted(k for k in keys if "victim" in k.lower() or "sapv" in k.lower())
    if role is Role.SAPV_CONTACT and A_PERPETRATOR_ADDRESS in text:
        found.append("the perpetrator's address")
    if role in {Role.POLICE_OFFICER, Role.SAPV_CONTACT, Role.PROGRAMME_STAFF}:
        found += [s for s in (A_NOTES,) if s in text]
    if role in {Role.POLICE_OFFICER, Role.SAPV_CONTACT} and A_PURPOSE in text:
        found.append("programme or summons content")
    return found


async def test_authorization_matrix(api, world: World) -> None:
    ctx = await _context(world)
    app = api.client._transport.app
    assert set(ctx.users) == set(Role), "a new role needs a user in the matrix"
    events_b = await CaseEvent.count().where(CaseEvent.case == ctx.other.case_id)
    failures: list[str] = []
    checked = 0

    async def call(endpoint, user, which, sample, headers):  # type: ignore[no-untyped-def]
        values = {}
        for name in endpoint.params:
            resolver = authz.PARAMS[sample.params.get(name, name)]
            values[name] = await resolver(ctx, user or ctx.users[Role.ADMIN], which)
        body = sample.body(ctx) if sample.body else None
        params = sample.query(ctx) if sample.query else None
        api.client.cookies.clear()  # only the identity this call names
        if endpoint.is_page:
            form = body if endpoint.method != "GET" else None
            return await api.client.request(
                endpoint.method, endpoint.url(values), data=form, headers=headers, params=params
            )
        return await api.client.request(
            endpoint.method, endpoint.url(values), json=body, headers=headers, params=params
        )

    sessions: dict[int, dict[str, str]] = {}

    async def page_headers(user: ActingUser, fresh: bool) -> dict[str, str]:
        if fresh or user.id not in sessions:
            started = await start_session(
                email=user.email, password=PASSWORD, clock=world.clock, lifetime=timedelta(hours=8)
            )
            row = (
                await WebSession.select(WebSession.csrf_token)
                .where(WebSession.token_hash == auth_rules.token_digest(started.token))
                .first()
            )
            assert row is not None
            headers = {
                "Cookie": f"{SESSION_COOKIE}={started.token}",
                CSRF_HEADER: row["csrf_token"],
            }
            if fresh:
                return headers
            sessions[user.id] = headers
        return sessions[user.id]

    async def auth_headers(user: ActingUser, fresh: bool, page: bool = False) -> dict[str, str]:
        if page:
            return await page_headers(user, fresh)
        if fresh:
            token = (
                await api.client.post(
                    "/api/auth/login", json={"email": user.email, "password": PASSWORD}
                )
            ).json()["token"]
        else:
            token = await api.token(user.email)
        return {"Authorization": f"Bearer {token}"}

    zone_token = new_red_list_token()
    now = world.clock.now()
    await RedListToken.insert(
        RedListToken(
            zone=world.orgs["police"],
            label="matrix",
            token_hash=auth_rules.token_digest(zone_token),
            created_by=ctx.users[Role.ADMIN].id,
            created_at=now,
            expires_at=now + timedelta(days=1),
        )
    )

    for endpoint in authz.endpoints(app):
        policy = authz.policy(endpoint)
        if policy == authz.PUBLIC:
            continue
        sample = authz.SAMPLES.get(endpoint.key)
        if policy is None or sample is None:
            failures.append(f"{endpoint.method} {endpoint.path}: no policy or no sample")
            continue
        where = f"{endpoint.method} {endpoint.path}"
        r = await call(endpoint, None, "own", sample, {})
        # Without credentials: the API answers 401, a page sends the browser to the login.
        refused = {302, 303, 307, 401} if endpoint.is_page else {401}
        if r.status_code not in refused:
            failures.append(f"{where} without a token answered {r.status_code}, not 401")
        if policy == authz.ZONE_FEED:
            r = await call(endpoint, None, "own", sample, {"Authorization": f"Bearer {zone_token}"})
            if r.status_code != 200:
                failures.append(f"{where} with the zone's token answered {r.status_code}")
            failures += [
                f"{where} (zone token) shows {s}" for s in leaks(None, r.text, other_visible=False)
            ]
        for role, user in ctx.users.items():
            allowed = isinstance(policy, frozenset) and role in policy
            sides = ["own", "other"] if endpoint.params else ["own"]
            for which in sides:
                headers = await auth_headers(
                    user, sample.fresh_token and allowed, page=endpoint.is_page
                )
                r = await call(endpoint, user, which, sample, headers)
                if sample.fresh_token:
                    api._tokens.pop(user.email, None)  # e.g. revoke-others ended the cached one
                checked += 1
                label = f"{where} as {role} on {which}"
                if r.status_code >= 500:
                    failures.append(f"{label}: server error {r.status_code}: {r.text[:200]}")
                    continue
                visible = which == "own" or role in sample.other_visible_to
                if not allowed:
                    expected_ok = r.status_code == 403
                elif visible:
                    expected_ok = 200 <= r.status_code < 300 or r.status_code in sample.own_also
                else:
                    expected_ok = r.status_code == 404
                if not expected_ok:
                    failures.append(f"{label}: answered {r.status_code}: {r.text[:200]}")
                failures += [
                    f"{label} shows {s}"
                    for s in leaks(role, r.text, other_visible=visible and which == "other")
                ]
    # Nobody outside the other house changed anything in its case.
    assert await CaseEvent.count().where(CaseEvent.case == ctx.other.case_id) == events_b
    assert checked > 100
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)
