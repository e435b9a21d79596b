"""The supervisor's yearly statutory figures, as a person gets them: from the home page to the
statistics, a year picked, the figures read, the CSV downloaded; in French and in Dutch, on a
phone; another period with a mistake; and the page printed under the pages' own policy."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from playwright.async_api import expect

from tests.browser.conftest import (
    SOPHIE,
    check_accessibility,
    fits_the_screen,
    login,
    screenshot,
    signed_in_tab,
)

WORDS = {
    "fr": {
        "statistics": "Statistiques",
        "link": "Statistiques légales",
        "title": "Statistiques légales",
        "show": "Afficher les chiffres",
        "csv": "Télécharger les chiffres (CSV)",
        "header": "Maison de justice;Premier jour;Dernier jour;Tableau;",
        "first_day": "1 janvier",
        "caption": "Mesures clôturées sur la période, par type et par issue",
    },
    "nl": {
        "statistics": "Statistieken",
        "link": "Wettelijke statistieken",
        "title": "Wettelijke statistieken",
        "show": "De cijfers tonen",
        "csv": "De cijfers downloaden (CSV)",
        "header": "Justitiehuis;Eerste dag;Laatste dag;Tabel;",
        "first_day": "1 januari",
        "caption": "Maatregelen afgesloten in de periode, per soort en afloop",
    },
}
NAV = {"fr": "Navigation principale", "nl": "Hoofdnavigatie"}


async def _switch(tab: Any, button: str) -> None:
    toggle = tab.locator(".menu-toggle")
    if await toggle.is_visible():
        await toggle.click()
    await tab.get_by_role("button", name=button, exact=True).click()


async def test_a_supervisor_reads_a_year_and_downloads_it_in_two_languages_on_a_phone(
    browser: Any, live_server: str
) -> None:
    year = str(datetime.now(ZoneInfo("Europe/Brussels")).year)
    async with signed_in_tab(browser, live_server, SOPHIE) as tab:
        try:
            for lang in ("fr", "nl"):
                words = WORDS[lang]
                if lang == "nl":
                    await _switch(tab, "Nederlands")
                    await expect(tab.locator("html")).to_have_attribute("lang", "nl")
                await tab.goto("/")
                nav = tab.get_by_role("navigation", name=NAV[lang])
                await nav.get_by_role("link", name=words["statistics"], exact=True).click()
                await tab.get_by_role("link", name=words["link"]).click()
                await expect(tab.locator("h1")).to_have_text(words["title"])
                await tab.locator("#f-year").select_option(year)
                await tab.get_by_role("button", name=words["show"], exact=True).click()
                await expect(tab).to_have_url(f"{live_server}/statistics/statutory?year={year}")
                main = tab.locator("main")
                await expect(main).to_contain_text(f"{words['first_day']} {year}")
                await expect(main.locator("caption").nth(1)).to_have_text(words["caption"])
                await expect(main.locator("h2").first).to_have_text("Maison de justice de Liège")
                # The demo's house is small: its small numbers read "< 5", never 0.
                await expect(main.locator("td.suppressed").first).to_contain_text("< 5")
                await screenshot(tab, f"statutory-statistics-{lang}-phone")
                assert await fits_the_screen(tab), f"statutory statistics ({lang}) on a phone"
                await check_accessibility(tab, f"statutory statistics ({lang}) on a phone")
                async with tab.expect_download() as download_info:
                    await tab.get_by_role("link", name=words["csv"]).click()
                download = await download_info.value
                assert download.suggested_filename == (
                    f"perp-track-statutory-{year}-01-01-{year}-12-31.csv"
                )
                raw = await asyncio.to_thread(Path(await download.path()).read_bytes)
                assert raw.startswith(b"\xef\xbb\xbf")
                text = raw.decode("utf-8-sig")
                assert text.splitlines()[0].startswith(words["header"])
                assert "Maison de justice de Liège" in text and "< 5" in text
        finally:
            # Sophie's profile speaks French again for the other tests.
            await _switch(tab, "Français")
            await expect(tab.locator("html")).to_have_attribute("lang", "fr")


async def test_another_period_with_a_mistake_is_marked_then_shown(page: Any) -> None:
    await login(page, SOPHIE)
    await page.goto("/statistics/statutory")
    await page.get_by_text("Une autre période").click()
    await page.locator("#f-from").fill("2026-06-30")
    await page.locator("#f-to").fill("2026-06-01")
    await page.get_by_role("button", name="Afficher les chiffres de ces jours").click()
    summary = page.locator(".error-summary")
    await expect(summary).to_be_focused()
    await expect(summary).to_contain_text("Dernier jour")
    await expect(page.locator("#f-to-error")).to_contain_text("précède son premier jour")
    await check_accessibility(page, "statutory statistics, a wrong period")
    await summary.get_by_role("link").click()
    await expect(page.locator("#f-to")).to_be_focused()
    await page.locator("#f-to").fill("2026-07-31")
    await page.get_by_role("button", name="Afficher les chiffres de ces jours").click()
    await expect(page.locator(".error-summary")).to_have_count(0)
    await expect(page.locator("main")).to_contain_text("30 juin 2026")
    await expect(page.locator("main")).to_contain_text("31 juillet 2026")


async def _style(tab: Any, selector: str, prop: str) -> str:
    return str(
        await tab.evaluate(
            "([s, p]) => getComputedStyle(document.querySelector(s)).getPropertyValue(p)",
            [selector, prop],
        )
    )


async def test_the_page_prints_without_its_form_under_the_policy(
    browser: Any, live_server: str
) -> None:
    context = await browser.new_context(
        base_url=live_server, bypass_csp=False, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    blocked: list[str] = []
    try:
        tab = await context.new_page()
        tab.on(
            "console",
            lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None,
        )
        await login(tab, SOPHIE)
        await tab.goto("/statistics/statutory")
        await expect(tab.get_by_role("button", name="Imprimer")).to_be_visible()
        assert await _style(tab, ".period-forms", "display") != "none"
        await tab.emulate_media(media="print")
        assert await _style(tab, ".period-forms", "display") == "none"
        assert await _style(tab, ".site-header", "display") == "none"
        assert await _style(tab, "table.figures", "border-collapse") == "collapse"
        assert "DejaVu Sans" in await _style(tab, "body", "font-family")
        assert await _style(tab, "table.figures thead", "display") == "table-header-group"
        await screenshot(tab, "print-statutory-statistics")
        assert not blocked, blocked
    finally:
        await context.close()
