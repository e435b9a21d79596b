"""The police officer's referred cases with their compliance summary, and nobody else's."""

from __future__ import annotations

from perp_track.measures.rules import MeasureKind
from tests.pages.conftest import Browser
from tests.world import World


async def test_officer_sees_the_cases_they_referred_with_compliance(browser: Browser, world: World):
    mine = await world.open_case()
    await world.add_measure(mine.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    other = await world.open_case(referring_officer_id=None)
    await browser.login(world.officer.email)
    page = (await browser.get("/referred")).text
    assert mine.reference in page and other.reference not in page
    assert "Interdiction temporaire de résidence" in page
    assert "0 présentes" in page or "0 honorée" in page or "0" in page
    # Never the victim on the police's page of the case.
    assert "Julie" not in page
    await browser.post("/logout", {})
    await browser.login(world.ja.email)
    assert (await browser.get("/referred")).status_code == 403
