"""The caseload page: filters and sort in the address, the search only in a POST body."""

from __future__ import annotations

from datetime import timedelta

from perp_track.cases.rules import RiskLevel
from perp_track.measures.rules import MeasureKind
from tests.pages.conftest import Browser
from tests.world import World


async def test_filter_sort_and_search_without_a_name_in_the_address(browser: Browser, world: World):
    high = await world.open_case()
    low = await world.open_case(
        risk_level=RiskLevel.LOW,
        perpetrator=world.case_data().perpetrator.model_copy(update={"last_name": "Lejeune"}),
    )
    await world.add_measure(
        high.id, MeasureKind.TEMPORARY_RESIDENCE_BAN, ends_on=world.today() + timedelta(days=3)
    )
    await browser.login(world.ja.email)
    page = (await browser.get("/caseload")).text
    # Highest risk first by default.
    assert page.index(high.reference) < page.index(low.reference)
    page = (await browser.get("/caseload?sort=reference&risk=low")).text
    assert low.reference in page and high.reference not in page
    page = (await browser.get("/caseload?needing=true")).text
    assert high.reference in page and low.reference not in page

    r = await browser.post("/caseload", {"search": "Lejeune", "sort": "risk"})
    assert r.status_code == 200
    assert low.reference in r.text and high.reference not in r.text
    assert "Lejeune" not in str(r.url)
    # No link on the page carries the name either.
    assert "Lejeune&" not in r.text and "search=Lejeune" not in r.text
    r = await browser.post("/caseload", {"search": "L", "sort": "risk"})
    assert r.status_code == 422 and 'id="f-search-error"' in r.text
    # Another justice assistant does not find her case.
    await browser.post("/logout", {})
    await browser.login(world.ja2.email)
    r = await browser.post("/caseload", {"search": "Lejeune"})
    assert low.reference not in r.text
    await browser.post("/logout", {})
    await browser.login(world.officer.email)
    assert (await browser.get("/caseload")).status_code == 403
