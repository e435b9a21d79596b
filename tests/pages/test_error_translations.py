"""A service's refusal reaches the page in the reader's language; the API keeps its English."""

from __future__ import annotations

from datetime import timedelta

from perp_track.measures.rules import MeasureEvent, MeasureStatus
from perp_track.measures.schemas import MeasureTransitionIn
from perp_track.measures.services import read_measure, transition_measure
from perp_track.summons.schemas import SummonsCreate
from perp_track.summons.services import schedule_summons
from tests.pages.conftest import Browser
from tests.world import PASSWORD, World


async def _summons(world: World) -> tuple[int, int]:
    case = await world.open_case()
    summons = await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        data=SummonsCreate(scheduled_at=world.soon(5)),
        clock=world.clock,
    )
    return case.id, summons.id


async def test_a_french_reader_sees_a_stale_form_and_an_illegal_step_in_french(
    browser: Browser, world: World
) -> None:
    case = await world.open_case()
    measure = await world.add_measure(case.id)
    assert measure.status == MeasureStatus.ASSIGNED and measure.version == 1
    await browser.login(world.ja.email)  # her profile says French
    url = f"/measures/{measure.id}/transition"
    await browser.get(url)  # the form, read at version 1
    # Meanwhile, in another tab, the measure starts (version 2).
    await transition_measure(
        actor=world.ja,
        measure_id=measure.id,
        data=MeasureTransitionIn(event=MeasureEvent.START, reason="Intake done", version=1),
        clock=world.clock,
    )
    form = {"reason": "Hospital stay", "version": "1", "confirm": "yes"}
    # A step the measure can take now, sent with the version the form was read at.
    stale = await browser.post(url, {**form, "event": "suspend"})
    assert stale.status_code == 409
    assert "Quelqu&#39;un a modifié cet enregistrement" in stale.text
    assert "changed since you read it" not in stale.text
    # A step the measure can no longer take.
    illegal = await browser.post(url, {**form, "event": "start"})
    assert illegal.status_code == 422
    assert "Cette étape n&#39;est pas possible depuis le statut actuel de la mesure." in (
        illegal.text
    )
    assert (await read_measure(actor=world.ja, measure_id=measure.id)).status == (
        MeasureStatus.ACTIVE
    )


async def test_an_illegal_step_is_said_in_the_readers_language(
    browser: Browser, world: World
) -> None:
    _, summons_id = await _summons(world)
    await browser.login(world.ja.email)
    url = f"/summons/{summons_id}/cancel"
    await browser.get(url)
    done = await browser.post(url, {"version": "1", "reason": "No longer needed"})
    assert done.status_code == 303
    # The same cancellation again, from a tab left open: a summons cancelled cannot be again.
    again = await browser.post(url, {"version": "2", "reason": "No longer needed"})
    assert again.status_code == 422
    assert "Cette convocation est « Annulée » : elle ne peut plus être déplacée" in again.text
    assert "cannot cancel a summons" not in again.text
    # In Dutch once the reader switches language.
    await browser.post("/language", {"language": "nl", "next": url})
    again = await browser.post(url, {"version": "2", "reason": "No longer needed"})
    assert "Deze oproeping is “Geannuleerd”" in again.text


async def test_the_api_keeps_its_english_sentences(browser: Browser, world: World) -> None:
    _, summons_id = await _summons(world)
    client = browser.client
    login = await client.post(
        "/api/auth/login", json={"email": world.ja.email, "password": PASSWORD}
    )
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    body = {"reason": "No longer needed", "version": 1}
    url = f"/api/summons/{summons_id}/cancel"
    assert (await client.post(url, json=body, headers=headers)).is_success
    r = await client.post(url, json=body, headers=headers)
    assert r.status_code == 409
    assert r.json()["detail"] == "cannot cancel a summons that is 'cancelled'"


async def test_the_error_page_says_a_services_refusal_in_the_readers_language(
    browser: Browser, world: World
) -> None:
    case_id, _ = await _summons(world)
    await browser.login(world.ja.email)
    today = world.today()
    url = f"/cases/{case_id}/report"
    query = {"period_from": today.isoformat(), "period_to": (today - timedelta(days=3)).isoformat()}
    r = await browser.get(url, params=query)
    assert r.status_code == 422
    assert "La période se termine avant de commencer." in r.text
    assert "the period ends before it starts" not in r.text
    await browser.post("/language", {"language": "nl", "next": "/"})
    r = await browser.get(url, params=query)
    assert "De periode eindigt voor ze begint." in r.text
