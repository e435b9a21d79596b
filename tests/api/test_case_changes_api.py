"""The API's side of the change pages: versioned changes of a running case, told to whom the
routing table says; and the compliance answered in codes and in the Accept-Language language."""

from __future__ import annotations

from perp_track.cases.tables import CaseEvent
from perp_track.measures.rules import MeasureKind
from tests.notify_helpers import outbox
from tests.world import World


async def test_changes_are_versioned_and_tell_the_new_people(api, world: World):
    case = await world.open_case()
    url = f"/api/cases/{case.id}"
    r = await api.as_(world.ja, "POST", f"{url}/perpetrator", json={"version": 1})
    assert r.status_code in (400, 422)  # nothing to change
    r = await api.as_(
        world.ja, "POST", f"{url}/perpetrator", json={"phone": "0470 99 88 77", "version": 1}
    )
    assert r.status_code == 200, r.text
    assert r.json() == {"case_id": case.id, "version": 2, "changed": ["phone"]}
    # The same number again: nothing to change, said by its code, on its field.
    r = await api.as_(
        world.ja, "POST", f"{url}/perpetrator", json={"phone": "+32470998877", "version": 2}
    )
    assert r.status_code == 422
    assert r.json()["code"] == "case.nothing_changed"
    assert r.json()["params"]["field"] == "phone"
    # A stale version: 409, nothing changed.
    r = await api.as_(
        world.ja, "POST", f"{url}/perpetrator", json={"email": "m@example.org", "version": 1}
    )
    assert r.status_code == 409
    assert r.json()["code"] == "record.changed_since_read"

    body = {"assigned_ja_id": world.ja2.id, "reason": "Caseload rebalanced", "version": 2}
    r = await api.as_(world.ja, "POST", f"{url}/assignment", json=body)
    assert r.status_code == 403
    r = await api.as_(world.supervisor, "POST", f"{url}/assignment", json=body)
    assert r.status_code == 200, r.text
    assert [n["recipient_user"] for n in await outbox(template="case_assigned")] == [
        world.ja2.id,
        world.ja2.id,
    ]
    r = await api.as_(world.ja2, "GET", url)
    assert r.json()["assigned_ja"]["id"] == world.ja2.id
    events = (
        await CaseEvent.select(CaseEvent.kind, CaseEvent.data)
        .output(load_json=True)
        .where(CaseEvent.case == case.id)
    )
    reassigned = [e for e in events if e["kind"] == "case_reassigned"]
    assert reassigned and reassigned[0]["data"]["reason"] == "Caseload rebalanced"


async def test_a_closed_case_keeps_its_facts(api, world: World):
    case = await world.open_case()
    from perp_track.cases.tables import Case

    await Case.update({Case.status: "closed"}).where(Case.id == case.id)
    r = await api.as_(
        world.ja,
        "POST",
        f"/api/cases/{case.id}/perpetrator",
        json={"language": "nl", "version": 1},
    )
    assert r.status_code == 409
    assert r.json()["code"] == "case.closed"


async def test_compliance_reasons_come_as_codes_and_in_the_asked_language(api, world: World):
    case = await world.open_case()
    measure = await world.add_measure(
        case.id, MeasureKind.MEDIATION_216TER, conditions=[world.programme()]
    )
    condition = measure.conditions[0]
    for event, version in (("start", condition.version), ("breach", condition.version + 1)):
        r = await api.as_(
            world.ja,
            "POST",
            f"/api/conditions/{condition.id}/transitions",
            json={"event": event, "reason": "Stopped coming to the group", "version": version},
        )
        assert r.status_code == 200, r.text
    url = f"/api/cases/{case.id}/compliance"
    english = (await api.as_(world.ja, "GET", url)).json()
    dutch = (
        await api.as_(world.ja, "GET", url, headers={"Accept-Language": "nl-BE,nl;q=0.9"})
    ).json()
    reasons = [c for m in english["measures"] for c in m["conditions"] if c["reasons"]]
    assert reasons, english
    assert reasons[0]["reason_codes"][0]["code"] == "breached"
    dutch_reasons = [c for m in dutch["measures"] for c in m["conditions"] if c["reasons"]]
    assert dutch_reasons[0]["reason_codes"] == reasons[0]["reason_codes"]
    assert dutch_reasons[0]["reasons"] != reasons[0]["reasons"]


async def test_assigning_a_case_nobody_held_assigns_its_waiting_measures(api, world: World):
    from perp_track.cases.services import open_case

    case = await open_case(actor=world.supervisor, data=world.case_data(), clock=world.clock)
    assert case.assigned_ja is None
    r = await api.as_(
        world.supervisor,
        "POST",
        f"/api/cases/{case.id}/measures",
        json=world.measure_data().model_dump(mode="json"),
    )
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "received"
    r = await api.as_(
        world.supervisor,
        "POST",
        f"/api/cases/{case.id}/assignment",
        json={"assigned_ja_id": world.ja.id, "reason": "New mandate", "version": 1},
    )
    assert r.status_code == 200, r.text
    case_now = (await api.as_(world.ja, "GET", f"/api/cases/{case.id}")).json()
    assert [m["status"] for m in case_now["measures"]] == ["assigned"]
    assert [n["recipient_user"] for n in await outbox(template="case_assigned")][:1] == [
        world.ja.id
    ]
