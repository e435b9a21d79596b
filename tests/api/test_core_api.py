"""The core flow over HTTP, and every bad path answering a clear 4xx that changes nothing."""

from datetime import timedelta

import pytest

from perp_track.cases.tables import Case, CaseEvent
from perp_track.measures.tables import Measure
from tests.world import World


def case_body(world: World, **overrides) -> dict:
    return world.case_data(**overrides).model_dump(mode="json")


async def open_case(api, world: World) -> dict:
    r = await api.as_(world.ja, "POST", "/api/cases", json=case_body(world))
    assert r.status_code == 201, r.text
    return r.json()


async def test_walk_the_core_flow(api, world: World):
    case = await open_case(api, world)
    r = await api.as_(
        world.ja,
        "POST",
        f"/api/cases/{case['id']}/measures",
        json={
            "kind": "mediation_216ter",
            "decided_by": "Parquet de Liège",
            "decided_on": world.today().isoformat(),
            "starts_on": world.today().isoformat(),
            "conditions": [
                {"kind": "programme", "provider_id": world.orgs["praxis"], "required_sessions": 21}
            ],
        },
    )
    assert r.status_code == 201, r.text
    measure = r.json()
    assert measure["status"] == "assigned"
    assert "schedule_intake" in measure["allowed_events"]

    when = world.soon(3).isoformat()
    r = await api.as_(
        world.ja,
        "POST",
        f"/api/cases/{case['id']}/summons",
        json={"scheduled_at": when, "measure_id": measure["id"], "modality": "video"},
    )
    assert r.status_code == 201, r.text
    summons = r.json()

    r = await api.as_(
        world.ja,
        "POST",
        f"/api/summons/{summons['id']}/reschedule",
        json={
            "scheduled_at": world.soon(5).isoformat(),
            "reason": "Asked for by his lawyer",
            "requested_by": "lawyer",
            "version": summons["version"],
        },
    )
    assert r.status_code == 201, r.text
    moved = r.json()
    assert moved["rescheduled_from"] == summons["id"]

    world.clock.advance(timedelta(days=6))
    api.forget_tokens()
    r = await api.as_(
        world.ja,
        "POST",
        f"/api/summons/{moved['id']}/attendance",
        json={"outcome": "late", "reason": "Bus strike", "version": moved["version"]},
    )
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "late"

    r = await api.as_(world.ja, "GET", f"/api/cases/{case['id']}")
    assert r.status_code == 200
    body = r.json()
    assert body["measures"][0]["status"] == "active"
    assert len(body["summons"]) == 2
    assert [e["kind"] for e in body["timeline"]][-1] == "measure_transition"
    # Each entry's summary is told in English from its kind and data: the typed words as typed.
    told = {e["kind"]: e["summary"] for e in body["timeline"]}
    assert "Asked for by his lawyer" in told["summons_rescheduled"]
    assert "Bus strike" in told["attendance_recorded"]
    assert all(told.values()), told
    assert r.headers["cache-control"] == "no-store"

    r = await api.as_(world.ja, "GET", "/api/cases?mine=true&limit=10")
    assert r.json()["total"] == 1


async def test_nobody_anonymous(api, world: World):
    r = await api.client.get("/api/cases")
    assert r.status_code == 401
    r = await api.client.get("/api/cases", headers={"Authorization": "Bearer pt_forged"})
    assert r.status_code == 401
    assert "log in again" in r.json()["detail"]


async def test_login_failures_are_uniform(api, world: World):
    for email, password in [(world.ja.email, "wrong password!"), ("nobody@x.example", "whatever")]:
        r = await api.client.post("/api/auth/login", json={"email": email, "password": password})
        assert r.status_code == 401
        assert r.json()["detail"] == "wrong e-mail address or password"


async def test_logout_revokes_the_token(api, world: World):
    token = await api.token(world.ja.email)
    headers = {"Authorization": f"Bearer {token}"}
    assert (await api.client.get("/api/auth/me", headers=headers)).json()["role"] == (
        "justice_assistant"
    )
    assert (await api.client.post("/api/auth/logout", headers=headers)).status_code == 204
    assert (await api.client.get("/api/auth/me", headers=headers)).status_code == 401


async def test_tokens_expire(api, world: World, settings):
    token = await api.token(world.ja.email)
    world.clock.advance(timedelta(hours=settings.token_ttl_hours, seconds=1))
    r = await api.client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


@pytest.mark.parametrize("role", ["officer", "sapv", "praxis"])
async def test_other_roles_may_not_run_cases(api, world: World, role):
    r = await api.as_(getattr(world, role), "POST", "/api/cases", json=case_body(world))
    assert r.status_code == 403
    assert await Case.count() == 0


