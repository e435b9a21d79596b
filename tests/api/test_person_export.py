from tests.world import World


async def test_a_supervisor_exports_all_held_on_a_victim_with_her_disclosure_log(api, world: World):
    case = await world.open_case()
    await api.as_(world.ja2, "GET", f"/api/cases/{case.id}")
    await api.as_(world.sapv, "GET", "/api/sapv/victims")
    r = await api.as_(world.supervisor, "GET", f"/api/privacy/persons/{case.victim.id}/export")
    assert r.status_code == 200, r.text
    export = r.json()
    assert export["person"]["phone"] == "+32470333444"
    assert [c["reference"] for c in export["cases"]] == [case.reference]
    assert export["cases"][0]["role_in_case"] == "victim"
    readers = [(d["actor_name"], d["action"]) for d in export["disclosures"]]
    assert ("Pieter Ja", "read") in readers
    assert ("Nadia Sapv", "read") in readers
    # The export itself lands on her log.
    r = await api.as_(world.supervisor, "GET", f"/api/privacy/persons/{case.victim.id}/export")
    assert r.json()["disclosures"][-1]["action"] == "export"


async def test_the_export_is_for_supervisors_of_the_house(api, world: World):
    case = await world.open_case()
    url = f"/api/privacy/persons/{case.victim.id}/export"
    for user in (world.ja, world.officer, world.sapv, world.praxis, world.other_house_ja):
        assert (await api.as_(user, "GET", url)).status_code == 403
    r = await api.as_(world.supervisor, "GET", "/api/privacy/persons/999999/export")
    assert r.status_code == 404
