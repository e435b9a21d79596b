from tests.world import World


async def test_a_supervisor_queries_the_trail_of_their_house_only(api, world: World):
    body = world.case_data().model_dump(mode="json")
    r = await api.as_(world.ja, "POST", "/api/cases", json=body)
    case = r.json()
    r = await api.as_(world.ja2, "GET", f"/api/cases/{case['id']}")
    request_id = r.headers["X-Request-ID"]

    r = await api.as_(world.supervisor, "GET", f"/api/audit?case_id={case['id']}&action=read")
    assert r.status_code == 200, r.text
    page = r.json()
    reads = [e for e in page["items"] if e["actor_id"] == world.ja2.id]
    assert {e["record_type"] for e in reads} == {"person:victim", "person:perpetrator"}
    assert {e["request_id"] for e in reads} == {request_id}

    r = await api.as_(world.supervisor, "GET", f"/api/audit?person_id={case['victim']['id']}")
    assert {e["person_id"] for e in r.json()["items"]} == {case["victim"]["id"]}

    # Another justice house sees none of it; a justice assistant may not query at all.
    other = await api.as_(world.other_house_ja, "GET", "/api/audit")
    assert other.status_code == 403
    assert (await api.as_(world.ja, "GET", "/api/audit")).status_code == 403
    r = await api.as_(world.supervisor, "GET", "/api/audit/verify")
    assert r.json()["intact"] is True
    r = await api.as_(world.supervisor, "GET", "/api/audit?since=2026-03-01T00:00:00")
    assert r.status_code == 422
