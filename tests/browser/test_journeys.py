"""Each role's journey in a real browser, in the three languages, with axe-core on each page."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from playwright.async_api import expect

from tests.browser.conftest import (
    ANNE,
    KARIM,
    LUC,
    NADIA,
    PIETER,
    check_accessibility,
    fits_the_screen,
    login,
    screenshot,
)

BRUSSELS = ZoneInfo("Europe/Brussels")


async def test_login_page_and_wrong_password(page: Any) -> None:
    await page.goto("/")
    await expect(page).to_have_url(re.compile(r"/login$"))
    await expect(page.locator("h1")).to_have_text("Log in to perp-track")  # Chromium asks for en
    await check_accessibility(page, "login")
    await screenshot(page, "login")
    await page.fill("#email", ANNE)
    await page.fill("#password", "not her password")
    await page.locator("main form button[type=submit]").click()
    await expect(page.locator(".error-summary")).to_contain_text("Wrong e-mail address")
    await expect(page.locator(".error-summary")).to_be_focused()
    await check_accessibility(page, "login with an error")


async def test_justice_assistant_schedules_a_summons_and_records_attendance(page: Any) -> None:
    await login(page, ANNE)
    await expect(page.locator("h1")).to_have_text("Tableau de bord")
    await expect(page.locator("html")).to_have_attribute("lang", "fr")
    await check_accessibility(page, "dashboard")
    await screenshot(page, "dashboard")

    # The case list, then the case of Marc Dubois.
    await (
        page.get_by_role("navigation", name="Navigation principale")
        .get_by_role("link", name="Trouver un dossier", exact=True)
        .click()
    )
    await expect(page.locator("h1")).to_have_text("Trouver un dossier")
    await check_accessibility(page, "case list")
    await screenshot(page, "case-list")
    row = page.locator("tr", has_text="Marc Dubois")
    await row.get_by_role("link").click()
    await expect(page.locator("h1")).to_contain_text("Dossier LIE-")
    await check_accessibility(page, "case page")
    await screenshot(page, "case")
    case_url = page.url

    # Schedule a summons: first without a date (the form says what is missing), then properly.
    await page.get_by_role("link", name="Programmer une convocation").click()
    await expect(page.locator("h1")).to_have_text("Programmer une convocation")
    await check_accessibility(page, "summons form")
    await page.get_by_role("button", name="Programmer la convocation").click()
    await expect(page.locator(".error-summary")).to_contain_text("Ce champ est obligatoire.")
    await expect(page.locator("#f-scheduled_at")).to_have_attribute("aria-invalid", "true")
    await check_accessibility(page, "summons form with errors")
    await screenshot(page, "summons-form-errors")
    when = (datetime.now(BRUSSELS) + timedelta(days=9)).replace(hour=14, minute=30)
    await page.fill("#f-scheduled_at", when.strftime("%Y-%m-%dT%H:%M"))
    await page.fill("#f-place", "Maison de justice de Liège, bureau 2")
    await page.fill("#f-purpose", "Entretien de suivi")
    await page.get_by_role("button", name="Programmer la convocation").click()
    await expect(page.locator(".flash")).to_have_text("Convocation programmée.")
    # The same case (reached from the list, its address also carries the way back to it).
    assert page.url.split("#")[0].split("?")[0] == case_url.split("?")[0]
    summons_table = page.locator("#summons table")
    await expect(summons_table).to_contain_text("bureau 2")
    await expect(summons_table).to_contain_text(when.strftime("%d/%m/%Y"))

    # Record attendance on a past summons that has none, from the dashboard.
    await page.get_by_role("link", name="Tableau de bord").click()
    awaiting = page.locator("section", has=page.locator("#awaiting-title"))
    before = await awaiting.locator("tbody tr").count()
    assert before >= 1
    await awaiting.get_by_role("link", name=re.compile("Enregistrer la présence")).first.click()
    await expect(page.locator("h1")).to_have_text("Enregistrer la présence")
    await check_accessibility(page, "attendance form")
    await screenshot(page, "attendance-form")
    await page.get_by_label("Présent", exact=True).check()
    await page.get_by_role("button", name="Enregistrer la présence").click()
    await expect(page.locator(".flash")).to_have_text("Présence enregistrée.")
    await expect(page.locator("#summons table")).to_contain_text("Présent")
    await expect(page.locator("#timeline")).to_contain_text("Présence enregistrée")
    await page.get_by_role("link", name="Tableau de bord").click()
    after = await awaiting.locator("tbody tr").count()
    assert after == before - 1


async def test_measure_status_change_asks_for_confirmation(page: Any) -> None:
    await login(page, ANNE)
    await page.goto("/cases")
    await page.locator("tr", has_text="Kevin Lemaire").get_by_role("link").click()
    # The measure's own button (each condition has its link too, in the conditions table).
    measure_actions = page.locator("#measures article > .actions")
    await measure_actions.get_by_role("link", name=re.compile("Changer le statut")).first.click()
    await check_accessibility(page, "measure transition form")
    await page.get_by_label("Suspendre").check()
    await page.fill("#f-reason", "Hospitalisation de trois semaines")
    await page.get_by_role("button", name="Continuer").click()
    await expect(page.get_by_role("heading", name="Veuillez confirmer")).to_be_visible()
    await expect(page.locator("main")).to_contain_text("« En cours » à « Suspendue »")
    await check_accessibility(page, "measure transition confirmation")
    await screenshot(page, "measure-confirm")
    await page.get_by_role("button", name=re.compile("Confirmer")).click()
    await expect(page.locator(".flash")).to_have_text("La mesure a été mise à jour.")
    await expect(page.locator("#measures")).to_contain_text("Suspendue")


async def test_cancelling_a_summons_is_confirmed_on_its_own_page(page: Any) -> None:
    await login(page, ANNE)
    await page.goto("/cases")
    await page.locator("tr", has_text="Youssef El Amrani").get_by_role("link").click()
    await page.locator("#summons").get_by_role("link", name=re.compile("^Annuler")).first.click()
    await expect(page.locator("h1")).to_have_text("Annuler cette convocation ?")
    await check_accessibility(page, "cancel summons")
    await page.get_by_role("link", name="Non, la garder").click()
    await expect(page.locator("#summons table")).not_to_contain_text("Annulée")


async def test_language_switch_translates_the_pages(page: Any) -> None:
    await login(page, PIETER)  # his profile says Dutch
    await expect(page.locator("h1")).to_have_text("Overzicht")
    await expect(page.locator("html")).to_have_attribute("lang", "nl")
    await page.goto("/cases")
    await expect(page.locator("h1")).to_have_text("Dossier zoeken")
    await screenshot(page, "case-list-nl")
    await page.get_by_role("button", name="English").click()
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page.locator("h1")).to_have_text("Find a case")
    await page.locator("tbody tr").first.get_by_role("link").click()
    await expect(page.locator("#summons-title")).to_have_text("Summons and attendance")
    await check_accessibility(page, "case page in English")
    await screenshot(page, "case-en")
    await page.get_by_role("button", name="Français").click()
    await expect(page.locator("#summons-title")).to_have_text("Convocations et présences")
    await page.get_by_role("button", name="Nederlands").click()
    await expect(page.locator("#summons-title")).to_have_text("Oproepingen en aanwezigheid")
    # The choice is his profile's: it holds in a new login too.
    await page.get_by_role("button", name="Afmelden").click()
    await expect(page.locator(".flash")).to_have_text("U bent afgemeld.")
    await login(page, PIETER)
    await expect(page.locator("h1")).to_have_text("Overzicht")


async def test_other_roles_have_a_home_page_and_no_case_pages(page: Any) -> None:
    for email, name in ((LUC, "police"), (NADIA, "sapv"), (KARIM, "programme")):
        await login(page, email)
        await expect(page.locator("h1")).to_contain_text("Bienvenue")
        await expect(page.locator("main")).to_contain_text("Votre compte")
        await expect(page.get_by_role("link", name="Trouver un dossier")).to_have_count(0)
        await check_accessibility(page, f"{name} home")
        await screenshot(page, f"home-{name}")
        response = await page.goto("/cases")
        assert response is not None
        assert response.status == 403
        await expect(page.locator("h1")).to_have_text("Vous ne pouvez pas faire ceci")
        await check_accessibility(page, "403 page")
        await page.goto("/profile")
        await expect(page.locator("h1")).to_have_text("Votre profil")
        await page.get_by_role("button", name="Se déconnecter").click()
        await expect(page).to_have_url(re.compile(r"/login\?bye=1$"))


async def test_error_pages_and_logout(page: Any) -> None:
    await login(page, ANNE)
    response = await page.goto("/cases/999999")
    assert response is not None
    assert response.status == 404
    await expect(page.locator("h1")).to_have_text("Page introuvable")
    await check_accessibility(page, "404 page")
    await screenshot(page, "not-found")
    await page.goto("/")
    await page.get_by_role("button", name="Se déconnecter").click()
    await page.goto("/cases")
    await expect(page).to_have_url(re.compile(r"/login\?next=/cases$"))


async def test_forms_refuse_a_post_without_the_csrf_token(page: Any) -> None:
    await login(page, ANNE)
    response = await page.request.post(
        "/cases/new",
        form={"mandating_authority": "prosecutor", "perpetrator.first_name": "X"},
        max_redirects=0,
    )
    assert response.status == 403
    assert "Vous ne pouvez pas faire ceci" in await response.text()


async def test_phone_sized_screen(browser: Any, live_server: str) -> None:
    context = await browser.new_context(
        base_url=live_server,
        bypass_csp=True,
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    tab = await context.new_page()
    try:
        await login(tab, ANNE)
        assert await fits_the_screen(tab)
        await screenshot(tab, "dashboard-phone")
        await tab.goto("/cases")
        await tab.locator("tbody tr").first.get_by_role("link").click()
        assert await fits_the_screen(tab)
        await check_accessibility(tab, "case page on a phone")
        await screenshot(tab, "case-phone")
    finally:
        await context.close()


async def test_every_form_page_passes_the_accessibility_check(page: Any) -> None:
    await login(page, ANNE)
    await page.goto("/cases")
    await page.locator("tr", has_text="Olivier Renson").get_by_role("link").click()
    case_url = page.url
    targets = {
        "open-case-form": "/cases/new",
        "measure-form": case_url + "/measures/new",
        "profile": "/profile",
    }
    for name, url in targets.items():
        response = await page.goto(url)
        assert response is not None
        assert response.status == 200, url
        await check_accessibility(page, name)
        await screenshot(page, name)
    await page.goto(case_url)
    await page.locator("#summons").get_by_role("link", name=re.compile("^Déplacer")).first.click()
    await expect(page.locator("h1")).to_have_text("Déplacer une convocation")
    await check_accessibility(page, "reschedule form")
    # The open-case form with every mistake shown at once, then keyboard-only use.
    await page.goto("/cases/new")
    await page.get_by_role("button", name="Continuer", exact=True).click()
    await expect(page.locator(".error-summary")).to_contain_text("Personne suivie: Nom")
    await check_accessibility(page, "open-case form with errors")
    await screenshot(page, "open-case-errors")
    await page.locator(".error-summary a").first.click()
    focused = await page.evaluate("document.activeElement.id")
    assert focused.startswith("f-")


async def test_keyboard_reaches_the_skip_link_first(page: Any) -> None:
    await login(page, ANNE)
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.className") == "skip-link"
    await page.keyboard.press("Enter")
    assert await page.evaluate("location.hash") == "#main"
