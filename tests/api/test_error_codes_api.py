"""A refusal answers its stable code, its params and a detail in English or the asked language."""

from __future__ import annotations

from perp_track.measures.rules import MeasureKind
from perp_track.measures.tables import Measure
from tests.world import World


async def _illegal_step(api, world: World, **headers: str):  # type: ignore[no-untyped-def]
    case = await world.open_case()
    measure = await world.add_measure(case.id, MeasureKind.MEDIATION_216TER)
    return await api.as_(
        world.ja,
        "POST",
        f"/api/measures/{measure.id}/transitions",
        json={"event": "complete", "reason": "Done", "version": 1},
        headers=headers,
    )


async def test_an_illegal_step_answers_its_code_and_params(api, world: World):
    r = await _illegal_step(api, world)
    assert r.status_code == 409
    body = r.json()
    assert body["code"] == "measure.step_not_allowed"
    assert body["params"] == {
        "status": "assigned",
        "event": "complete",
        "allowed": ["schedule_intake", "start", "lift"],
    }
    assert body["detail"] == (
        "a measure that is 'assigned' cannot 'complete'; allowed: schedule_intake, start, lift"
    )
    assert (await Measure.select(Measure.status).first())["status"] == "assigned"


async def test_the_detail_follows_accept_language(api, world: World):
    r = await _illegal_step(api, world, **{"Accept-Language": "nl-BE,nl;q=0.9"})
    body = r.json()
    assert body["code"] == "measure.step_not_allowed"
    assert "“Toegewezen”" in body["detail"], body["detail"]
    assert "cannot" not in body["detail"]
    r = await _illegal_step(api, world, **{"Accept-Language": "de"})
    assert r.json()["detail"].startswith("a measure that is 'assigned' cannot 'complete'")


async def test_a_missing_record_answers_its_code(api, world: World):
    r = await api.as_(world.ja, "GET", "/api/measures/999999")
    assert r.status_code == 404
    assert r.json()["code"] == "measure.not_found"
    assert r.json()["params"] == {"measure_id": 999999}


async def test_the_openapi_documents_the_codes(api, world: World):
    schema = (await api.client.get("/schema/openapi.json")).json()
    problems = [
        response["content"]["application/json"]["schema"]
        for item in schema["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict)
        for status, response in operation.get("responses", {}).items()
        if status == "409" and "content" in response
    ]
    assert problems
    problem = problems[0]
    assert "measure.step_not_allowed" in problem["properties"]["code"]["enum"]
    assert {"code", "detail", "params"} <= set(problem["properties"])
