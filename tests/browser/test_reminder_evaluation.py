"""A supervisor runs a two-arm reminder evaluation from the home page, on a phone, in Dutch and
in French: the form with "add another arm" and its errors, the results page with its chart,
pause, resume and end, each confirmed; axe-core on every page."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from playwright.async_api import expect

from tests.browser.conftest import (
    SOPHIE,
    check_accessibility,
    fits_the_screen,
    screenshot,
    signed_in_tab,
)


async def _language(tab: Any, button: str, lang: str) -> None:
    # On a phone the language switch folds behind the header's menu button.
    toggle = tab.locator(".menu-toggle")
    if await toggle.is_visible() and await toggle.get_attribute("aria-expanded") != "true":
        await toggle.click()
    await tab.get_by_role("button", name=button, exact=True).click()
    await expect(tab.locator("html")).to_have_attribute("lang", lang)


async def _confirm(tab: Any, action: str, yes: str) -> None:
    await tab.locator(f'main a[href$="/{action}"]').click()
    await check_accessibility(tab, f"confirm {action}")
    assert await fits_the_screen(tab)
    await tab.get_by_role("button", name=yes, exact=True).click()
    await expect(tab.locator(".flash")).to_be_visible()


async def test_a_supervisor_runs_a_two_arm_evaluation(browser: Any, live_server: str) -> None:
    today = datetime.now(ZoneInfo("Europe/Brussels")).date()
    async with signed_in_tab(browser, live_server, SOPHIE) as tab:
        await _language(tab, "Nederlands", "nl")
        await tab.goto("/")
        # On a phone the evaluations are reached from the statistics page.
        await tab.locator('nav a[href="/statistics"]').click()
        await tab.locator('main a[href="/evaluations"]').click()
        await expect(tab.locator("h1")).to_have_text("Evaluaties van herinneringen")
        await check_accessibility(tab, "evaluations list (nl)")
        await tab.locator('main a[href="/evaluations/new"]').click()
        await expect(tab.locator("main fieldset.condition")).to_have_count(2)
        await tab.fill("#f-title", "Eenvoudige herinnering tegenover de gewone")
        await tab.fill("#f-starts_at", f"{today.isoformat()}T00:00")
        await tab.fill("#f-ends_at", f"{(today + timedelta(days=90)).isoformat()}T00:00")
        await tab.fill("#f-arms-0-name", "Gewoon")
        await tab.fill("#f-arms-1-name", "Eenvoudig")
        await tab.fill("#f-arms-1-share", "40")
        await tab.fill("#f-arms-1-reminder_days", "2")
        await tab.locator('input[name="arms.1.morning"]').uncheck()
        await tab.select_option("#f-arms-1-wording", "plain")
        # "Add another arm" shows a third block and saves nothing; left blank, it is no arm.
        await tab.get_by_role("button", name="Nog een arm toevoegen").click()
        await expect(tab.locator("main fieldset.condition")).to_have_count(3)
        await expect(tab.locator("#f-arms-1-name")).to_have_value("Eenvoudig")
        await tab.get_by_role("button", name="De evaluatie starten").click()
        # 50 + 40: the error summary says so and links to the arms.
        summary = tab.locator(".error-summary")
        await expect(summary).to_contain_text("90")
        await check_accessibility(tab, "evaluation form with an error (nl)")
        assert await fits_the_screen(tab)
        await screenshot(tab, "evaluation-form-error-nl-phone")
        await tab.fill("#f-arms-1-share", "50")
        await tab.get_by_role("button", name="De evaluatie starten").click()
        await expect(tab.locator(".flash")).to_contain_text("Evaluatie aangemaakt")
        await expect(tab.locator("h1")).to_contain_text("Eenvoudige herinnering")
        await expect(tab.locator("svg.chart")).to_have_count(1)
        await expect(tab.locator("main")).to_contain_text("Gewoon")
        await expect(tab.locator("main")).to_contain_text("2 dagen vooraf")
        await check_accessibility(tab, "evaluation results (nl)")
        assert await fits_the_screen(tab)
        await screenshot(tab, "evaluation-results-nl-phone")

        await _confirm(tab, "pause", "Ja, pauzeren")
        await expect(tab.locator("h1 .tag")).to_have_text("Gepauzeerd")
        await _confirm(tab, "resume", "Ja, hervatten")
        await expect(tab.locator("h1 .tag")).to_have_text("Loopt")

        await _language(tab, "Français", "fr")
        await expect(tab.locator("main")).to_contain_text("Taux d'absence sans motif valable")
        await check_accessibility(tab, "evaluation results (fr)")
        assert await fits_the_screen(tab)
        await screenshot(tab, "evaluation-results-fr-phone")
        async with tab.expect_download() as download_info:
            await tab.locator('main a[href$="/results.csv"]').click()
        download = await download_info.value
        assert download.suggested_filename.endswith(".csv")
        await _confirm(tab, "end", "Oui, y mettre fin")
        await expect(tab.locator("h1 .tag")).to_have_text("Terminée")
        await expect(tab.locator('main a[href$="/resume"]')).to_have_count(0)
        await tab.locator('main a[href="/evaluations"]').first.click()
        await expect(tab.locator("main table")).to_contain_text("Terminée")
        await check_accessibility(tab, "evaluations list (fr)")
