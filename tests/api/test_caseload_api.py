"""The caseload shows exactly what is due."""

from __future__ import annotations

from datetime import timedelta

from perp_track.cases.rules import RiskLevel
from perp_track.cases.schemas import PersonIn
from perp_track.measures.rules import MeasureEvent, MeasureKind
from perp_track.measures.schemas import MeasureTransitionIn
from perp_track.measures.services import transition_measure
from perp_track.summons.schemas import SummonsCreate
from perp_track.summons.services import schedule_summons
from tests.world import World


def person(last: str) -> PersonIn:
    return PersonIn(first_name="Test", last_name=last, phone=None)


async def build(world: World) -> dict[str, int]:
    """Four cases, each with one reason to be on the list, and one with none."""
    ids = {}
    # A ban ending in 5 days.
    c = await world.open_case(perpetrator=person("Banning"), risk_level=RiskLevel.SEVERE)
    await world.add_measure(
        c.id,
        MeasureKind.TEMPORARY_RESIDENCE_BAN,
        starts_on=world.today() - timedelta(days=9),
        decided_on=world.today() - timedelta(days=9),
    )
    ids["ban"] = c.id
    # A summons two days ago, attendance not recorded.
    c = await world.open_case(perpetrator=person("Unrecorded"), risk_level=RiskLevel.LOW)
    m = await world.add_measure(c.id, MeasureKind.MEDIATION_216TER)
    world.clock.advance(timedelta(days=-3))
    await schedule_summons(
        actor=world.ja,
        case_id=c.id,
        data=SummonsCreate(scheduled_at=world.soon(1, 10), measure_id=m.id),
        clock=world.clock,
    )
    world.clock.advance(timedelta(days=3))
    ids["unrecorded"] = c.id
    # Non-compliance reported, awaiting the authority's decision.
    c = await world.open_case(perpetrator=person("Waiting"), risk_level=RiskLevel.MEDIUM)
    m = await world.add_measure(c.id, MeasureKind.MEDIATION_216TER)
    for version, event in enumerate((MeasureEvent.START, MeasureEvent.REPORT_NON_COMPLIANCE), 1):
        m = await transition_measure(
            actor=world.ja,
            measure_id=m.id,
            data=MeasureTransitionIn(event=event, reason="Two absences", version=version),
            clock=world.clock,
        )
    ids["waiting"] = c.id
    # A probation intake report late (started 40 days ago).
    c = await world.open_case(perpetrator=person("Reporting"), risk_level=RiskLevel.HIGH)
    await world.add_measure(
        c.id,
        MeasureKind.PROBATION,
        starts_on=world.today() - timedelta(days=40),
        decided_on=world.today() - timedelta(days=40),
        ends_on=world.today() + timedelta(days=700),
    )
    ids["report"] = c.id
    # Nothing due; an upcoming summons.
    c = await world.open_case(perpetrator=person("Quiet"), risk_level=RiskLevel.HIGH)
    m = await world.add_measure(c.id, MeasureKind.MEDIATION_216TER)
    await schedule_summons(
        actor=world.ja,
        case_id=c.id,
        data=SummonsCreate(scheduled_at=world.soon(3, 10), measure_id=m.id),
        clock=world.clock,
    )
    ids["quiet"] = c.id
    # Someone else's case.
    await world.add_measure(
        (await world.open_case(perpetrator=person("Colleague"), assigned_ja_id=world.ja2.id)).id
    )
    return ids


async def test_caseload_shows_exactly_what_is_due(api, world: World):
    ids = await build(world)
    r = await api.as_(world.ja, "GET", "/api/caseload")
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["total"] == 5  # not the colleague's case
    by_case = {i["case_id"]: {a["attention"] for a in i["attention"]} for i in page["items"]}
    assert by_case == {
        ids["ban"]: {"ban_ending"},
        ids["unrecorded"]: {"attendance_not_recorded"},
        ids["waiting"]: {"awaiting_decision"},
        ids["report"]: {"report_late"},
        ids["quiet"]: set(),
    }
    # Sorted by risk, then the soonest due date.
    assert [i["risk_level"] for i in page["items"]] == ["severe", "high", "high", "medium", "low"]
    quiet = next(i for i in page["items"] if i["case_id"] == ids["quiet"])
    assert quiet["next_summons_at"] is not None

    r = await api.as_(world.ja, "GET", "/api/caseload?needing_attention=true&sort=due")
    assert r.json()["total"] == 4
    r = await api.as_(world.ja, "POST", "/api/caseload/search", json={"search": "unrec"})
    assert [i["case_id"] for i in r.json()["items"]] == [ids["unrecorded"]]
    reference = r.json()["items"][0]["reference"]
    r = await api.as_(world.ja, "POST", "/api/caseload/search", json={"search": reference})
    assert [i["case_id"] for i in r.json()["items"]] == [ids["unrecorded"]]
    r = await api.as_(world.ja, "GET", "/api/caseload?limit=2&offset=4")
    assert len(r.json()["items"]) == 1
    r = await api.as_(world.ja, "GET", "/api/caseload?attention=ban_ending")
    assert [i["case_id"] for i in r.json()["items"]] == [ids["ban"]]
    r = await api.as_(world.ja, "POST", "/api/caseload/search", json={"search": "x"})
    assert r.status_code == 400

    r = await api.as_(world.ja, "GET", "/api/caseload/overdue")
    assert {row["attention"] for row in r.json()} == {
        "ban_ending",
        "attendance_not_recorded",
        "awaiting_decision",
        "report_late",
    }
    r = await api.as_(world.ja, "GET", "/api/caseload/upcoming-summons")
    assert [u["case_id"] for u in r.json()] == [ids["quiet"]]

    # A justice assistant sees only their own caseload; the supervisor sees the team.
    r = await api.as_(world.ja, "GET", f"/api/caseload?ja_id={world.ja2.id}")
    assert r.status_code == 403
    r = await api.as_(world.ja, "GET", "/api/caseload/team")
    assert r.status_code == 403
    r = await api.as_(world.supervisor, "GET", f"/api/caseload?ja_id={world.ja2.id}")
    assert r.json()["total"] == 1
    r = await api.as_(world.supervisor, "GET", "/api/caseload/team")
    team = {m["justice_assistant"]["id"]: m for m in r.json()}
    assert team[world.ja.id]["open_cases"] == 5
    assert team[world.ja.id]["needing_attention"] == 4
    assert team[world.ja2.id]["open_cases"] == 1
    r = await api.as_(world.other_house_ja, "GET", "/api/caseload")
    assert r.json()["total"] == 0
