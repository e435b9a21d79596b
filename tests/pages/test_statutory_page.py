"""The statutory statistics page: a year or any period, small numbers shown as "< 5", a CSV
through the session, the print stylesheet linked, a wrong period marked in the form (400), and
no name, phone or reference on the page."""

from __future__ import annotations

import re

from perp_track.audit.tables import AuditEntry
from tests.integration.statutory_data import YEAR, build
from tests.pages.conftest import Browser
from tests.world import World

PAGE = "/statistics/statutory"


async def test_a_supervisor_reads_a_year_and_downloads_it(browser: Browser, world: World):
    synthetic = await build(
        houses=[world.orgs["jh"], world.orgs["jh2"]], created_by=world.ja.id, count=120
    )
    await browser.login(world.supervisor.email)
    home = await browser.get("/statistics")
    assert f'href="{PAGE}"' in home.text
    page = await browser.get(PAGE, params={"year": str(YEAR)})
    assert page.status_code == 200
    text = page.text
    assert "Statistiques légales" in text
    assert '<link rel="stylesheet" href="/static/print/statistics.css" media="print">' in text
    assert "1 janvier 2025" in text and "31 décembre 2025" in text  # dates as a Belgian reads them
    assert "MJ Liège" in text and "JH Antwerpen" not in text  # their own house only
    assert "&lt; 5" in text  # small numbers, never 0
    assert "moins de 5 personnes : non publié" in text  # said to a screen reader too
    assert f'href="{PAGE}.csv?year={YEAR}&amp;lang=fr"' in text
    leaked = [s for s in synthetic.secrets if s in text]
    assert not leaked, leaked[:5]

    download = await browser.get(f"{PAGE}.csv", params={"year": str(YEAR), "lang": "nl"})
    assert download.status_code == 200
    assert download.content.startswith(b"\xef\xbb\xbf")
    body = download.content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("Justitiehuis;Eerste dag;Laatste dag;")
    assert not [s for s in synthetic.secrets if s in body]

    # Any period: the figures of those days; the page and the download are both audited.
    custom = await browser.get(PAGE, params={"from": f"{YEAR}-04-01", "to": f"{YEAR}-06-30"})
    assert custom.status_code == 200
    assert "1 avril 2025" in custom.text and "30 juin 2025" in custom.text
    assert f"from={YEAR}-04-01&amp;to={YEAR}-06-30" in custom.text
    entries = await AuditEntry.select(AuditEntry.detail).where(
        (AuditEntry.record_type == "statutory_statistics")
        & (AuditEntry.actor_id == world.supervisor.id)
    )
    details = [e["detail"] for e in entries]
    assert sum("as page" in d for d in details) == 2 and sum("as csv" in d for d in details) == 1


async def test_a_wrong_period_is_marked_in_the_form(browser: Browser, world: World):
    await browser.login(world.supervisor.email)
    page = await browser.get(PAGE, params={"from": "2025-06-01", "to": "2025-05-01"})
    assert page.status_code == 400
    text = page.text
    assert 'class="error-summary"' in text
    assert re.search(r'<a href="#f-to">Dernier jour\s*: Le dernier jour de la période', text)
    assert 'id="f-to-error"' in text and '<details class="other-period" open>' in text
    page = await browser.get(PAGE, params={"year": "1850"})
    assert page.status_code == 400
    assert '<a href="#f-year">Année' in page.text
    download = await browser.get(f"{PAGE}.csv", params={"from": "2025-06-01"})
    assert download.status_code == 400 and "text/html" in download.headers["content-type"]


async def test_an_administrator_picks_a_house_or_the_country(browser: Browser, world: World):
    from perp_track.auth.rules import Role
    from perp_track.auth.services import create_user
    from tests.world import PASSWORD

    await create_user(
        email="admin.page@test.example",
        full_name="Admin Page",
        role=Role.ADMIN,
        organisation_id=world.orgs["jh"],
        password=PASSWORD,
        language="nl",
        clock=world.clock,
    )
    await browser.login("admin.page@test.example")
    page = await browser.get(PAGE)
    assert page.status_code == 200
    text = page.text
    assert "Wettelijke statistieken" in text
    assert "Alle justitiehuizen" in text and "MJ Liège" in text and "JH Antwerpen" in text
    one = await browser.get(PAGE, params={"house": str(world.orgs["jh2"])})
    assert one.status_code == 200
    assert one.text.count('class="statutory-section"') == 1
    for wrong in ("abc", str(world.orgs["praxis"])):
        page = await browser.get(PAGE, params={"house": wrong})
        assert page.status_code == 400
        assert '<a href="#f-house">Justitiehuis' in page.text


async def test_who_may_open_it(browser: Browser, world: World):
    await browser.login(world.ja.email)
    for url in (PAGE, f"{PAGE}.csv"):
        assert (await browser.get(url)).status_code == 403
    await browser.post("/logout", {})
    await browser.login(world.supervisor.email)
    r = await browser.get(PAGE, params={"house": str(world.orgs["jh2"])})
    assert r.status_code == 403
