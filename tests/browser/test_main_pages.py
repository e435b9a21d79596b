"""The main page of each user group, in each language, at desktop and phone width: axe-core finds
no violation, and the screenshots go to the test output (tests/browser/artifacts)."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from tests.browser.conftest import (
    ANNE,
    KARIM,
    LUC,
    NADIA,
    SOPHIE,
    check_accessibility,
    fits_the_screen,
    login,
    screenshot,
)

GROUPS = {
    "justice-assistant": ANNE,
    "supervisor": SOPHIE,
    "programme-staff": KARIM,
    "police": LUC,
    "sapv": NADIA,
}
BUTTONS = {"fr": "Français", "nl": "Nederlands", "en": "English"}


async def _tab(browser: Any, live_server: str, width: int, height: int) -> tuple[Any, Any]:
    context = await browser.new_context(
        base_url=live_server, bypass_csp=True, viewport={"width": width, "height": height}
    )
    context.set_default_timeout(15_000)
    return context, await context.new_page()


async def test_each_groups_main_page_in_every_language_and_width(
    browser: Any, live_server: str
) -> None:
    for group, email in GROUPS.items():
        desktop, tab = await _tab(browser, live_server, 1280, 900)
        phone, small = await _tab(browser, live_server, 390, 844)
        try:
            await login(tab, email)
            own = await tab.locator("html").get_attribute("lang")
            await login(small, email)
            # Their own language last, so that the profile ends as it began.
            for lang in [code for code in BUTTONS if code != own] + [own]:
                await tab.get_by_role("button", name=BUTTONS[lang], exact=True).click()
                await expect(tab.locator("html")).to_have_attribute("lang", lang)
                await tab.goto("/")
                await check_accessibility(tab, f"{group} home ({lang})")
                await screenshot(tab, f"home-{group}-{lang}-desktop")
                await small.goto("/")
                await expect(small.locator("html")).to_have_attribute("lang", lang)
                assert await fits_the_screen(small), f"{group} home ({lang}) on a phone"
                await check_accessibility(small, f"{group} home ({lang}) on a phone")
                await screenshot(small, f"home-{group}-{lang}-phone")
        finally:
            await desktop.close()
            await phone.close()
