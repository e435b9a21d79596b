"""GOV.UK patterns of issue 15, walked from the home page: check your answers before a case or
a measure is created, the way back to the list a form was reached from (never off the site),
sortable caseload columns without scripts, a weekly series of programme sessions, finding a
colleague's case by its reference, a menu whose entries say what they are, the SAPV contact's
copies in words, and hints in the readers' words."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from playwright.async_api import expect

from tests.browser.conftest import (
    ANNE,
    KARIM,
    NADIA,
    PIETER,
    SOPHIE,
    check_accessibility,
    fits_the_screen,
    login,
    screenshot,
    signed_in_tab,
)

DESKTOP = {"width": 1280, "height": 900}
BRUSSELS = ZoneInfo("Europe/Brussels")


def _today() -> date:
    return datetime.now(BRUSSELS).date()


def _nav(tab: Any, name: str = "Navigation principale") -> Any:
    return tab.get_by_role("navigation", name=name)


async def test_check_your_answers_before_a_case_is_opened(page: Any) -> None:
    await login(page, ANNE)
    await _nav(page).get_by_role("link", name="Ouvrir un dossier", exact=True).click()
    await page.get_by_label("Autorité mandante").select_option("prosecutor")
    await page.locator("#f-perpetrator-first_name").fill("Yves")
    await page.locator("#f-perpetrator-last_name").fill("Vérifié")
    await page.locator("#f-perpetrator-phone").fill("0470 99 88 77")
    await page.get_by_role("button", name="Continuer", exact=True).click()
    # Nothing is saved yet: the summary of what was typed, each with its Change button.
    await expect(page.locator("h1")).to_have_text("Vérifiez le dossier avant de l'ouvrir")
    summary = page.locator("main dl.summary-list").nth(1)
    await expect(summary).to_contain_text("Yves")
    await expect(summary).to_contain_text("+32470998877")
    await check_accessibility(page, "check the case")
    await screenshot(page, "case-check-answers")
    await page.get_by_role("button", name="Modifier Prénom").first.click()
    # Back at the question, with what was typed kept and the field in focus.
    await expect(page.locator("h1")).to_have_text("Ouvrir un dossier")
    first_name = page.locator("#f-perpetrator-first_name")
    await expect(first_name).to_have_value("Yves")
    await expect(first_name).to_be_focused()
    await expect(page.locator("#f-perpetrator-last_name")).to_have_value("Vérifié")
    await first_name.fill("Yvan")
    await page.get_by_role("button", name="Continuer", exact=True).click()
    await expect(page.locator("main dl.summary-list").nth(1)).to_contain_text("Yvan")
    await page.get_by_role("button", name="Ouvrir le dossier", exact=True).click()
    # The confirmation where the user lands: the new case.
    await expect(page.locator("h1")).to_contain_text("Dossier LIE-")
    await expect(page.locator(".flash.success")).to_contain_text("ouvert")
    await expect(page.locator("main")).to_contain_text("Yvan Vérifié")


async def test_check_your_answers_before_a_measure_in_dutch_on_a_phone(
    browser: Any, live_server: str
) -> None:
    async with signed_in_tab(browser, live_server, PIETER) as tab:
        await _nav(tab, "Hoofdnavigatie").get_by_role("link", name="Dossier zoeken").click()
        await tab.locator("tbody tr").first.get_by_role("link").click()
        await tab.get_by_role("link", name="Maatregel toevoegen").click()
        await tab.get_by_label("Maatregel", exact=True).select_option("mediation_216ter")
        await tab.get_by_label("Beslist door").fill("Parket Luik")
        today = _today().isoformat()
        await tab.get_by_label("Datum van de beslissing").fill(today)
        await tab.get_by_label("Begint op").fill(today)
        await tab.locator("#f-conditions-0-kind").select_option("community_service")
        await tab.locator("#f-conditions-0-hours_due").fill("30")
        await tab.get_by_role("button", name="Verder", exact=True).click()
        await expect(tab.locator("h1")).to_have_text("Controleer de maatregel voor u ze toevoegt")
        await expect(tab.locator("main")).to_contain_text("Parket Luik")
        await expect(tab.locator("main")).to_contain_text("30")
        assert await fits_the_screen(tab)
        await check_accessibility(tab, "check the measure, Dutch, phone")
        await screenshot(tab, "measure-check-answers-nl-phone")
        await tab.get_by_role("button", name="Wijzigen Te presteren uren").click()
        hours = tab.locator("#f-conditions-0-hours_due")
        await expect(hours).to_have_value("30")
        await expect(hours).to_be_focused()
        await hours.fill("40")
        await tab.get_by_role("button", name="Verder", exact=True).click()
        await expect(tab.locator("main")).to_contain_text("40")
        await tab.get_by_role("button", name="De maatregel toevoegen", exact=True).click()
        await expect(tab.locator(".flash.success")).to_contain_text("Maatregel toegevoegd.")
        await expect(tab.locator("h1")).to_contain_text("Dossier")


async def test_sortable_caseload_columns_work_without_scripts(
    browser: Any, live_server: str
) -> None:
    context = await browser.new_context(
        base_url=live_server, bypass_csp=True, viewport=DESKTOP, java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    try:
        tab = await context.new_page()
        await login(tab, SOPHIE)  # the team's caseload: enough rows to sort
        await _nav(tab).get_by_role("link", name="Portefeuille de l'équipe").click()
        await expect(tab.locator("h1")).to_have_text("Portefeuille de l'équipe")
        reference = tab.locator("main table th", has_text="Référence")
        await expect(reference).to_have_attribute("aria-sort", "none")
        await expect(tab.locator("main table th", has_text="Risque")).to_have_attribute(
            "aria-sort", "descending"
        )
        await reference.get_by_role("link").click()
        await expect(reference).to_have_attribute("aria-sort", "ascending")
        refs = await tab.locator("main tbody tr td:first-child").all_inner_texts()
        assert refs == sorted(refs) and len(refs) >= 2, refs
        await reference.get_by_role("link").click()
        await expect(reference).to_have_attribute("aria-sort", "descending")
        assert "order=desc" in tab.url and "sort=reference" in tab.url
        down = await tab.locator("main tbody tr td:first-child").all_inner_texts()
        assert down == sorted(refs, reverse=True), down
        await screenshot(tab, "caseload-sorted")  # axe needs scripts: see the next test
    finally:
        await context.close()


async def test_back_to_the_caseload_as_it_was_after_a_form(page: Any) -> None:
    await login(page, ANNE)
    await _nav(page).get_by_role("link", name="Mon portefeuille", exact=True).click()
    await expect(page.locator("h1")).to_have_text("Mon portefeuille")
    await page.locator("main table th", has_text="Référence").get_by_role("link").click()
    await page.locator("main table th", has_text="Référence").get_by_role("link").click()
    sorted_list = page.url
    assert "order=desc" in sorted_list
    await check_accessibility(page, "caseload sorted by reference, descending")
    await page.locator("main tbody tr").first.get_by_role("link").first.click()
    await expect(page.locator("main .back-link")).to_have_text("Retour au portefeuille")
    await page.get_by_role("link", name="Programmer une convocation").click()
    # After every summons of the case (its row on top), on a working day (no weekend warning).
    day = _today() + timedelta(days=60)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    at = day.isoformat() + "T10:00"
    await page.get_by_label("Date et heure").fill(at)
    await page.locator("main form button[type=submit]").first.click()
    confirmation = page.locator(".flash.success")
    await expect(confirmation).to_contain_text("Convocation programmée.")
    await screenshot(page, "confirmation-with-the-way-back")
    await check_accessibility(page, "confirmation with the way back")
    back = page.locator("main .back-to-list").get_by_role("link", name="Retour au portefeuille")
    await back.click()
    # The list as it was: the same sort, the same order.
    assert page.url == sorted_list, (page.url, sorted_list)
    await expect(page.locator("main table th", has_text="Référence")).to_have_attribute(
        "aria-sort", "descending"
    )


async def test_the_way_back_never_leads_off_the_site(page: Any) -> None:
    await login(page, ANNE)
    await page.goto("/cases")
    case_href = await page.locator("main tbody tr a").first.get_attribute("href")
    case_path = case_href.split("?")[0]
    for hostile in (
        "//evil.example/caseload",
        "https://evil.example/caseload",
        "/\\evil.example",
        "javascript:alert(1)",
        "/caseload@evil.example",
    ):
        await page.goto(case_path + "?return=" + hostile.replace("/", "%2F"))
        await expect(page.locator("h1")).to_contain_text("Dossier")
        hrefs = await page.locator("main a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        assert not [h for h in hrefs if "evil" in h or h.startswith(("javascript", "//"))], hrefs
        await expect(page.locator("main .back-link")).to_have_count(0)
        returns = await page.locator("main input[name=return]").count()
        assert returns == 0


async def test_find_a_colleagues_case_by_its_reference(browser: Any, live_server: str) -> None:
    # A case Pieter follows, found by Anne, in the same justice house.
    async with signed_in_tab(browser, live_server, PIETER, viewport=DESKTOP) as his:
        await his.goto("/caseload")
        reference = (await his.locator("main tbody tr td:first-child").first.inner_text()).strip()
    async with signed_in_tab(browser, live_server, ANNE) as tab:
        await _nav(tab).get_by_role("link", name="Trouver un dossier").click()
        await expect(tab.locator("h1")).to_have_text("Trouver un dossier")
        await check_accessibility(tab, "find a case, phone")
        await screenshot(tab, "find-a-case-phone")
        await tab.get_by_label("Référence du dossier").fill(reference.lower())
        await tab.get_by_role("button", name="Rechercher", exact=True).click()
        await expect(tab.locator("h1")).to_have_text(f"Dossier {reference}")
        # Not in the address: the reference was posted.
        assert reference.lower() not in tab.url.lower()
        await expect(tab.locator("main")).to_contain_text("Pieter Janssens")
        await expect(tab.locator("main .back-link")).to_have_text("Retour à la liste des dossiers")
        # Its number alone finds it too; a reference of no case of the house finds nothing.
        await tab.goto("/cases")
        await tab.get_by_label("Référence du dossier").fill("XYZ-2026-99999")
        await tab.get_by_role("button", name="Rechercher", exact=True).click()
        await expect(tab.locator("main [role=status]")).to_contain_text("Aucun dossier")
        await tab.get_by_label("Référence du dossier").fill("<script>")
        await tab.get_by_role("button", name="Rechercher", exact=True).click()
        await expect(tab.locator(".error-summary")).to_contain_text("Référence du dossier")
        await check_accessibility(tab, "find a case, error")


async def test_the_menu_names_each_list_for_what_it_is(browser: Any, live_server: str) -> None:
    for viewport in (DESKTOP, {"width": 390, "height": 844}):
        async with signed_in_tab(browser, live_server, ANNE, viewport=viewport) as tab:
            nav = _nav(tab)
            await expect(nav.get_by_role("link", name="Mon portefeuille")).to_be_visible()
            await expect(nav.get_by_role("link", name="Trouver un dossier")).to_be_visible()
            await expect(nav.get_by_role("link", name="Dossiers", exact=True)).to_have_count(0)
            height = (await tab.locator("header.site-header").bounding_box())["height"]
            assert height <= 150, height
            await screenshot(tab, f"menu-{viewport['width']}")
    async with signed_in_tab(browser, live_server, PIETER) as tab:
        nav = _nav(tab, "Hoofdnavigatie")
        await expect(nav.get_by_role("link", name="Mijn portefeuille")).to_be_visible()
        await expect(nav.get_by_role("link", name="Dossier zoeken")).to_be_visible()


async def test_a_weekly_series_of_sessions_checked_then_saved(
    browser: Any, live_server: str
) -> None:
    # Fridays before Christmas: the series meets Christmas Day and New Year's Day.
    today = _today()
    christmas = date(today.year if today <= date(today.year, 12, 1) else today.year + 1, 12, 25)
    first = christmas - timedelta(weeks=3)
    async with signed_in_tab(browser, live_server, KARIM) as tab:
        await _nav(tab).get_by_role("link", name="Séances", exact=True).click()
        await tab.get_by_role("link", name="Planifier une série hebdomadaire").click()
        await expect(tab.locator("h1")).to_have_text("Planifier une série hebdomadaire")
        await tab.get_by_label("Date de la première séance").fill(first.isoformat())
        await tab.get_by_label("Heure", exact=True).fill("18:00")
        await tab.get_by_label("Nombre de séances").fill("5")
        await tab.get_by_label("Autres dates sans séance").fill("31/02/2026")
        await tab.locator("main ul.choices input[type=checkbox]").first.check()
        await tab.get_by_role("button", name="Continuer", exact=True).click()
        # A date that does not exist is named on its field.
        await expect(tab.locator(".error-summary")).to_contain_text("Autres dates sans séance")
        await check_accessibility(tab, "series form error")
        skipped_by_us = first + timedelta(weeks=1)
        await tab.get_by_label("Autres dates sans séance").fill(skipped_by_us.strftime("%d/%m/%Y"))
        await tab.get_by_role("button", name="Continuer", exact=True).click()
        await expect(tab.locator("h1")).to_have_text("Vérifiez la série avant de la planifier")
        dates = tab.locator("main ol.series-dates li")
        await expect(dates).to_have_count(5)
        skipped = tab.locator("main", has_text="Semaines sans séance")
        await expect(skipped).to_contain_text("Noël")
        await expect(skipped).to_contain_text("une date que vous avez exclue")
        assert await fits_the_screen(tab)
        await check_accessibility(tab, "series check")
        await screenshot(tab, "series-check-phone")
        await tab.get_by_role("button", name="Planifier les 5 séances").click()
        confirmation = tab.locator(".flash.success")
        await expect(confirmation).to_contain_text("Séances hebdomadaires planifiées : 5")
        await expect(tab.locator("h1")).to_have_text("Séances")


async def test_the_sapv_copy_says_the_detail_level_in_words(page: Any) -> None:
    await login(page, NADIA)
    await page.goto("/inbox")
    copies = page.locator("main", has_text="niveau de détail")
    await expect(copies).to_contain_text("ce qui a changé")
    body = await page.locator("main").inner_text()
    for code in (
        "niveau de détail : status",
        "niveau de détail : full",
        "niveau de détail : neutral",
    ):
        assert code not in body
    await check_accessibility(page, "SAPV inbox")


async def test_hints_speak_the_readers_language(page: Any) -> None:
    await login(page, NADIA)
    await page.goto("/victims")
    await page.locator("main tbody tr a").first.click()
    hint = page.locator("#f-code_word-hint")
    await expect(hint).to_contain_text("personne ne peut le relire")
    await expect(hint).not_to_contain_text("hach")
    await expect(page.locator("#f-phone-hint")).to_contain_text("0470 12 34 56")
    await check_accessibility(page, "victim page hints")
    await page.get_by_role("button", name="Se déconnecter").click()
    await login(page, ANNE)
    await page.goto("/cases/new")
    phone_hint = page.locator("#f-perpetrator-phone-hint")
    await expect(phone_hint).to_contain_text("0470 12 34 56")
    await expect(phone_hint).not_to_contain_text("format international")
