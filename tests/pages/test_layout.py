"""Layout, languages, partial updates and the error pages."""

from __future__ import annotations

import pytest

from perp_track.auth.tables import User
from perp_track.ui import services as ui_services
from tests.world import World


async def test_the_browser_language_until_a_choice_is_made(browser):
    page = await browser.get("/login", headers={"Accept-Language": "nl-BE,nl;q=0.9"})
    assert '<html lang="nl">' in page.text
    assert "Aanmelden bij perp-track" in page.text
    response = await browser.post("/language", {"language": "en", "next": "/login"})
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    page = await browser.get("/login", headers={"Accept-Language": "nl-BE,nl;q=0.9"})
    assert "Log in to perp-track" in page.text


async def test_a_logged_in_choice_goes_into_the_profile(browser, world: World):
    await browser.login(world.ja.email)
    assert "Tableau de bord" in (await browser.get("/")).text
    await browser.post("/language", {"language": "nl", "next": "/profile"})
    row = await User.select(User.language).where(User.id == world.ja.id).first()
    assert row == {"language": "nl"}
    page = await browser.get("/profile")
    assert "Uw profiel" in page.text
    # An unknown language falls back to French rather than failing.
    await browser.post("/language", {"language": "xx", "next": "https://evil.example/"})
    row = await User.select(User.language).where(User.id == world.ja.id).first()
    assert row == {"language": "fr"}


async def test_the_navigation_follows_the_role(browser, world: World):
    await browser.login(world.ja.email)
    page = (await browser.get("/")).text
    assert 'href="/cases/new"' in page
    await browser.post("/logout", {})
    await browser.login(world.sapv.email)
    page = (await browser.get("/")).text
    assert 'href="/cases' not in page
    assert "SAPV Liège" in page  # her organisation
    assert world.sapv.email in page


async def test_the_supervisor_sees_the_whole_house(browser, world: World):
    case = await world.open_case()
    await browser.login(world.supervisor.email)
    page = (await browser.get("/")).text
    assert "Tous les dossiers de la maison de justice" in page
    assert case.reference in page
    form = (await browser.get("/cases/new")).text
    assert '<option value="">non attribué</option>' in form  # a supervisor assigns, or not
    assert world.ja.full_name in form


async def test_the_case_list_answers_htmx_with_the_fragment_only(browser, world: World):
    case = await world.open_case()
    await browser.login(world.ja.email)
    response = await browser.get(
        "/cases?mine=true&page=1", headers={"HX-Request": "true", "HX-Target": "case-list"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="case-list"')
    assert "<html" not in response.text
    assert case.reference in response.text
    assert (await browser.get("/cases?page=0")).status_code == 400


async def test_an_unexpected_error_shows_an_explaining_page(browser, world, monkeypatch):
    async def broken(**_: object) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(ui_services, "dashboard", broken)
    await browser.login(world.ja.email)
    response = await browser.get("/")
    assert response.status_code == 500
    assert "text/html" in response.headers["content-type"]
    assert "Un problème est survenu de notre côté" in response.text
    assert "Rien n'a été enregistré" in response.text
    assert "database on fire" not in response.text


@pytest.mark.parametrize("path", ["/nothing-here", "/cases/abc"])
async def test_unknown_pages_get_the_html_404(browser, path):
    response = await browser.get(path, headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "Page not found" in response.text
