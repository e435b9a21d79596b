"""A supervisor restricts a case on a phone, in French; a colleague not on its list is told it
does not exist, and the supervisor hears of the attempt; in Dutch the supervisor adds him to
the list, then lifts the restriction."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import expect

from tests.browser.conftest import (
    PIETER,
    SOPHIE,
    check_accessibility,
    fits_the_screen,
    screenshot,
    signed_in_tab,
)


async def _ready(tab: Any, name: str) -> None:
    assert await fits_the_screen(tab), f"{name} is wider than the phone"
    await check_accessibility(tab, name)
    await screenshot(tab, name)


async def _language(tab: Any, menu: str, language: str) -> None:
    """On a phone the language switch folds behind the header's menu button."""
    await tab.get_by_role("button", name=menu).click()
    await tab.get_by_role("button", name=language, exact=True).click()


async def test_restrict_a_case_keep_its_list_and_lift_it(browser: Any, live_server: str) -> None:
    async with (
        signed_in_tab(browser, live_server, SOPHIE) as sophie,
        signed_in_tab(browser, live_server, PIETER) as pieter,
    ):
        # From the home page to a case of Anne's, through the house's cases.
        await sophie.goto("/")
        await sophie.get_by_role("link", name="Trouver un dossier", exact=True).first.click()
        await sophie.get_by_role("link", name="Tous les dossiers de la maison de justice").click()
        row = sophie.locator("main tbody tr", has_text="Anne Lambert").first
        reference = (await row.locator("a").first.inner_text()).strip()
        await row.locator("a").first.click()
        case_url = sophie.url.split("?")[0]  # without the way back to the list it came from
        await sophie.get_by_role("link", name="Qui peut voir ce dossier").click()
        await expect(sophie.locator("h1")).to_have_text("Qui peut voir ce dossier")
        await _ready(sophie, "restriction-fr-phone")

        # "Other" without a word: the error summary names the field, nothing is restricted.
        await sophie.get_by_label("Autre", exact=True).check()
        await sophie.get_by_role("button", name="Restreindre le dossier").click()
        summary = sophie.locator(".error-summary")
        await expect(summary).to_contain_text("Détails")
        await expect(summary.get_by_role("link")).to_have_attribute("href", "#f-note")
        await expect(sophie.locator("#f-note-error")).to_be_visible()
        await _ready(sophie, "restriction-error-fr-phone")

        await sophie.get_by_label("Une personnalité publique est impliquée").check()
        await sophie.get_by_role("button", name="Restreindre le dossier").click()
        await expect(sophie).to_have_url(re.compile(r"/cases/\d+#restriction$"))
        await expect(sophie.locator(".flash")).to_contain_text("Le dossier est restreint")
        await expect(sophie.locator("main .badge.restricted")).to_have_text("Dossier restreint")
        await _ready(sophie, "restricted-case-fr-phone")

        # Pieter is not on the list: the case does not exist for him, nor in his lists.
        response = await pieter.goto(case_url)
        assert response is not None and response.status == 404
        await check_accessibility(pieter, "restricted case refused")
        await pieter.goto("/cases?mine=false")
        # The house's cases are listed (the search's hint quotes an example reference: not a row).
        await expect(pieter.locator("main table a[href^='/cases/']").first).to_be_visible()
        await expect(pieter.locator("main table")).not_to_contain_text(reference)

        # Sophie is told of the attempt in her inbox (the dispatcher runs every few seconds).
        await sophie.goto("/inbox")
        notice = sophie.locator("main", has_text="Accès refusé à un dossier restreint")
        for _ in range(20):
            if await notice.count():
                break
            await sophie.wait_for_timeout(1000)
            await sophie.reload()
        await expect(notice).to_contain_text("Pieter Janssens")

        # In Dutch, she adds Pieter to the list; he sees the case.
        await _language(sophie, "Langue et compte", "Nederlands")
        await expect(sophie.locator("html")).to_have_attribute("lang", "nl")
        await sophie.goto(case_url.split("#")[0] + "/restriction")
        await expect(sophie.locator("h1")).to_have_text("Wie mag dit dossier zien")
        person = sophie.get_by_label("Persoon", exact=True)
        pieter_id = await person.locator("option", has_text="Pieter Janssens").get_attribute(
            "value"
        )
        await person.select_option(pieter_id)
        await sophie.get_by_role("button", name="Aan de lijst toevoegen").click()
        await expect(sophie.locator(".flash")).to_contain_text("aan de lijst toegevoegd")
        await sophie.goto(case_url.split("#")[0] + "/restriction")
        await expect(sophie.locator("main table")).to_contain_text("Pieter Janssens")
        await _ready(sophie, "restriction-list-nl-phone")
        response = await pieter.goto(case_url)
        assert response is not None and response.status == 200

        # Lifting needs a word; then everyone of the house sees the case again.
        await sophie.get_by_role("button", name="Afscherming opheffen").click()
        await expect(sophie.locator(".error-summary")).to_contain_text("Details")
        await sophie.get_by_label("Details").fill("De betrokkene is geen publiek figuur meer.")
        await sophie.get_by_role("button", name="Afscherming opheffen").click()
        await expect(sophie.locator(".flash")).to_contain_text("De afscherming is opgeheven")
        await expect(sophie.locator("main .badge.restricted")).to_have_count(0)
        await _ready(sophie, "restriction-lifted-nl-phone")
        # Her profile's language as it was.
        await _language(sophie, "Taal en account", "Français")
        await expect(sophie.locator("html")).to_have_attribute("lang", "fr")
