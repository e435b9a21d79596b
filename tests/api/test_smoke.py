from tests.world import World


async def test_open_case_and_read(api, world: World):
    r = await api.as_(
        world.ja, "POST", "/api/cases", json=world.case_data().model_dump(mode="json")
    )
    assert r.status_code == 201, r.text
    case = r.json()
    assert case["reference"].startswith("LIE-2026-")
    r = await api.as_(world.ja, "GET", f"/api/cases/{case['id']}")
    assert r.status_code == 200
    assert r.json()["timeline"][0]["kind"] == "case_opened"
