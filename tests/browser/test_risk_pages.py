"""The risk pages on a phone, from the home page: the justice assistant reassesses a case's risk
(French and Dutch), the supervisor changes the risk policy, the police officer answers an alert."""

from __future__ import annotations

import re
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
