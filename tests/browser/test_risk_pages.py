"""The risk pages on a phone, from the home page: the justice assistant reassesses a case's risk
(French and Dutch), the supervisor changes the risk policy and adds a tier a case is raised to
(French and Dutch), the police officer answers an alert."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.async_api import expect

from tests.browser.conftest import (
    ANNE,
    LUC,
    PIETER,
    SOPHIE,
    check_accessibility,
    fits_the_screen,
    screenshot,
    signed_in_tab,
)

# The words of each language the walk reads.
WORDS = {
    "fr": {
        "cases": "Trouver un dossier",
        "change": "Modifier (niveau de risque)",
        "severe": "Grave",
        "low": "Faible",
        "reason": "Motif",
        "save": "Enregistrer le niveau de risque",
        "fix": "Veuillez corriger ce qui suit",
        "saved": "Niveau de risque enregistré.",
        "history": "Historique du risque",
    },
    "nl": {
        "cases": "Dossier zoeken",
        "change": "Wijzigen (risiconiveau)",
        "severe": "Ernstig",
        "low": "Laag",
        "reason": "Reden",
        "save": "Het risiconiveau opslaan",
        "fix": "Gelieve het volgende te verbeteren",
        "saved": "Risiconiveau opgeslagen.",
        "history": "Risicogeschiedenis",
    },
}


async def _reassess(tab: Any, lang: str) -> None:
    w = WORDS[lang]
    await tab.goto("/")
    await tab.get_by_role("navigation").get_by_role("link", name=w["cases"], exact=True).click()
    await tab.locator("main table a[href^='/cases/']").first.click()
    case_url = tab.url.split("?")[0]  # without the way back to the list it came from
    await tab.locator("#risk").get_by_role("link", name=w["change"]).click()
    await expect(tab).to_have_url(re.compile(r"/cases/\d+/risk$"))
    # Up at once, without a reason.
    await tab.get_by_label(w["severe"], exact=True).check()
    await tab.get_by_role("button", name=w["save"]).click()
    await expect(tab.locator(".flash")).to_contain_text(w["saved"])
    await expect(tab.locator("#risk")).to_contain_text(w["severe"])
    # Down without a reason: refused, the reason field named in the summary and beside it.
    await tab.locator("#risk").get_by_role("link", name=w["change"]).click()
    await tab.get_by_label(w["low"], exact=True).check()
    await expect(tab.get_by_label(w["reason"])).to_be_visible()  # revealed by the choice
    await tab.get_by_role("button", name=w["save"]).click()
    summary = tab.locator(".error-summary")
    await expect(summary).to_contain_text(w["fix"])
    await expect(summary.get_by_role("link")).to_have_attribute("href", "#f-reason")
    await expect(tab.locator("#f-reason-error")).to_be_visible()
    assert await fits_the_screen(tab)
    await check_accessibility(tab, f"reassessment refused ({lang})")
    await screenshot(tab, f"risk-reassess-error-{lang}-phone")
    await tab.get_by_label(w["reason"]).fill("Test walk: he moved abroad")
    await tab.get_by_role("button", name=w["save"]).click()
    await expect(tab.locator(".flash")).to_contain_text(w["saved"])
    assert tab.url.startswith(case_url.split("#")[0])
    await check_accessibility(tab, f"case page after reassessment ({lang})")
    await screenshot(tab, f"risk-case-card-{lang}-phone")
    # The history keeps the police's level and both reassessments, with the reason.
    await tab.locator("#risk").get_by_role("link", name=w["change"]).click()
    history = tab.get_by_role("table")
    await expect(history).to_contain_text("Test walk: he moved abroad")
    assert await history.locator("tbody tr").count() >= 3


async def test_a_justice_assistant_reassesses_the_risk_in_french(browser: Any, live_server: str):
    async with signed_in_tab(browser, live_server, ANNE) as tab:
        await _reassess(tab, "fr")


async def test_a_justice_assistant_reassesses_the_risk_in_dutch(browser: Any, live_server: str):
    async with signed_in_tab(browser, live_server, PIETER) as tab:
        await _reassess(tab, "nl")


async def test_the_supervisor_changes_the_risk_policy(browser: Any, live_server: str):
    async with signed_in_tab(browser, live_server, SOPHIE) as tab:
        await tab.goto("/")
        nav = tab.get_by_role("navigation")
        await nav.get_by_role("link", name="Politique de risque", exact=True).click()
        high = tab.locator("#tier-high")
        await expect(high).to_contain_text("tous les 14 jours")
        assert await fits_the_screen(tab)
        await check_accessibility(tab, "risk policy")
        await screenshot(tab, "risk-policy-phone")
        await high.get_by_role("link", name="Modifier (Élevé)").click()
        field = tab.get_by_label("État du dossier au contact SAPV tous les (jours)")
        await field.fill("-1")
        await tab.get_by_role("button", name="Enregistrer la politique").click()
        await expect(tab.locator(".error-summary")).to_be_visible()
        await expect(tab.locator(".error-summary a[href='#f-sapv_update_days']")).to_be_visible()
        await check_accessibility(tab, "risk policy refused")
        await screenshot(tab, "risk-policy-error-phone")
        await field.fill("10")
        await tab.get_by_role("button", name="Enregistrer la politique").click()
        await expect(tab.locator(".flash")).to_contain_text("Politique de risque modifiée.")
        await expect(tab.locator("#tier-high")).to_contain_text("tous les 10 jours")
        # Put it back as the demo had it.
        await tab.locator("#tier-high").get_by_role("link", name="Modifier (Élevé)").click()
        await field.fill("14")
        await tab.get_by_role("button", name="Enregistrer la politique").click()
        await expect(tab.locator("#tier-high")).to_contain_text("tous les 14 jours")


async def test_the_police_zone_answers_an_alert(browser: Any, live_server: str):
    async with signed_in_tab(browser, live_server, LUC) as tab:
        await tab.goto("/")
        await tab.get_by_role("navigation").get_by_role("link", name="Alertes").click()
        cards = tab.locator("main section.card")
        before = await cards.count()
        assert before >= 1  # the demo's high-risk case missed summons
        assert await fits_the_screen(tab)
        await check_accessibility(tab, "police alerts")
        await screenshot(tab, "risk-alerts-phone")
        first = cards.first
        if await first.get_by_role("button", name=re.compile("^Confirmer la réception")).count():
            await first.get_by_role("button", name=re.compile("^Confirmer la réception")).click()
            await expect(tab.locator(".flash")).to_contain_text("Réception confirmée")
            first = tab.locator("main section.card").first
        await first.get_by_label("Intervention de la police").check()
        await first.get_by_label("Note").fill("Patrouille passée à l'adresse")
        await first.get_by_role("button", name=re.compile("^Indiquer comme traitée")).click()
        await expect(tab.locator(".flash")).to_contain_text("Traitée")
        await expect(tab.locator("main section.card")).to_have_count(before - 1)


# --- the tiers are the supervisors' to set (last here: it leaves a tier "extreme" behind) ----

SHOTS = Path("/tmp/risk16-shots")


async def _shot(tab: Any, name: str) -> None:
    await tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    await screenshot(tab, name)


async def _switch(tab: Any, button: str, lang: str) -> None:
    # On a phone the language switch folds behind the header's menu button.
    toggle = tab.locator(".menu-toggle")
    if await toggle.is_visible() and await toggle.get_attribute("aria-expanded") != "true":
        await toggle.click()
    await tab.get_by_role("button", name=button, exact=True).click()
    await expect(tab.locator("html")).to_have_attribute("lang", lang)


async def _first_on_red_list(tab: Any) -> tuple[str, str]:
    await tab.goto("/")
    await (
        tab.get_by_role("navigation")
        .get_by_role("link", name=re.compile("^(Liste rouge|Rode lijst)$"))
        .click()
    )
    row = tab.locator("main table tbody tr").first
    cells = row.locator("td")
    return (await cells.nth(4).inner_text()).strip(), (await cells.nth(5).inner_text()).strip()


async def test_a_supervisor_adds_a_tier_above_severe_and_a_case_is_raised_to_it(
    browser: Any, live_server: str
):
    async with (
        signed_in_tab(browser, live_server, SOPHIE) as sophie,
        signed_in_tab(browser, live_server, LUC) as luc,
    ):
        # The red list's first address before: a case the tier will move to the top.
        await _first_on_red_list(luc)
        cases = await luc.locator("main table tbody tr td:nth-child(5)").all_inner_texts()
        references = [c.strip() for c in cases if re.fullmatch(r"[A-Z]+-\d{4}-\d{5}", c.strip())]
        reference = references[-1]
        # The supervisor adds "extreme" above "severe", named in each language.
        await sophie.goto("/")
        await (
            sophie.get_by_role("navigation")
            .get_by_role("link", name="Politique de risque", exact=True)
            .click()
        )
        await sophie.get_by_role("link", name="Ajouter un niveau de risque").click()
        await expect(sophie.get_by_label("Rang")).to_have_value("50")  # above the highest
        await sophie.get_by_label("Code").fill("Extrême")
        await sophie.get_by_role("button", name="Continuer").click()
        # Refused: the code's shape and the missing names, each named, in French.
        summary = sophie.locator(".error-summary")
        await expect(summary.locator("a[href='#f-tier']")).to_be_visible()
        await expect(summary.locator("a[href='#f-names-fr']")).to_be_visible()
        assert await fits_the_screen(sophie)
        await check_accessibility(sophie, "new tier refused")
        await _shot(sophie, "tier-new-error-fr-phone")
        await sophie.get_by_label("Code").fill("extreme")
        for label, name in (
            ("Nom en français", "Extrême"),
            ("Nom en néerlandais", "Extreem"),
            ("Nom en anglais", "Extreme"),
            ("Nom en allemand", "Extrem"),
        ):
            await sophie.get_by_label(label).fill(name)
        await sophie.get_by_role("button", name="Continuer").click()
        # Check your answers, then confirm.
        await expect(sophie.locator(".summary-list")).to_contain_text("Extreem")
        assert await fits_the_screen(sophie)
        await check_accessibility(sophie, "new tier: check your answers")
        await _shot(sophie, "tier-new-check-fr-phone")
        await sophie.get_by_role("button", name="Confirmer : ajouter le niveau").click()
        await expect(sophie.locator(".flash")).to_contain_text("Niveau de risque ajouté.")
        await expect(sophie.locator("#tier-extreme")).to_contain_text("Extrême")
        await check_accessibility(sophie, "risk policy with the new tier")
        await _shot(sophie, "tier-policy-fr-phone")

        # The case last on the red list is raised to it: up at once, no reason asked.
        await (
            sophie.get_by_role("navigation")
            .get_by_role("link", name="Trouver un dossier", exact=True)
            .click()
        )
        await sophie.get_by_label("Référence du dossier").fill(reference)
        await sophie.get_by_role("button", name="Rechercher").click()
        await expect(sophie).to_have_url(re.compile(r"/cases/\d+"))
        case_url = sophie.url.split("?")[0].split("#")[0]
        await (
            sophie.locator("#risk").get_by_role("link", name="Modifier (niveau de risque)").click()
        )
        await sophie.get_by_label("Extrême", exact=True).check()
        await sophie.get_by_role("button", name="Enregistrer le niveau de risque").click()
        await expect(sophie.locator(".flash")).to_contain_text("Niveau de risque enregistré.")
        await expect(sophie.locator("#risk")).to_contain_text("Extrême")

        # The team caseload, highest risk first: the case on top, by its tier's name.
        await (
            sophie.get_by_role("navigation")
            .get_by_role("link", name="Portefeuille de l'équipe", exact=True)
            .click()
        )
        first = sophie.locator("main table tbody tr").first
        await expect(first).to_contain_text(reference)
        await expect(first).to_contain_text("Extrême")
        assert await fits_the_screen(sophie)
        await check_accessibility(sophie, "team caseload with the new tier")
        await _shot(sophie, "tier-caseload-fr-phone")
        # The red list: the case's tier puts it first.
        assert await _first_on_red_list(luc) == (reference, "Extrême")
        assert await fits_the_screen(luc)
        await check_accessibility(luc, "red list with the new tier")
        await _shot(luc, "tier-red-list-fr-phone")

        # In Dutch: the same tier by its Dutch name, on the policy, the caseload, the red list.
        await _switch(sophie, "Nederlands", "nl")
        await sophie.goto("/risk-policy")
        await expect(sophie.locator("#tier-extreme h2")).to_have_text("Extreem")
        await check_accessibility(sophie, "risk policy (nl)")
        await _shot(sophie, "tier-policy-nl-phone")
        await (
            sophie.get_by_role("navigation")
            .get_by_role("link", name="Portefeuille van het team", exact=True)
            .click()
        )
        await expect(sophie.locator("main table tbody tr").first).to_contain_text("Extreem")
        assert await fits_the_screen(sophie)
        await check_accessibility(sophie, "team caseload (nl)")
        await _shot(sophie, "tier-caseload-nl-phone")
        await _switch(luc, "Nederlands", "nl")
        assert await _first_on_red_list(luc) == (reference, "Extreem")
        await check_accessibility(luc, "red list (nl)")
        await _shot(luc, "tier-red-list-nl-phone")
        # A tier a case is at cannot go: the page says why, in Dutch.
        await sophie.goto("/risk-tiers/extreme/remove")
        await expect(sophie.locator(".error-summary")).to_contain_text(
            "kan niet verwijderd worden zolang"
        )
        await check_accessibility(sophie, "tier removal refused (nl)")
        await _shot(sophie, "tier-remove-refused-nl-phone")

        # Leave the demo as the other walks know it: the case back down (with its reason), and
        # both readers in French.
        await sophie.goto(case_url + "/risk")
        await sophie.get_by_label("Ernstig", exact=True).check()
        await sophie.get_by_label("Reden").fill("Terug zoals in de demo")
        await sophie.get_by_role("button", name="Het risiconiveau opslaan").click()
        await expect(sophie.locator(".flash")).to_be_visible()
        await _switch(sophie, "Français", "fr")
        await _switch(luc, "Français", "fr")
