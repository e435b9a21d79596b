"""A form's errors name each field by the label the page gives it, in the reader's language."""

from __future__ import annotations

from perp_track.cases.tables import Person
from perp_track.measures.tables import Measure
from tests.pages.test_case_pages import CASE_FORM
from tests.world import World


async def test_a_missing_measure_is_named_by_its_label_not_by_the_schema_field(
    browser, world: World
):
    case = await world.open_case()
    await browser.login(world.ja.email)  # her profile says French
    today = world.today().isoformat()
    response = await browser.post(
        f"/cases/{case.id}/measures/new",
        {"decided_by": "Parquet de Liège", "decided_on": today, "starts_on": today},
    )
    assert response.status_code == 422
    summary = response.text.split('class="error-summary"')[1].split("</div>")[0]
    assert "Mesure : Ce champ est obligatoire." in summary or (
        "Mesure: Ce champ est obligatoire." in summary
    ), summary
    assert "Type" not in summary and "Kind" not in summary
    assert await Measure.count() == 0
    await browser.post("/language", {"language": "en", "next": "/"})
    response = await browser.post(
        f"/cases/{case.id}/measures/new",
        {"decided_by": "Parquet de Liège", "decided_on": today, "starts_on": today},
    )
    summary = response.text.split('class="error-summary"')[1].split("</div>")[0]
    assert "Measure: This field is required." in summary
    assert "Kind:" not in summary


async def test_a_phone_number_is_taken_as_written_and_a_wrong_one_is_said_in_french(
    browser, world: World
):
    await browser.login(world.ja.email)
    form = {**CASE_FORM, "perpetrator.phone": "0470 12"}
    response = await browser.post("/cases/new", form)
    assert response.status_code == 422
    assert "Indiquez un numéro de GSM, par ex. 0470 12 34 56" in response.text
    assert await Person.count() == 0
    response = await browser.post("/cases/new", {**form, "perpetrator.phone": "0470 12 34 56"})
    assert response.status_code == 303, response.text
    assert [p["phone"] for p in await Person.select(Person.phone)] == ["+32470123456"]
