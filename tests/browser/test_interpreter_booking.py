"""A supervisor adds an interpreter to the house's register (French); a justice assistant
schedules a summons with that interpreter booked (Dutch); the letter shows the interpreter.
At phone width, with axe-core on every page."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from playwright.async_api import expect

from tests.browser.conftest import (
    PIETER,
    SOPHIE,
    check_accessibility,
    fits_the_screen,
    screenshot,
    signed_in_tab,
)

NAME = "Joris Peeters-Demo"


async def test_an_interpreter_is_added_then_booked_with_a_summons(
    browser: Any, live_server: str
) -> None:
    async with signed_in_tab(browser, live_server, SOPHIE) as tab:
        nav = tab.get_by_role("navigation", name="Navigation principale")
        await nav.get_by_role("link", name="Interprètes", exact=True).click()
        await expect(tab.locator("h1")).to_have_text("Interprètes")
        await expect(tab.locator("main table")).to_contain_text("Leïla Benaissa")
        await check_accessibility(tab, "interpreter register")
        assert await fits_the_screen(tab)
        await tab.get_by_role("link", name="Ajouter un interprète", exact=True).click()
        await expect(tab.locator("h1")).to_have_text("Ajouter un interprète")
        # Nothing filled in: each missing field is named, and nothing is added.
        await tab.get_by_role("button", name="Ajouter au registre", exact=True).click()
        summary = tab.locator(".error-summary")
        await expect(summary).to_contain_text("Nom complet")
        await expect(summary).to_contain_text("Langue interprétée")
        await check_accessibility(tab, "add an interpreter with errors")
        await tab.get_by_label("Nom complet").fill(NAME)
        await tab.get_by_label("Langue interprétée").fill("Dutch")
        await tab.get_by_label("Interprète juré").check()
        await tab.get_by_label("Adresse e-mail").fill("joris.peeters@example.org")
        await tab.get_by_label("Langue des e-mails").select_option("nl")
        assert await fits_the_screen(tab)
        await screenshot(tab, "interpreter-add-phone")
        await tab.get_by_role("button", name="Ajouter au registre", exact=True).click()
        await expect(tab.locator(".flash")).to_have_text("Interprète ajouté au registre.")
        row = tab.locator("tr", has_text=NAME)
        await expect(row).to_contain_text("dutch")
        await expect(row).to_contain_text("Juré")
        await check_accessibility(tab, "interpreter register after adding")
        await screenshot(tab, "interpreter-register-phone")

    async with signed_in_tab(browser, live_server, PIETER) as tab:
        nav = tab.get_by_role("navigation", name=re.compile("Hoofdnavigatie|Navigation"))
        await nav.get_by_role("link", name="Dossier zoeken", exact=True).click()
        await tab.locator("tr", has_text="Thomas Wouters").get_by_role("link").first.click()
        await tab.get_by_role("link", name="Oproeping plannen", exact=True).click()
        await expect(tab.locator("h1")).to_have_text("Oproeping plannen")
        # The choice of interpreters appears once "needs an interpreter" is ticked.
        choice = tab.get_by_label("Tolk", exact=True)
        await expect(choice).to_be_hidden()
        await tab.get_by_label("Heeft een tolk nodig").check()
        await expect(choice).to_be_visible()
        await check_accessibility(tab, "schedule a summons with an interpreter")
        when = (datetime.now(ZoneInfo("Europe/Brussels")) + timedelta(days=12)).replace(
            hour=10, minute=30
        )
        await tab.get_by_label("Datum en uur").fill(when.strftime("%Y-%m-%dT%H:%M"))
        # Ticked, nobody chosen: the form names the field and keeps what was typed.
        await tab.get_by_role("button", name="De oproeping plannen", exact=True).click()
        await expect(tab.locator(".error-summary")).to_contain_text("Tolk")
        await expect(tab.get_by_label("Heeft een tolk nodig")).to_be_checked()
        await check_accessibility(tab, "schedule a summons, no interpreter chosen")
        await tab.get_by_label("Tolk", exact=True).select_option(label=f"{NAME} (beëdigd)")
        assert await fits_the_screen(tab)
        await screenshot(tab, "summons-interpreter-phone")
        await tab.get_by_role("button", name="De oproeping plannen", exact=True).click()
        await expect(tab.locator(".flash").first).to_have_text("Oproeping gepland.")
        row = tab.locator("#summons tr", has_text=NAME)
        await expect(row).to_contain_text("Tolk (dutch)")
        await check_accessibility(tab, "case page with the booked interpreter")
        await screenshot(tab, "case-interpreter-phone")
        await row.get_by_role("link", name=re.compile("^Brief")).click()
        await expect(tab.locator("p.interpreter")).to_contain_text(f"Tolk gereserveerd: {NAME}")
        assert await fits_the_screen(tab)
        await check_accessibility(tab, "letter with the interpreter")
        await screenshot(tab, "letter-interpreter-phone")
        await tab.goto(tab.url + ("&" if "?" in tab.url else "?") + "lang=fr")
        await expect(tab.locator("p.interpreter")).to_contain_text(
            f"Interprète réservé: {NAME} (interprète juré)"
        )
