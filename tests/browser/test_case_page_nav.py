"""The long case page opens with a contents list: each part one tap away, on a phone too."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from tests.browser.conftest import ANNE, check_accessibility, screenshot, signed_in_tab


async def test_the_case_page_has_a_contents_list_to_each_part(
    browser: Any, live_server: str
) -> None:
    async with signed_in_tab(browser, live_server, ANNE) as tab:
        await tab.goto("/cases")
        await tab.locator("tbody tr").first.get_by_role("link").first.click()
        contents = tab.get_by_role("navigation", name="Parties de ce dossier")
        await expect(contents).to_be_in_viewport()
        links = contents.get_by_role("link")
        assert await links.count() == 6
        for href in await links.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
            assert await tab.locator(href).count() == 1, href
        await contents.get_by_role("link", name="Historique").click()
        await expect(tab.locator("#timeline-title")).to_be_in_viewport()
        await tab.goto(tab.url.split("#")[0])
        await (
            tab.get_by_role("navigation", name="Parties de ce dossier")
            .get_by_role("link", name="Convocations")
            .click()
        )
        await expect(tab.locator("#summons-title")).to_be_in_viewport()
        await check_accessibility(tab, "case page contents")
        await screenshot(tab, "case-contents-phone")
