"""The red list, scheduling and cancelling a programme session, and one's channels, in a real
browser, with axe-core on each new page."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from playwright.async_api import expect

from tests.browser.conftest import (
    KARIM,
    LUC,
    check_accessibility,
    fits_the_screen,
    login,
    screenshot,
    signed_in_tab,
)


async def test_police_officer_reads_the_red_list_and_downloads_it(page: Any) -> None:
    await login(page, LUC)
    nav = page.get_by_role("navigation", name="Navigation principale")
    await nav.get_by_role("link", name="Liste rouge", exact=True).click()
    await expect(page.locator("h1")).to_have_text("Liste rouge")
    table = page.locator("main table")
    await expect(table).to_contain_text("Rue Saint-Gilles 112, 4000 Liège")
    # Addresses and dates only: no name of anyone on the red list.
    await expect(table).not_to_contain_text("Dubois")
    await check_accessibility(page, "red list")
    await screenshot(page, "red-list")
    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="Télécharger la liste rouge (CSV)", exact=True).click()
    download = await download_info.value
    assert download.suggested_filename == "red-list.csv"
    # The file's content, fetched again through the same session.
    body = await (await page.request.get("/red-list.csv")).text()
    assert body.startswith("address,ban,starts_on,ends_on,case_reference,risk_level")
    assert "Rue Saint-Gilles 112, 4000 Liège" in body


async def test_the_red_list_fits_a_phone(browser: Any, live_server: str) -> None:
    async with signed_in_tab(browser, live_server, LUC) as tab:
        await tab.goto("/red-list")
        await expect(tab.locator("h1")).to_have_text("Liste rouge")
        assert await fits_the_screen(tab)
        await check_accessibility(tab, "red list on a phone")
        await screenshot(tab, "red-list-phone")


async def test_programme_staff_schedule_and_cancel_a_session_on_a_phone(
    browser: Any, live_server: str
) -> None:
    async with signed_in_tab(browser, live_server, KARIM) as tab:
        await tab.goto("/sessions")
        await tab.get_by_role("link", name="Planifier une séance", exact=True).click()
        await expect(tab.locator("h1")).to_have_text("Planifier une séance")
        await check_accessibility(tab, "schedule a session")
        assert await fits_the_screen(tab)
        # Nobody chosen and no date: the form says so and keeps what was typed.
        await tab.get_by_label("Titre").fill("Groupe du jeudi soir")
        await tab.get_by_role("button", name="Planifier la séance", exact=True).click()
        await expect(tab.locator(".error-summary")).to_be_visible()
        await expect(tab.get_by_label("Titre")).to_have_value("Groupe du jeudi soir")
        await check_accessibility(tab, "schedule a session with errors")
        when = (datetime.now(ZoneInfo("Europe/Brussels")) + timedelta(days=4)).replace(
            hour=18, minute=30
        )
        await tab.get_by_label("Date et heure").fill(when.strftime("%Y-%m-%dT%H:%M"))
        await tab.get_by_label("Durée en minutes").fill("90")
        await tab.get_by_label("Lieu").fill("Praxis, salle 2")
        participants = tab.locator("#f-participants input[type=checkbox]")
        assert await participants.count() >= 2
        await participants.nth(0).check()
        await participants.nth(1).check()
        await screenshot(tab, "schedule-session-phone")
        await tab.get_by_role("button", name="Planifier la séance", exact=True).click()
        await expect(tab.locator(".flash")).to_have_text("Séance planifiée.")
        await expect(tab.locator("h1")).to_contain_text("Groupe du jeudi soir")

        # Cancelling asks for the reason on a page of its own, which is the confirmation.
        await tab.get_by_role("link", name="Annuler cette séance", exact=True).click()
        await expect(tab.locator("h1")).to_have_text("Annuler cette séance ?")
        await check_accessibility(tab, "cancel a session")
        assert await fits_the_screen(tab)
        await tab.get_by_role("button", name="Oui, annuler la séance", exact=True).click()
        await expect(tab.locator(".error-summary")).to_be_visible()
        await check_accessibility(tab, "cancel a session with errors")
        await tab.get_by_label("Motif de l'annulation").fill("L'animateur est malade")
        await screenshot(tab, "cancel-session-phone")
        await tab.get_by_role("button", name="Oui, annuler la séance", exact=True).click()
        await expect(tab.locator(".flash")).to_have_text("Séance annulée.")
        await expect(tab.locator("h1")).to_have_text("Séances")


async def test_a_user_chooses_their_channels(page: Any) -> None:
    await login(page, LUC)
    await page.goto("/inbox")
    await page.get_by_role(
        "link",
        name="Comment vous êtes informé(e) : dans l'application, par e-mail, une fois par jour",
        exact=True,
    ).click()
    await expect(page.locator("h1")).to_have_text("Comment vous êtes informé(e)")
    await check_accessibility(page, "channel preferences")
    await page.get_by_label("Un e-mail par jour").check()
    await page.get_by_role("button", name="Enregistrer mes canaux", exact=True).click()
    await expect(page.locator(".flash")).to_have_text("Vos canaux sont enregistrés.")
    await expect(page.get_by_label("Un e-mail par jour")).to_be_checked()
    await screenshot(page, "channel-preferences")
