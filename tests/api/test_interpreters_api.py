"""The interpreter register and bookings through the API: who may, and bad input named by field."""

from __future__ import annotations

from perp_track.interpreters.tables import Interpreter, InterpreterBooking
from perp_track.summons.tables import Summons
from tests.world import World

BODY = {
    "full_name": "Samira Haddou",
    "language": "arabic",
    "sworn": True,
    "email": "samira.haddou@example.org",
    "message_language": "en",
}


async def test_supervisors_keep_the_register_and_assistants_read_it(api, world: World):
    assert (await api.as_(world.ja, "POST", "/api/interpreters", json=BODY)).status_code == 403
    r = await api.as_(world.supervisor, "POST", "/api/interpreters", json=BODY)
    assert r.status_code == 201, r.text
    added = r.json()
    assert added["active"] is True and added["version"] == 1
    listed = await api.as_(world.ja, "GET", "/api/interpreters?language=Arabic&active=true")
    assert [i["id"] for i in listed.json()] == [added["id"]]
    other = await api.as_(world.other_house_ja, "GET", f"/api/interpreters/{added['id']}")
    assert other.status_code == 404


async def test_bad_input_names_the_field_and_changes_nothing(api, world: World):
    await api.as_(world.supervisor, "POST", "/api/interpreters", json=BODY)
    bad = await api.as_(
        world.supervisor, "POST", "/api/interpreters", json={**BODY, "email": "not-an-address"}
    )
    assert bad.status_code == 400 and "email" in bad.text
    twice = await api.as_(
        world.supervisor,
        "POST",
        "/api/interpreters",
        json={**BODY, "email": "Samira.Haddou@example.org"},
    )
    assert twice.status_code == 422
    assert twice.json()["code"] == "interpreter.email_taken"
    assert twice.json()["params"] == {"field": "email"}
    bad_language = await api.as_(
        world.supervisor, "POST", "/api/interpreters", json={**BODY, "message_language": "de"}
    )
    assert bad_language.status_code == 400 and "message_language" in bad_language.text
    assert await Interpreter.count() == 1


async def test_a_summons_with_an_interpreter_of_another_language_is_refused(api, world: World):
    case = await world.open_case(interpreter_language="dari")
    added = (await api.as_(world.supervisor, "POST", "/api/interpreters", json=BODY)).json()
    r = await api.as_(
        world.ja,
        "POST",
        f"/api/cases/{case.id}/summons",
        json={"scheduled_at": world.soon().isoformat(), "interpreter_id": added["id"]},
    )
    assert r.status_code == 422
    assert r.json()["code"] == "interpreter.wrong_language"
    assert r.json()["params"] == {"language": "dari", "field": "interpreter_id"}
    assert await Summons.count() == 0 and await InterpreterBooking.count() == 0


async def test_book_then_release_from_the_summons(api, world: World):
    case = await world.open_case(interpreter_language="arabic")
    added = (await api.as_(world.supervisor, "POST", "/api/interpreters", json=BODY)).json()
    summons = (
        await api.as_(
            world.ja,
            "POST",
            f"/api/cases/{case.id}/summons",
            json={"scheduled_at": world.soon().isoformat()},
        )
    ).json()
    assert summons["interpreter"] is None
    r = await api.as_(
        world.ja,
        "POST",
        f"/api/summons/{summons['id']}/interpreter",
        json={"interpreter_id": added["id"], "version": summons["version"]},
    )
    assert r.status_code == 200, r.text
    booked = r.json()
    assert booked["interpreter"]["interpreter_name"] == "Samira Haddou"
    assert booked["version"] == summons["version"] + 1
    ics = await api.as_(world.ja, "GET", f"/api/summons/{summons['id']}/calendar.ics")
    assert "ATTENDEE" in ics.text and "SEQUENCE:1" in ics.text
    # Deactivating her now is refused: she is booked for a summons to come.
    refused = await api.as_(
        world.supervisor,
        "POST",
        f"/api/interpreters/{added['id']}/active",
        json={"active": False, "version": added["version"]},
    )
    assert refused.status_code == 409 and refused.json()["params"] == {"count": 1}
    released = await api.as_(
        world.ja,
        "POST",
        f"/api/summons/{summons['id']}/interpreter/release",
        json={"version": booked["version"]},
    )
    assert released.status_code == 200 and released.json()["interpreter"] is None
