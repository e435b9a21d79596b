"""Every measure of DOMAIN §3 from the order to its closing, through the API only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.world import World

JOURNEYS = {
    "mediation_216ter": [
        ("start", None),
        ("report_non_compliance", None),
        ("adapt_conditions", None),
        ("resume", None),
        ("complete", None),
    ],
    "release_under_conditions": [
        ("start", None),
        ("extend", 91 + 91),
        ("report_non_compliance", None),
        ("issue_warrant", None),
        ("fail", None),
    ],
    "probation": [
        ("schedule_intake", None),
        ("start", None),
        ("suspend", None),
        ("report_non_compliance", None),
        ("request_revocation", None),
        ("fail", None),
    ],
    "autonomous_probation": [("start", None), ("complete", None)],
    "temporary_residence_ban": [("extend", 40), ("lift", None)],
}
CLOSED = {"completed", "failed", "expired", "lifted"}


@pytest.mark.parametrize("kind", sorted(JOURNEYS))
async def test_from_order_to_closing(api, world: World, kind: str):
    r = await api.as_(
        world.ja, "POST", "/api/cases", json=world.case_data().model_dump(mode="json")
    )
    case_id = r.json()["id"]
    order = {
        "kind": kind,
        "decided_by": "Autorité",
        "decided_on": world.today().isoformat(),
        "starts_on": world.today().isoformat(),
    }
    if "probation" in kind:
        order["ends_on"] = (world.today() + timedelta(days=730)).isoformat()
    r = await api.as_(world.ja, "POST", f"/api/cases/{case_id}/measures", json=order)
    assert r.status_code == 201, r.text
    measure = r.json()
    for event, extend_days in JOURNEYS[kind]:
        assert event in measure["allowed_events"], (event, measure["status"])
        body = {"event": event, "reason": f"Decision of the authority: {event}"}
        body["version"] = measure["version"]
        if extend_days:
            body["ends_on"] = (world.today() + timedelta(days=extend_days)).isoformat()
        r = await api.as_(world.ja, "POST", f"/api/measures/{measure['id']}/transitions", json=body)
        assert r.status_code == 200, r.text
        measure = r.json()
    assert measure["status"] in CLOSED
    assert measure["allowed_events"] == []
    r = await api.as_(world.ja, "GET", f"/api/cases/{case_id}")
    moves = [e for e in r.json()["timeline"] if e["kind"] == "measure_transition"]
    assert [m["data"]["event"] for m in moves] == [e for e, _ in JOURNEYS[kind]]
    assert all(m["actor"]["id"] == world.ja.id and m["data"]["reason"] for m in moves)


async def test_openapi_documents_the_new_routes(api, world: World):
    r = await api.client.get("/schema/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for path in (
        "/api/caseload",
        "/api/caseload/overdue",
        "/api/programme/sessions/{session_id}/roll-call",
        "/api/cases/{case_id}/report",
        "/api/measures/transitions",
    ):
        assert path in paths, path


async def test_letter_as_pdf(api, world: World):
    from perp_track.summons.schemas import SummonsCreate
    from perp_track.summons.services import schedule_summons

    case = await world.open_case()
    s = await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        data=SummonsCreate(scheduled_at=world.soon(7, 10)),
        clock=world.clock,
    )
    r = await api.as_(world.ja, "GET", f"/api/summons/{s.id}/letter?lang=nl&format=pdf")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
