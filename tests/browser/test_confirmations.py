"""After a form, the confirmation is on screen where the user lands, beside the highlighted row
or message it confirms (GOV.UK: tell the user what happened, where they are)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from playwright.async_api import expect

from tests.browser.conftest import ANNE, LUC, check_accessibility, login, screenshot, signed_in_tab

BRUSSELS = ZoneInfo("Europe/Brussels")
HIGHLIGHT = "rgb(255, 247, 191)"


async def test_a_scheduled_summons_is_confirmed_beside_its_row(page: Any) -> None:
    await login(page, ANNE)
    await page.goto("/cases")
    await page.locator("tr", has_text="Marc Dubois").get_by_role("link").first.click()
    await page.get_by_role("link", name="Programmer une convocation").click()
    when = (datetime.now(BRUSSELS) + timedelta(days=15)).replace(hour=11, minute=15)
    await page.fill("#f-scheduled_at", when.strftime("%Y-%m-%dT%H:%M"))
    await page.fill("#f-place", "Salle de la confirmation")
    await page.get_by_role("button", name="Programmer la convocation").click()
    confirmation = page.locator(".flash").first
    await expect(confirmation).to_have_text("Convocation programmée.")
    row = page.locator("tr:target")
    await expect(row).to_contain_text("Salle de la confirmation")
    # The page landed on the new row (far below the top) and the confirmation is on screen.
    assert await page.evaluate("window.scrollY") > 0
    await expect(confirmation).to_be_in_viewport()
    await expect(row).to_be_in_viewport()
    background = await row.locator("td").first.evaluate(
        "td => getComputedStyle(td).backgroundColor"
    )
    assert background == HIGHLIGHT
    # The confirmation does not hide the row it confirms.
    flash_box = await page.locator(".flash-area").bounding_box()
    row_box = await row.bounding_box()
    assert row_box["y"] >= flash_box["y"] + flash_box["height"] - 1
    await check_accessibility(page, "case page after scheduling")
    await screenshot(page, "confirmation-beside-row")


async def test_a_message_marked_read_is_confirmed_on_a_phone(
    browser: Any, live_server: str
) -> None:
    async with signed_in_tab(browser, live_server, LUC) as tab:
        await tab.goto("/inbox")
        unread = tab.locator("li.message.unread")
        count = await unread.count()
        assert count >= 1
        last = unread.nth(count - 1)
        await last.get_by_role("button", name="Marquer comme lu").click()
        confirmation = tab.locator(".flash").first
        await expect(confirmation).to_have_text("Message marqué comme lu.")
        await expect(confirmation).to_be_in_viewport()
        await expect(tab.locator("li.message:target")).to_be_in_viewport()
        await screenshot(tab, "confirmation-inbox-phone")
