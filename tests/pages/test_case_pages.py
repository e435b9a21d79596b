"""The justice assistant's pages do what the API does, through the same services."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from perp_track.cases.tables import Case, Person
from perp_track.measures.tables import Measure
from perp_track.summons.schemas import SummonsCreate
from perp_track.summons.services import schedule_summons
from perp_track.summons.tables import Attendance, Summons
from tests.world import World

CASE_FORM = {
    "mandating_authority": "prosecutor",
    "authority_reference": "LI.26.99.1/26",
    "risk_level": "high",
    "language": "fr",
    "perpetrator.first_name": "Paul",
    "perpetrator.last_name": "Martin",
    "perpetrator.language": "fr",
    "perpetrator.phone": "+32470999888",
    "victim.first_name": "",
    "victim.last_name": "",
    "victim.language": "fr",
    "step": "create",  # the check-your-answers page's button
}


async def test_dashboard_lists_summons_to_record_and_to_come(browser, world: World):
    case = await world.open_case()
    past = await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        data=SummonsCreate(scheduled_at=world.soon(days=1)),
        clock=world.clock,
    )
    await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        data=SummonsCreate(scheduled_at=world.soon(days=3)),
        clock=world.clock,
    )
    world.clock.advance(timedelta(days=2))
    await browser.login(world.ja.email)
    page = (await browser.get("/")).text
    awaiting = page.split('id="awaiting-title"')[1].split("</section>")[0]
    upcoming = page.split('id="upcoming-title"')[1].split("</section>")[0]
    assert f"/summons/{past.id}/attendance" in awaiting
    assert "(1)" in awaiting.split("</h2>")[0]
    assert "(1)" in upcoming.split("</h2>")[0]
    assert case.reference in upcoming
    # Another justice assistant's dashboard does not show her summons.
    await browser.post("/logout", {})
    await browser.login(world.ja2.email)
    assert case.reference not in (await browser.get("/")).text


async def test_open_a_case_from_the_form(browser, world: World):
    await browser.login(world.ja.email)
    form_page = await browser.get("/cases/new")
    assert form_page.status_code == 200
    assert world.officer.full_name in form_page.text  # the referring officer can be chosen
    response = await browser.post(
        "/cases/new",
        {**CASE_FORM, "referring_officer_id": str(world.officer.id)},
    )
    assert response.status_code == 303
    case = await Case.select().first()
    assert case is not None
    assert response.headers["location"] == f"/cases/{case['id']}"
    assert case["assigned_ja"] == world.ja.id
    assert case["referring_officer"] == world.officer.id
    assert case["victim"] is None  # an empty victim part is no victim
    page = await browser.get(response.headers["location"])
    assert f"Dossier {case['reference']} ouvert." in page.text  # the flash, once
    assert "Dossier" in page.text
    assert f"Dossier {case['reference']} ouvert." not in (await browser.get("/cases")).text


async def test_a_case_form_with_mistakes_says_where_and_saves_nothing(browser, world: World):
    await browser.login(world.ja.email)
    form = {**CASE_FORM, "perpetrator.last_name": "", "perpetrator.phone": "0470 12"}
    form["victim.first_name"] = "Julie"
    form["victim.phone"] = "+32470999888"
    response = await browser.post("/cases/new", form)
    assert response.status_code == 422
    assert 'id="f-perpetrator-last_name-error"' in response.text
    assert 'id="f-perpetrator-phone-error"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'value="Paul"' in response.text  # what was typed is kept
    assert await Case.count() == 0
    assert await Person.count() == 0


async def test_the_same_phone_for_victim_and_perpetrator_is_refused(browser, world: World):
    await browser.login(world.ja.email)
    form = {**CASE_FORM, "victim.first_name": "Julie", "victim.last_name": "Martin"}
    form["victim.phone"] = CASE_FORM["perpetrator.phone"]
    response = await browser.post("/cases/new", form)
    assert response.status_code == 422
    assert "la victime et l&#39;auteur ne peuvent pas avoir le même numéro" in response.text
    assert await Case.count() == 0


async def test_add_a_measure_with_conditions(browser, world: World):
    case = await world.open_case()
    await browser.login(world.ja.email)
    assert (await browser.get(f"/cases/{case.id}/measures/new")).status_code == 200
    today = world.today().isoformat()
    response = await browser.post(
        f"/cases/{case.id}/measures/new",
        {
            "kind": "mediation_216ter",
            "decided_by": "Parquet de Liège",
            "decided_on": today,
            "starts_on": today,
            "ends_on": "",
            "conditions.0.kind": "programme",
            "conditions.0.provider_id": str(world.orgs["praxis"]),
            "conditions.0.required_sessions": "21",
            "conditions.1.kind": "",  # a blank row is not a condition
            "conditions.1.description": "ignored",
            "step": "create",
        },
    )
    assert response.status_code == 303, response.text
    measure = await Measure.select().first()
    assert measure is not None
    assert measure["kind"] == "mediation_216ter"
    page = (await browser.get(f"/cases/{case.id}")).text
    assert "Programme" in page
    assert "21 séances requises" in page
    assert "Répondre aux convocations" in page  # the general condition the law adds


async def test_a_programme_without_its_provider_is_refused(browser, world: World):
    case = await world.open_case()
    await browser.login(world.ja.email)
    today = world.today().isoformat()
    response = await browser.post(
        f"/cases/{case.id}/measures/new",
        {
            "kind": "mediation_216ter",
            "decided_by": "Parquet de Liège",
            "decided_on": today,
            "starts_on": today,
            "conditions.0.kind": "programme",
            "step": "create",
        },
    )
    assert response.status_code == 422
    assert "une condition de programme nécessite l&#39;organisme" in response.text
    assert await Measure.count() == 0


async def test_schedule_a_summons_in_brussels_time(browser, world: World):
    case = await world.open_case()
    await browser.login(world.ja.email)
    response = await browser.post(
        f"/cases/{case.id}/summons/new",
        {"scheduled_at": "2026-03-10T10:00", "modality": "in_person", "duration_minutes": "45"},
    )
    assert response.status_code == 303, response.text
    row = await Summons.select().first()
    assert row is not None
    assert row["scheduled_at"] == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # 10:00 in winter
    page = (await browser.get(f"/cases/{case.id}")).text
    assert "10/03/2026 10:00" in page
    assert "Convocation programmée." in page


async def test_a_summons_in_the_past_or_without_a_date_is_refused(browser, world: World):
    case = await world.open_case()
    await browser.login(world.ja.email)
    response = await browser.post(
        f"/cases/{case.id}/summons/new", {"scheduled_at": "", "modality": "in_person"}
    )
    assert response.status_code == 422
    assert 'id="f-scheduled_at-error"' in response.text
    response = await browser.post(
        f"/cases/{case.id}/summons/new",
        {"scheduled_at": "2026-03-01T10:00", "modality": "in_person"},
    )
    assert response.status_code == 422
    assert "une convocation doit être dans le futur" in response.text
    response = await browser.post(
        f"/cases/{case.id}/summons/new", {"scheduled_at": "demain", "modality": "in_person"}
    )
    assert response.status_code == 422
    assert await Summons.count() == 0


async def _summons(world: World, days: int = 1) -> tuple[int, int]:
    case = await world.open_case()
    summons = await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        data=SummonsCreate(scheduled_at=world.soon(days=days)),
        clock=world.clock,
    )
    return case.id, summons.id


async def test_record_then_correct_attendance(browser, world: World):
    case_id, summons_id = await _summons(world)
    await browser.login(world.ja.email)
    response = await browser.post(
        f"/summons/{summons_id}/attendance", {"outcome": "attended", "version": "1"}
    )
    assert response.status_code == 422  # not yet: it is tomorrow
    assert "la présence ne peut pas être enregistrée" in response.text
    world.clock.advance(timedelta(days=2))
    await browser.login(world.ja.email)  # two days idle ended the session
    response = await browser.post(
        f"/summons/{summons_id}/attendance", {"outcome": "attended", "version": "1"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/cases/{case_id}#summons-{summons_id}"
    response = await browser.post(
        f"/summons/{summons_id}/correction", {"outcome": "late", "reason": "", "version": "2"}
    )
    assert response.status_code == 422
    response = await browser.post(
        f"/summons/{summons_id}/correction",
        {
            "outcome": "late",
            "reason": "Arrived 30 minutes late; noted by the reception",
            "version": "2",
        },
    )
    assert response.status_code == 303
    rows = await Attendance.select().order_by(Attendance.id)
    assert [r["outcome"] for r in rows] == ["attended", "late"]
    assert rows[1]["corrects"] == rows[0]["id"]  # nothing overwritten


async def test_reschedule_and_cancel(browser, world: World):
    _, summons_id = await _summons(world, days=5)
    await browser.login(world.ja.email)
    page = await browser.get(f"/summons/{summons_id}/reschedule")
    assert page.status_code == 200
    response = await browser.post(
        f"/summons/{summons_id}/reschedule",
        {
            "scheduled_at": "2026-03-12T14:00",
            "requested_by": "perpetrator",
            "reason": "Job interview that morning",
            "version": "1",
        },
    )
    assert response.status_code == 303, response.text
    new = await Summons.select().where(Summons.rescheduled_from == summons_id).first()
    assert new is not None
    cancel_page = await browser.get(f"/summons/{new['id']}/cancel")
    assert "Annuler cette convocation ?" in cancel_page.text
    response = await browser.post(f"/summons/{new['id']}/cancel", {"reason": "", "version": "1"})
    assert response.status_code == 422
    response = await browser.post(
        f"/summons/{new['id']}/cancel", {"reason": "Measure lifted by the court", "version": "1"}
    )
    assert response.status_code == 303
    statuses = {r["id"]: r["status"] for r in await Summons.select(Summons.id, Summons.status)}
    assert statuses == {summons_id: "rescheduled", new["id"]: "cancelled"}
    assert (await browser.get(f"/summons/{summons_id}/nonsense")).status_code == 404


async def test_a_measure_transition_needs_confirmation(browser, world: World):
    case = await world.open_case()
    measure = await world.add_measure(case.id)
    await browser.login(world.ja.email)
    form = {"event": "lift", "reason": "Decision of the prosecutor", "version": "1"}
    response = await browser.post(f"/measures/{measure.id}/transition", form)
    assert response.status_code == 200
    assert "Veuillez confirmer" in response.text
    assert "« Attribuée » à « Levée »" in response.text
    assert (await Measure.select(Measure.status).first())["status"] == "assigned"
    response = await browser.post(f"/measures/{measure.id}/transition", {**form, "confirm": "yes"})
    assert response.status_code == 303
    assert (await Measure.select(Measure.status).first())["status"] == "lifted"
    # From a closed measure, nothing more is possible.
    response = await browser.post(
        f"/measures/{measure.id}/transition", {**form, "version": "2", "confirm": "yes"}
    )
    assert response.status_code == 422
    assert "Cette étape n&#39;est pas possible" in response.text


async def test_pages_are_scoped_like_the_api(browser, world: World):
    case = await world.open_case()
    await browser.login(world.other_house_ja.email)
    response = await browser.get(f"/cases/{case.id}")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.text  # his profile is Dutch
    assert case.reference not in response.text
    await browser.post("/logout", {})
    await browser.login(world.officer.email)
    for url in ("/cases", f"/cases/{case.id}", "/cases/new", "/measures/1/transition"):
        response = await browser.get(url)
        assert response.status_code == 403, url
        assert "Vous ne pouvez pas faire ceci" in response.text
    assert "Bienvenue" in (await browser.get("/")).text
