"""The risk policy and a case's risk over HTTP: bad input gets a clear 4xx and changes nothing."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from typing import Any

from perp_track.audit.tables import AuditEntry
from perp_track.cases.rules import RiskLevel
from perp_track.risk.rules import DEFAULT_POLICY
from perp_track.risk.tables import RiskAlert
from perp_track.summons.rules import Outcome
from perp_track.summons.schemas import AttendanceIn, SummonsCreate
from perp_track.summons.services import record_attendance, schedule_summons
from tests.world import World


def _tiers(**changes: Any) -> list[dict[str, Any]]:
    """What the tiers set, as PUT /api/risk/policy takes it (the tier by its code)."""
    rows = [
        {k: v for k, v in asdict(t).items() if k not in {"rank", "names"}} for t in DEFAULT_POLICY
    ]
    for row in rows:
        row.update(changes.get(row["tier"], {}))
    return rows


async def _policy(api, world: World) -> dict[str, Any]:
    r = await api.as_(world.supervisor, "GET", "/api/risk/policy")
    assert r.status_code == 200, r.text
    return r.json()


async def test_the_policy_is_shown_and_changed_by_a_supervisor_only(api, world: World):
    policy = await _policy(api, world)
    assert [t["tier"] for t in policy["tiers"]] == ["low", "medium", "high", "severe"]
    assert policy["loop_from"] == "high"
    high = next(t for t in policy["tiers"] if t["tier"] == "high")
    assert (high["evening_reminder_hour"], high["sapv_update_days"], high["reassess_days"]) == (
        19,
        14,
        30,
    )
    body = {"tiers": _tiers(medium={"closed_loop": True}), "version": policy["version"]}
    r = await api.as_(world.ja, "PUT", "/api/risk/policy", json=body)
    assert r.status_code == 403
    r = await api.as_(world.supervisor, "PUT", "/api/risk/policy", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["loop_from"] == "medium"
    assert r.json()["version"] == policy["version"] + 1
    entry = (
        await AuditEntry.select()
        .where(AuditEntry.record_type == "risk_policy")
        .first()
        .output(load_json=True)
    )
    assert entry["actor_id"] == world.supervisor.id
    assert "medium.closed_loop: False -> True" in entry["detail"]
    # The same version again is stale: refused, nothing changed.
    r = await api.as_(world.supervisor, "PUT", "/api/risk/policy", json=body)
    assert r.status_code == 409
    assert r.json()["code"] == "record.changed_since_read"


async def test_a_bad_policy_is_refused_and_changes_nothing(api, world: World):
    before = await _policy(api, world)
    version = before["version"]
    cases = [
        # A negative interval: 400 naming the field.
        (_tiers(high={"sapv_update_days": -1}), 400, "sapv_update_days"),
        # A tier that is not in the policy: 422 naming the field.
        ([*_tiers()[:3], {**_tiers()[3], "tier": "extreme"}], 422, "tiers.3.tier"),
        # A tier given twice, a tier missing, a loop that skips a higher tier: 422 by code.
        ([*_tiers(), _tiers()[0]], 422, "risk.tier_twice"),
        (_tiers()[:3], 422, "risk.tier_missing"),
        (_tiers(severe={"closed_loop": False}), 422, "risk.loop_not_upwards"),
    ]
    for tiers, status, says in cases:
        r = await api.as_(
            world.supervisor, "PUT", "/api/risk/policy", json={"tiers": tiers, "version": version}
        )
        assert r.status_code == status, (says, r.text)
        assert says in r.text, r.text
    assert await _policy(api, world) == before


async def test_a_reassessment_goes_up_at_once_and_down_only_with_a_reason(api, world: World):
    case = await world.open_case(risk_level=RiskLevel.MEDIUM)
    url = f"/api/cases/{case.id}/risk"
    r = await api.as_(world.ja, "GET", url)
    assert r.status_code == 200
    history = r.json()
    assert [(a["source"], a["level"]) for a in history["assessments"]] == [
        ("police_initial", "medium")
    ]
    r = await api.as_(world.ja, "POST", url, json={"level": "extreme", "version": 1})
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "risk.unknown_tier" and r.json()["params"]["field"] == "level"
    r = await api.as_(world.ja, "POST", url, json={"level": "high", "version": history["version"]})
    assert r.status_code == 201, r.text
    raised = r.json()
    assert raised["level"] == "high"
    assert raised["reassessment_due"] is not None
    r = await api.as_(world.ja, "POST", url, json={"level": "low", "version": raised["version"]})
    assert r.status_code == 422
    assert r.json()["code"] == "risk.downgrade_needs_reason"
    r = await api.as_(world.ja, "GET", url)
    assert r.json()["level"] == "high" and len(r.json()["assessments"]) == 2
    r = await api.as_(
        world.ja,
        "POST",
        url,
        json={"level": "low", "reason": "Left the country", "version": raised["version"]},
    )
    assert r.status_code == 201
    assert [a["level"] for a in r.json()["assessments"]] == ["medium", "high", "low"]
    # Another house's assistant does not know the case exists.
    r = await api.as_(world.other_house_ja, "GET", url)
    assert r.status_code == 404


async def test_the_zone_answers_its_alert_over_the_api(api, world: World):
    case = await world.open_case(risk_level=RiskLevel.HIGH)
    summons = await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        clock=world.clock,
        data=SummonsCreate(scheduled_at=world.soon(1, 9)),
    )
    world.clock.advance(timedelta(days=2))
    await record_attendance(
        actor=world.ja,
        summons_id=summons.id,
        data=AttendanceIn(outcome=Outcome.ABSENT_NO_VALID_REASON, version=summons.version),
        clock=world.clock,
    )
    r = await api.as_(world.officer, "GET", "/api/risk/alerts")
    assert r.status_code == 200
    [alert] = r.json()
    assert (alert["kind"], alert["state"], alert["case_reference"]) == (
        "police_alert",
        "open",
        case.reference,
    )
    url = f"/api/risk/alerts/{alert['id']}"
    r = await api.as_(world.officer, "POST", url + "/done", json={"version": 1})
    assert r.status_code == 400 and "outcome" in r.text
    r = await api.as_(world.officer, "POST", url + "/acknowledge", json={"version": 1})
    assert r.status_code == 200 and r.json()["state"] == "acknowledged"
    r = await api.as_(world.officer, "POST", url + "/acknowledge", json={"version": 2})
    assert r.status_code == 409
    r = await api.as_(
        world.officer,
        "POST",
        url + "/done",
        json={"outcome": "police_action_taken", "note": "Patrol", "version": 2},
    )
    assert r.status_code == 200 and r.json()["outcome"] == "police_action_taken"
    assert (await RiskAlert.select().where(RiskAlert.id == alert["id"]).first())["state"] == "done"
    # The SAPV contact sees her safety check, not the police's alert.
    r = await api.as_(world.sapv, "GET", "/api/risk/alerts")
    assert [a["kind"] for a in r.json()] == ["safety_check"]
    assert (await api.as_(world.sapv, "GET", url)).status_code == 404
