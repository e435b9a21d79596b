"""A residence ban without the address it protects: 422 naming the field, nothing saved."""

from __future__ import annotations

from perp_track.measures.tables import Measure
from tests.world import World


async def _homeless_case(world: World):  # type: ignore[no-untyped-def]
    victim = world.case_data().victim
    assert victim is not None
    return await world.open_case(victim=victim.model_copy(update={"address": None}))


async def test_the_api_names_the_field_too(api, world: World):  # type: ignore[no-untyped-def]
    case = await _homeless_case(world)
    body = {
        "kind": "temporary_residence_ban",
        "decided_by": "Parquet de Liège",
        "decided_on": world.today().isoformat(),
        "starts_on": world.today().isoformat(),
    }
    r = await api.as_(world.ja, "POST", f"/api/cases/{case.id}/measures", json=body)
    assert r.status_code == 422, r.text
    assert r.json()["extra"]["field"] == "conditions.0.address"
    body["conditions"] = [{"kind": "place_ban", "address": "  "}]
    r = await api.as_(world.ja, "POST", f"/api/cases/{case.id}/measures", json=body)
    assert r.status_code == 422
    assert r.json()["extra"]["field"] == "conditions.0.address"
    assert await Measure.count().where(Measure.case == case.id) == 0
    body["conditions"] = [{"kind": "place_ban", "address": "Rue du Parc 2, 4000 Liège"}]
    r = await api.as_(world.ja, "POST", f"/api/cases/{case.id}/measures", json=body)
    assert r.status_code == 201, r.text
