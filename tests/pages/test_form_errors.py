"""A form's errors name each field by the label the page gives it, in the reader's language."""

from __future__ import annotations

from perp_track.measures.tables import Measure
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
