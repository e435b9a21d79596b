"""The add-measure form: one condition to start with, "add another condition" for more, and
each condition asking only the questions of its kind."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from tests.browser.conftest import ANNE, check_accessibility, screenshot, signed_in_tab


async def test_conditions_are_added_one_by_one_and_reveal_their_questions(
    browser: Any, live_server: str
) -> None:
    async with signed_in_tab(browser, live_server, ANNE) as tab:
        await tab.goto("/cases")
        await tab.locator("tbody tr").first.get_by_role("link").first.click()
        await tab.goto(tab.url.split("#")[0].split("?")[0] + "/measures/new")
        conditions = tab.locator("fieldset.condition")
        await expect(conditions).to_have_count(1)
        height = await tab.evaluate("document.documentElement.scrollHeight")
        assert height < 2600, height
        first = conditions.nth(0)
        await expect(first.get_by_label("Adresse")).to_be_hidden()
        await first.get_by_label("Type de condition").select_option("programme")
        await expect(first.get_by_label("Organisme du programme")).to_be_visible()
        await expect(first.get_by_label("Séances requises")).to_be_visible()
        await expect(first.get_by_label("Adresse")).to_be_hidden()
        await first.get_by_label("Séances requises").fill("21")
        await tab.get_by_role("button", name="Ajouter une autre condition").click()
        await expect(conditions).to_have_count(2)
        # What was typed stays; nothing was saved.
        await expect(conditions.nth(0).get_by_label("Séances requises")).to_have_value("21")
        second = conditions.nth(1)
        await second.get_by_label("Type de condition").select_option("place_ban")
        await expect(second.get_by_label("Adresse")).to_be_visible()
        await expect(second.get_by_label("Séances requises")).to_be_hidden()
        await check_accessibility(tab, "add-measure form with two conditions")
        await screenshot(tab, "add-measure-phone")