async def test_malformed_json_is_400_and_changes_nothing(api, world: World):
    r = await api.as_(
        world.ja,
        "POST",
        "/api/cases",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 400
    assert await Case.count() == 0


@pytest.mark.parametrize(
    ("patch", "where"),
    [
        ({"risk_level": 7}, "risk_level"),
        ({"mandating_authority": 7}, "mandating_authority"),
        ({"surprise": True}, "surprise"),
        ({"perpetrator": {"first_name": "", "last_name": "X"}}, "first_name"),
        ({"perpetrator": {"first_name": "A", "last_name": "B", "phone": "0470"}}, "phone"),
    ],
)
async def test_wrong_types_are_400_with_the_field_named(api, world: World, patch, where):
    body = {**case_body(world), **patch}
    r = await api.as_(world.ja, "POST", "/api/cases", json=body)
    assert r.status_code == 400, r.text
    assert where in r.text
    assert await Case.count() == 0


async def test_a_risk_level_not_in_the_policy_is_422_with_the_field_named(api, world: World):
    """The tiers are data: a level of the right type that no tier has is refused by the
    policy in force, naming the field, and nothing is created."""
    body = {**case_body(world), "risk_level": "apocalyptic"}
    r = await api.as_(world.ja, "POST", "/api/cases", json=body)
    assert r.status_code == 422, r.text
    assert (r.json()["code"], r.json()["params"]["field"]) == ("risk.unknown_tier", "risk_level")
    assert await Case.count() == 0


async def test_unknown_people_in_a_case_are_422(api, world: World):
    r = await api.as_(
        world.ja, "POST", "/api/cases", json=case_body(world, referring_officer_id=world.sapv.id)
    )
    assert r.status_code == 422
    assert "not an active police_officer" in r.json()["detail"]
    assert await Case.count() == 0


async def test_unknown_ids_are_404(api, world: World):
    for url in ("/api/cases/999", "/api/measures/999", "/api/summons/999"):
        r = await api.as_(world.ja, "GET", url)
        assert r.status_code == 404, url
        assert "not found" in r.json()["detail"]
    r = await api.as_(
        world.ja, "POST", "/api/cases/999/summons", json={"scheduled_at": world.soon().isoformat()}
    )
    assert r.status_code == 404


async def test_another_justice_house_gets_404_not_403(api, world: World):
    case = await open_case(api, world)
    r = await api.as_(world.other_house_ja, "GET", f"/api/cases/{case['id']}")
    assert r.status_code == 404


async def test_summons_in_the_past_or_naive_is_refused(api, world: World):
    case = await open_case(api, world)
    url = f"/api/cases/{case['id']}/summons"
    past = (world.clock.now() - timedelta(hours=1)).isoformat()
    r = await api.as_(world.ja, "POST", url, json={"scheduled_at": past})
    assert r.status_code == 422
    assert "future" in r.json()["detail"]
    r = await api.as_(world.ja, "POST", url, json={"scheduled_at": "2026-12-01T10:00:00"})
    assert r.status_code == 400, "a time without its offset is ambiguous"


async def test_attendance_in_the_future_is_422_and_changes_nothing(api, world: World):
    case = await open_case(api, world)
    r = await api.as_(
        world.ja,
        "POST",
        f"/api/cases/{case['id']}/summons",
        json={"scheduled_at": world.soon(2).isoformat()},
    )
    summons = r.json()
    events = await CaseEvent.count()
    r = await api.as_(
        world.ja,
        "POST",
        f"/api/summons/{summons['id']}/attendance",
        json={"outcome": "attended", "version": summons["version"]},
    )
    assert r.status_code == 422
    assert "not started" in r.json()["detail"]
    assert await CaseEvent.count() == events
    r = await api.as_(
        world.ja,
        "POST",
        f"/api/summons/{summons['id']}/attendance",
        json={"outcome": "vanished", "version": summons["version"]},
    )
    assert r.status_code == 400


async def test_illegal_transition_is_409_listing_what_is_allowed(api, world: World):
    case = await open_case(api, world)
    r = await api.as_(
        world.ja,
        "POST",
        f"/api/cases/{case['id']}/measures",
        json={
            "kind": "temporary_residence_ban",
            "decided_by": "Parquet",
            "decided_on": world.today().isoformat(),
            "starts_on": world.today().isoformat(),
        },
    )
    measure = r.json()
    r = await api.as_(
        world.ja,
        "POST",
        f"/api/measures/{measure['id']}/transitions",
        json={"event": "issue_warrant", "reason": "Because", "version": measure["version"]},
    )
    assert r.status_code == 409
    body = r.json()
    assert "report_non_compliance" in body["extra"]["allowed"]
    assert (await Measure.select(Measure.status).first())["status"] == "active"


async def test_a_measure_that_ends_before_it_starts_is_refused(api, world: World):
    case = await open_case(api, world)
    r = await api.as_(
        world.ja,
        "POST",
        f"/api/cases/{case['id']}/measures",
        json={
            "kind": "probation",
            "decided_by": "Tribunal",
            "decided_on": world.today().isoformat(),
            "starts_on": world.today().isoformat(),
            "ends_on": (world.today() - timedelta(days=1)).isoformat(),
        },
    )
    assert r.status_code == 422
    assert await Measure.count() == 0


async def test_the_transition_table_is_published(api, world: World):
    r = await api.as_(world.ja, "GET", "/api/measures/transitions")
    rows = r.json()
    extend = [row for row in rows if (row["source"], row["event"]) == ("active", "extend")]
    assert extend
    assert extend[0]["target"] == "extended"
    assert extend[0]["who"] == ["justice_assistant", "supervisor"]
    assert "temporary_residence_ban" in extend[0]["kinds"]
