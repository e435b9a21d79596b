"""The police report number (PV) and the zone's own reference: recorded when the case is opened,
shown to the referring officer, and found by the justice assistant's search."""

from __future__ import annotations

from perp_track.cases.tables import Case
from tests.pages.conftest import Browser
from tests.world import World

PV = "LI.55.L3.004321/2026"
ZONE_REF = "ZP5277/2026/0412"


async def test_the_pv_number_goes_from_the_case_form_to_the_police_page_and_the_search(
    browser: Browser, world: World
):
    await browser.login(world.ja.email)
    await browser.get("/cases/new")
    form = {
        "mandating_authority": "prosecutor",
        "authority_reference": "LI.26.12.999/26",
        "police_report_number": PV,
        "police_reference": ZONE_REF,
        "referring_officer_id": str(world.officer.id),
        "risk_level": "high",
        "perpetrator.first_name": "Paul",
        "perpetrator.last_name": "Zeebrugge",
        "step": "create",
    }
    # A PV number longer than any police system's: refused on its field, no case opened.
    r = await browser.post("/cases/new", {**form, "police_report_number": "9" * 65})
    assert r.status_code == 422
    assert 'id="f-police_report_number-error"' in r.text
    assert await Case.count() == 0

    r = await browser.post("/cases/new", form)
    assert r.status_code == 303, r.text
    case = await Case.select().first()
    assert (case["police_report_number"], case["police_reference"]) == (PV, ZONE_REF)
    page = (await browser.get(f"/cases/{case['id']}")).text
    assert PV in page and ZONE_REF in page

    # The justice assistant finds the case by the number the police quote on the phone.
    await browser.get("/caseload")
    found = await browser.post("/caseload", {"search": "004321"})
    assert case["reference"] in found.text
    found = await browser.post("/caseload", {"search": "0412"})
    assert case["reference"] in found.text

    await browser.post("/logout", {})
    await browser.login(world.officer.email)
    referred = (await browser.get("/referred")).text
    assert PV in referred and ZONE_REF in referred


async def test_the_api_takes_and_gives_the_police_numbers(world: World):
    case = await world.open_case(police_report_number=PV, police_reference=ZONE_REF)
    assert (case.police_report_number, case.police_reference) == (PV, ZONE_REF)
