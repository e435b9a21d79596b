"""The police officer's pages: referred cases with their compliance summary, the red list."""

from __future__ import annotations

import csv
import io

from perp_track.audit.tables import AuditEntry
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


async def test_officer_reads_the_red_list_of_their_zone_and_downloads_it(
    browser: Browser, world: World
):
    mine = await world.open_case(
        victim=world.case_data().victim.model_copy(update={"address": "Rue Haute 5, 4000 Liège"})
    )
    await world.add_measure(mine.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    # A ban on a case no officer of the zone referred is not on the zone's list.
    theirs = await world.open_case(
        referring_officer_id=None,
        victim=world.case_data().victim.model_copy(update={"address": "Rue Basse 9, 4000 Liège"}),
    )
    await world.add_measure(theirs.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)
    reads_before = await AuditEntry.count().where(AuditEntry.record_type == "red_list")

    await browser.login(world.officer.email)
    home = (await browser.get("/")).text
    assert 'href="/red-list"' in home  # in the navigation
    response = await browser.get("/red-list")
    assert response.status_code == 200
    page = response.text
    assert "<h1>Liste rouge</h1>" in page
    assert "Rue Haute 5, 4000 Liège" in page and "Rue Basse 9" not in page
    assert "Interdiction de résidence (le domicile)" in page
    assert mine.reference in page and "ZP Liège" in page
    # Never a name on the red list: the address, the ban and its dates.
    assert "Julie" not in page and "Marc" not in page
    assert 'href="/red-list.csv"' in page

    download = await browser.get("/red-list.csv")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert 'filename="red-list.csv"' in download.headers["content-disposition"]
    assert download.headers["cache-control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert [(r["address"], r["ban"], r["case_reference"]) for r in rows] == [
        ("Rue Haute 5, 4000 Liège", "residence_ban", mine.reference)
    ]
    # Each reading, page or file, is on the audit trail like the API's.
    reads = (
        await AuditEntry.select()
        .where(AuditEntry.record_type == "red_list")
        .order_by(AuditEntry.id)
    )
    assert len(reads) == reads_before + 2
    assert all(r["actor_id"] == world.officer.id for r in reads[-2:])
    assert all(r["action"] == "read" and "address" in r["fields"] for r in reads[-2:])

    await browser.post("/logout", {})
    await browser.login(world.ja.email)
    assert (await browser.get("/red-list")).status_code == 403
    assert (await browser.get("/red-list.csv")).status_code == 403
