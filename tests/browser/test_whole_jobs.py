"""Whole jobs, from the home page to the record, in a real browser: French on a desktop, Dutch
on a 390 px phone. A wrong entry gets an error that names its field and changes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import expect

from tests.browser.conftest import (
    ANNE,
    LUC,
    NADIA,
    PIETER,
    check_accessibility,
    fits_the_screen,
    login,
    screenshot,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
WORDS = {
    "fr": {
        "open": "Ouvrir un dossier",
        "continue": "Continuer",
        "open_button": "Ouvrir le dossier",
        "add_measure": "Ajouter une mesure",
        "add_button": "Ajouter la mesure",
        "record_hours": "Encoder des heures",
        "hours_button": "Encoder les heures",
        "record_report": "Encoder un rapport",
        "report_button": "Encoder le rapport",
        "ban_refused": "interdiction temporaire de résidence nécessite l'adresse",
        "hours_refused": "dépasseraient",
        "hours_done": "10 heures prestées sur 30",
        "intake": "rapport d'entrée",
        "periodic": "rapport périodique",
    },
    "nl": {
        "open": "Dossier openen",
        "continue": "Verder",
        "open_button": "Het dossier openen",
        "add_measure": "Maatregel toevoegen",
        "add_button": "De maatregel toevoegen",
        "record_hours": "Uren registreren",
        "hours_button": "De uren registreren",
        "record_report": "Een verslag registreren",
        "report_button": "Het verslag registreren",
        "ban_refused": "tijdelijk huisverbod vereist het adres",
        "hours_refused": "overschrijden",
        "hours_done": "10 van 30 uren gepresteerd",
        "intake": "beginverslag",
        "periodic": "periodiek verslag",
    },
}


@pytest.fixture
async def tabs(browser: Any, live_server: str) -> AsyncIterator[Any]:
    contexts = []

    async def open_tab(width: int) -> Any:
        context = await browser.new_context(
            base_url=live_server, bypass_csp=True, viewport={"width": width, "height": 900}
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        return await context.new_page()

    yield open_tab
    for context in contexts:
        await context.close()


async def _checked(tab: Any, words: dict[str, str], button: str) -> None:
    """Continue to the check-your-answers page, then create from it."""
    await tab.get_by_role("button", name=words["continue"], exact=True).click()
    await tab.get_by_role("button", name=words[button], exact=True).click()


async def _measure(tab: Any, kind: str, today: date, ends_on: date | None = None) -> None:
    await tab.select_option("#f-kind", kind)
    await tab.fill("#f-decided_by", "Parquet de Liège")
    await tab.fill("#f-decided_on", today.isoformat())
    await tab.fill("#f-starts_on", today.isoformat())
    if ends_on:
        await tab.fill("#f-ends_on", ends_on.isoformat())


@pytest.mark.parametrize(
    ("language", "who", "width", "surname", "address", "pv"),
    [
        ("fr", ANNE, 1280, "Delvaux", "Rue de la Loi 16, 4000 Liège", "LI.55.L3.777001/2026"),
        ("nl", PIETER, 390, "Peeters-Jacobs", "Kerkstraat 3, 4020 Luik", "LI.55.L3.777002/2026"),
    ],
)
async def test_justice_assistant_from_a_new_case_to_the_red_list_hours_and_report(
    tabs: Any, language: str, who: str, width: int, surname: str, address: str, pv: str
) -> None:
    words = WORDS[language]
    today = datetime.now(BRUSSELS).date()
    tab = await tabs(width)
    await tab.goto("/")
    await login(tab, who)
    await expect(tab.locator("html")).to_have_attribute("lang", language)

    # Open a case, referred by Luc Martin, with the police report number.
    await tab.get_by_role("link", name=words["open"]).first.click()
    await tab.select_option("#f-mandating_authority", "prosecutor")
    await tab.fill("#f-police_report_number", pv)
    await tab.select_option("#f-referring_officer_id", label="Luc Martin")
    await tab.fill("#f-perpetrator-first_name", "Jonas")
    await tab.fill("#f-perpetrator-last_name", surname)
    await tab.fill("#f-victim-first_name", "Eva")
    await tab.fill("#f-victim-last_name", surname)
    await _checked(tab, words, "open_button")
    await expect(tab.locator("h1")).to_contain_text("LIE-")
    case_url = tab.url.split("#")[0]
    await expect(tab.locator("main")).to_contain_text(pv)

    # A residence ban without its address: refused, the address field named; then with it.
    await tab.get_by_role("link", name=words["add_measure"]).click()
    await _measure(tab, "temporary_residence_ban", today)
    await _checked(tab, words, "add_button")
    await expect(tab.locator(".error-summary")).to_contain_text(words["ban_refused"])
    await expect(tab.locator("#f-conditions-0-address")).to_have_attribute("aria-invalid", "true")
    await check_accessibility(tab, f"ban without address ({language})")
    await screenshot(tab, f"job-ja-{language}-ban-refused")
    assert await fits_the_screen(tab)
    await tab.select_option("#f-conditions-0-kind", "place_ban")
    await tab.fill("#f-conditions-0-address", address)
    await _checked(tab, words, "add_button")
    assert tab.url.split("#")[0] == case_url

    # A probation with community service: hours recorded from the case page.
    await tab.get_by_role("link", name=words["add_measure"]).click()
    await _measure(tab, "probation", today, today + timedelta(days=365))
    await tab.select_option("#f-conditions-0-kind", "community_service")
    await tab.fill("#f-conditions-0-hours_due", "30")
    await _checked(tab, words, "add_button")
    assert tab.url.split("#")[0] == case_url
    await tab.get_by_role("link", name=words["record_hours"]).click()
    await tab.fill("#f-hours", "40")
    await tab.fill("#f-reason", "Attestation Régie des quartiers")
    await tab.get_by_role("button", name=words["hours_button"]).click()
    await expect(tab.locator("#f-hours")).to_have_attribute("aria-invalid", "true")
    await expect(tab.locator(".error-summary")).to_contain_text(words["hours_refused"])
    await check_accessibility(tab, f"hours refused ({language})")
    await screenshot(tab, f"job-ja-{language}-hours-refused")
    await tab.fill("#f-hours", "10")
    await tab.get_by_role("button", name=words["hours_button"]).click()
    assert tab.url.split("#")[0] == case_url
    await expect(tab.locator("#measures")).to_contain_text(words["hours_done"])

    # The intake report: recorded, and its deadline leaves the case page for the next one.
    deadlines = tab.locator("#deadlines table")
    await expect(deadlines).to_contain_text(words["intake"])
    await tab.get_by_role("link", name=words["record_report"]).first.click()
    await check_accessibility(tab, f"report form ({language})")
    await screenshot(tab, f"job-ja-{language}-report-form")
    assert await fits_the_screen(tab)
    await tab.get_by_role("button", name=words["report_button"]).click()
    await expect(tab.locator("#f-assessment")).to_have_attribute("aria-invalid", "true")
    await tab.fill("#f-assessment", "Intake held; the placement is found.")
    await tab.get_by_role("button", name=words["report_button"]).click()
    assert tab.url.split("#")[0] == case_url
    await expect(deadlines).not_to_contain_text(words["intake"])
    await expect(deadlines).to_contain_text(words["periodic"])
    await check_accessibility(tab, f"case after the report ({language})")
    await screenshot(tab, f"job-ja-{language}-case-done")
    assert await fits_the_screen(tab)

    # The referring officer sees the ban on the red list and the case under his PV number.
    police = await tabs(width)
    await police.goto("/")
    await login(police, LUC)
    await police.goto("/red-list")
    await expect(police.locator("main")).to_contain_text(address)
    await police.goto("/referred")
    await expect(police.locator("main")).to_contain_text(pv)
    await check_accessibility(police, f"referred with the PV ({language})")
    await screenshot(police, f"job-police-{language}-referred")


SAPV_WORDS = {
    "fr": {
        "title": "Son numéro de téléphone",
        "save": "Enregistrer son nouveau numéro",
        "refused": "connu du côté d'un auteur",
        "saved": "Son nouveau numéro est enregistré",
        "waiting": "En attente de confirmation",
    },
    "nl": {
        "title": "Haar telefoonnummer",
        "save": "Haar nieuwe nummer opslaan",
        "refused": "bekend aan de kant van een dader",
        "saved": "Haar nieuwe nummer is opgeslagen",
        "waiting": "Wacht op bevestiging",
    },
}


async def _switch_language(tab: Any, language: str) -> None:
    # The switch folds behind a button on a phone: its form is submitted as the button would.
    async with tab.expect_navigation():
        await tab.evaluate(
            "lang => document.querySelector(`.lang-form button[value=${lang}]`).click()", language
        )


@pytest.mark.parametrize(
    ("language", "victim", "number"),
    [("fr", "Julie Dubois", "+447700900301"), ("nl", "Lies Wouters", "+447700900302")],
)
async def test_sapv_contact_changes_the_victims_phone_on_a_phone(
    tabs: Any, language: str, victim: str, number: str
) -> None:
    """Nadia Benali at 390 px, in French, then in Dutch (the demo's one SAPV contact reads
    French: she switches, and back): a victim has a new number; the perpetrator's is refused on
    the field first."""
    words = SAPV_WORDS[language]
    tab = await tabs(390)
    await tab.goto("/")
    await login(tab, NADIA)
    if language != "fr":
        await _switch_language(tab, language)
    try:
        await tab.goto("/victims")
        await tab.get_by_role("link", name=victim).click()
        await expect(tab.locator("#phone-title")).to_have_text(words["title"])
        await tab.fill("#f-phone", "+447700900001")  # the demo's Marc Dubois
        await tab.get_by_role("button", name=words["save"]).click()
        await expect(tab.locator("#f-phone")).to_have_attribute("aria-invalid", "true")
        await expect(tab.locator(".error-summary")).to_contain_text(words["refused"])
        await check_accessibility(tab, f"victim phone refused ({language})")
        await screenshot(tab, f"job-sapv-{language}-phone-refused")
        await tab.fill("#f-phone", number)
        await tab.get_by_role("button", name=words["save"]).click()
        await expect(tab.locator(".flash")).to_contain_text(words["saved"])
        # The new number too is confirmed by her reply before any update goes to it.
        await expect(tab.locator("#number-status")).to_have_text(words["waiting"])
        await screenshot(tab, f"job-sapv-{language}-phone-saved")
    finally:
        if language != "fr":
            await _switch_language(tab, "fr")  # the demo's Nadia reads French
