"""A Belgian number typed as people write it is accepted and stored in E.164."""

from __future__ import annotations

from perp_track.cases.tables import Person
from tests.world import World


async def test_a_belgian_number_without_country_code_is_stored_in_e164(api, world: World):
    body = world.case_data().model_dump(mode="json")
    body["perpetrator"]["phone"] = "0470 12 34 56"
    body["victim"]["phone"] = "0032 475/98.76.54"
    r = await api.as_(world.ja, "POST", "/api/cases", json=body)
    assert r.status_code == 201, r.text
    phones = {p["phone"] for p in await Person.select(Person.phone)}
    assert phones == {"+32470123456", "+32475987654"}


async def test_the_same_number_written_two_ways_is_one_number(api, world: World):
    body = world.case_data().model_dump(mode="json")
    body["perpetrator"]["phone"] = "0470 12 34 56"
    body["victim"]["phone"] = "+32470123456"
    r = await api.as_(world.ja, "POST", "/api/cases", json=body)
    assert r.status_code == 422
    assert r.json()["code"] == "case.shared_phone"
    assert await Person.count() == 0


async def test_a_number_that_is_not_one_is_400_naming_the_field(api, world: World):
    body = world.case_data().model_dump(mode="json")
    body["perpetrator"]["phone"] = "0470 12"
    r = await api.as_(world.ja, "POST", "/api/cases", json=body)
    assert r.status_code == 400
    assert "phone" in r.text and "0470 12" not in r.text
    assert await Person.count() == 0


async def test_the_openapi_states_the_format(api, world: World):
    schema = (await api.client.get("/schema/openapi.json")).json()
    person = schema["components"]["schemas"]["PersonIn"]["properties"]["phone"]
    text = str(person)
    assert "E.164" in text and "0470 12 34 56" in text
