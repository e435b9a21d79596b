"""The main journey of programme staff, police officers and SAPV contacts, in a real browser,
with axe-core on each page they pass through."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import expect

from tests.browser.conftest import (
    KARIM,
    LUC,
    NADIA,
    SOPHIE,
    check_accessibility,
    fits_the_screen,
    login,
    screenshot,
    signed_in_tab,
)


async def test_programme_staff_do_the_roll_call_on_a_phone(browser: Any, live_server: str) -> None:
    async with signed_in_tab(browser, live_server, KARIM) as tab:
        await tab.goto("/sessions")
        await expect(tab.locator("h1")).to_have_text("Séances")
        await check_accessibility(tab, "sessions")
        assert await fits_the_screen(tab)
        await screenshot(tab, "sessions-phone")
        # Last night's group is waiting for its roll-call.
        to_do = tab.locator("section", has=tab.locator("#to-record-title"))
        await to_do.get_by_role("link").first.click()
        await expect(tab.locator("h1")).to_contain_text("Appel")
        participants = tab.locator("fieldset.participant")
        count = await participants.count()
        assert count >= 2
        await check_accessibility(tab, "roll-call")
        assert await fits_the_screen(tab)
        # Nobody marked yet: saving says who is missing and keeps the page.
        await tab.get_by_role("button", name="Enregistrer l'appel").click()
        await expect(tab.locator(".error-summary")).to_be_visible()
        await check_accessibility(tab, "roll-call with errors")
        participants = tab.locator("fieldset.participant")
        for i in range(count):
            row = participants.nth(i)
            if i == 1:
                await row.get_by_label("Absent avec motif valable").check()
                await row.get_by_role("textbox").fill("Rendez-vous médical, attestation reçue")
            elif i == 2:
                await row.get_by_label("En retard", exact=True).check()
            else:
                await row.get_by_label("Présent", exact=True).check()
        await screenshot(tab, "roll-call-phone")
        await tab.get_by_role("button", name="Enregistrer l'appel").click()
        await expect(tab.locator(".flash")).to_have_text("Appel enregistré.")
        await expect(tab.locator("main table")).to_contain_text("Rendez-vous médical")

        # The participants and their progress; a drop-out asks for confirmation first.
        await tab.get_by_role("link", name="Participants").first.click()
        await expect(tab.locator("h1")).to_have_text("Participants")
        await check_accessibility(tab, "participants")
        await screenshot(tab, "participants-phone")
        await tab.get_by_role("link", name="Signaler un abandon ou une exclusion").first.click()
        await check_accessibility(tab, "interruption form")
        await tab.get_by_label("Abandon").check()
        await tab.get_by_label("Motif").fill("Ne vient plus depuis trois semaines")
        await tab.get_by_role("button", name="Signaler l'interruption").click()
        await expect(tab.locator(".error-summary")).to_contain_text("Cochez la case")
        await check_accessibility(tab, "interruption form with errors")


async def test_police_officer_acknowledges_feedback(page: Any) -> None:
    await login(page, LUC)
    nav = page.get_by_role("navigation", name="Navigation principale")
    inbox_link = nav.get_by_role("link", name="Messages")
    await expect(inbox_link.locator(".nav-count")).to_be_visible()
    unread_before = int((await inbox_link.locator(".nav-count").inner_text()).split()[0])
    await inbox_link.click()
    await expect(page.locator("h1")).to_have_text("Messages")
    await check_accessibility(page, "inbox")
    await screenshot(page, "police-inbox")
    first = page.locator("li.message", has=page.get_by_role("button", name="Accuser réception"))
    await expect(first.first).to_contain_text("Ce qui s'est passé")
    await first.first.get_by_role("button", name="Accuser réception de ce retour").click()
    await expect(page.locator(".flash")).to_contain_text("Réception confirmée")
    await expect(page.locator("main")).to_contain_text("Réception confirmée le")
    count = page.get_by_role("navigation", name="Navigation principale").locator(".nav-count")
    if unread_before == 1:
        await expect(count).to_have_count(0)
    else:
        await expect(count).to_contain_text(str(unread_before - 1))
    await check_accessibility(page, "inbox after acknowledging")


async def test_sapv_contact_records_consent(page: Any) -> None:
    await login(page, NADIA)
    await page.get_by_role("link", name="Victimes que j'accompagne").first.click()
    await expect(page.locator("h1")).to_have_text("Victimes que j'accompagne")
    await check_accessibility(page, "victims")
    await screenshot(page, "victims")
    row = page.locator("tr", has_text="Non enregistré").first
    await row.get_by_role("link").click()
    await expect(page.locator("#consent-title")).to_have_text("Consentement")
    await check_accessibility(page, "victim profile")
    # The profile first, so that the first message already follows it.
    await page.locator("#f-sms_allowed").get_by_label("Oui").check()
    await page.locator("#f-safe_from").fill("09:30")
    await page.locator("#f-safe_until").fill("18:00")
    await page.locator("#f-detail_level").get_by_label("Neutre", exact=False).check()
    await page.locator("#f-show_sender").get_by_label("Non").check()
    await page.get_by_role("button", name="Enregistrer le profil").click()
    await expect(page.locator(".flash")).to_have_text("Profil de contact sûr enregistré.")
    # Consent asks for a confirmation.
    await page.get_by_role("button", name="Enregistrer son consentement").click()
    await expect(page.locator(".error-summary")).to_contain_text("Cochez la case")
    await check_accessibility(page, "consent without confirmation")
    await page.get_by_label("Je confirme qu'elle a accepté").check()
    await page.get_by_role("button", name="Enregistrer son consentement").click()
    await expect(page.locator(".flash")).to_contain_text("Son consentement aux SMS est enregistré.")
    await expect(page.get_by_role("button", name="Révoquer son consentement")).to_be_visible()
    # Her number is confirmed by her own reply: the code to give her, and the wait for it.
    await expect(page.locator("#number-status")).to_have_text("En attente de confirmation")
    await expect(page.locator("#number-code .big-code")).to_have_text(re.compile(r"^\d{6}$"))
    await screenshot(page, "victim-consent")


async def test_supervisor_opens_the_statistics(page: Any) -> None:
    await login(page, SOPHIE)
    nav = page.get_by_role("navigation", name="Navigation principale")
    await nav.get_by_role("link", name="Statistiques").click()
    await expect(page.locator("h1")).to_have_text("Statistiques")
    await expect(page.locator("svg.chart")).to_have_count(3)
    await check_accessibility(page, "statistics")
    await screenshot(page, "statistics")
    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="Télécharger les chiffres (CSV)").click()
    download = await download_info.value
    assert download.suggested_filename.endswith(".csv")
    await nav.get_by_role("link", name="Équipe", exact=True).click()
    await expect(page.locator("main table")).to_contain_text("Anne Lambert")
    await check_accessibility(page, "team")
    await nav.get_by_role("link", name="Tâches").click()
    await expect(page.locator("h1")).to_have_text("Tâches planifiées")
    await check_accessibility(page, "jobs")
    await screenshot(page, "jobs")
