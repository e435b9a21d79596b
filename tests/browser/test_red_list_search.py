"""The red list on a phone: the table before the download, a search by street or municipality
(sent in the form), and an order by the ban's end or by risk."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from tests.browser.conftest import (
    LUC,
    check_accessibility,
    fits_the_screen,
    screenshot,
    signed_in_tab,
)


async def test_search_and_sort_the_red_list_on_a_phone(browser: Any, live_server: str) -> None:
    async with signed_in_tab(browser, live_server, LUC) as tab:
        await tab.goto("/red-list")
        table = tab.locator("main table")
        download = tab.get_by_role("link", name="Télécharger la liste rouge (CSV)", exact=True)
        # The list comes before the download.
        assert await tab.evaluate(
            """() => {
                const table = document.querySelector('main table');
                const link = document.querySelector('main a[href="/red-list.csv"]');
                return !!(table.compareDocumentPosition(link) & Node.DOCUMENT_POSITION_FOLLOWING);
            }"""
        )
        await expect(download).not_to_have_class("button")
        rows = await table.locator("tbody tr").count()
        assert rows >= 2
        await tab.get_by_label("Rue, commune ou code postal").fill("saint-gilles LIEGE")
        await tab.get_by_role("button", name="Afficher", exact=True).click()
        await expect(table).to_contain_text("Rue Saint-Gilles 112, 4000 Liège")
        assert await table.locator("tbody tr").count() < rows
        await expect(tab.locator("main [role=status]")).to_contain_text("correspond")
        # The search is not in the address bar.
        assert "saint" not in tab.url.lower()
        assert await fits_the_screen(tab)
        await check_accessibility(tab, "red list searched")
        await screenshot(tab, "red-list-search-phone")
        await tab.get_by_label("Rue, commune ou code postal").fill("")
        await tab.get_by_label("Trier par").select_option("risk")
        await tab.get_by_role("button", name="Afficher", exact=True).click()
        risks = await table.locator("tbody tr td[data-label='Risque']").all_inner_texts()
        order = ["Grave", "Élevé", "Moyen", "Faible"]
        ranks = [next(n for n, word in enumerate(order) if word in text) for text in risks]
        assert ranks == sorted(ranks), risks
