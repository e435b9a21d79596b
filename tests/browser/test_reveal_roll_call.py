"""The roll-call on a phone: "mark everyone present" in one tap, with or without scripts, and a
reason box only for an outcome that needs one. Nothing is saved here (the roll-call journey in
test_role_journeys saves it)."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from tests.browser.conftest import KARIM, check_accessibility, login, screenshot

PHONE = {"width": 390, "height": 844}


async def _open_roll_call(tab: Any) -> None:
    await tab.goto("/sessions")
    to_do = tab.locator("section", has=tab.locator("#to-record-title"))
    await to_do.get_by_role("link").first.click()
    await expect(tab.locator("h1")).to_contain_text("Appel")


async def test_mark_everyone_present_and_reveal_a_reason_only_for_an_absence(
    browser: Any, live_server: str
) -> None:
    context = await browser.new_context(base_url=live_server, bypass_csp=True, viewport=PHONE)
    context.set_default_timeout(15_000)
    try:
        tab = await context.new_page()
        await login(tab, KARIM)
        await _open_roll_call(tab)
        participants = tab.locator("fieldset.participant")
        count = await participants.count()
        assert count >= 2
        # No reason box until an absence with a valid reason is chosen.
        await expect(tab.locator(".reason-field:visible")).to_have_count(0)
        height = await tab.evaluate("document.documentElement.scrollHeight")
        assert height < 400 * count + 900, height
        await tab.get_by_role("button", name="Marquer tout le monde présent").click()
        for i in range(count):
            await expect(participants.nth(i).get_by_label("Présent", exact=True)).to_be_checked()
        first = participants.nth(0)
        await first.get_by_label("Absent avec motif valable").check()
        await expect(first.get_by_role("textbox", name="Motif")).to_be_visible()
        await expect(tab.locator(".reason-field:visible")).to_have_count(1)
        await check_accessibility(tab, "roll-call with one reason shown")
        await screenshot(tab, "roll-call-reveal-phone")
        await first.get_by_label("Présent", exact=True).check()
        await expect(tab.locator(".reason-field:visible")).to_have_count(0)
    finally:
        await context.close()


async def test_mark_everyone_present_without_scripts(browser: Any, live_server: str) -> None:
    context = await browser.new_context(
        base_url=live_server, viewport=PHONE, java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    try:
        tab = await context.new_page()
        await login(tab, KARIM)
        await _open_roll_call(tab)
        await tab.get_by_role("button", name="Marquer tout le monde présent").click()
        # The same form comes back filled in; nothing is saved until "Save the roll-call".
        await expect(tab.get_by_role("button", name="Enregistrer l'appel")).to_be_visible()
        participants = tab.locator("fieldset.participant")
        for i in range(await participants.count()):
            await expect(participants.nth(i).get_by_label("Présent", exact=True)).to_be_checked()
        await expect(tab.locator(".flash")).to_have_count(0)
    finally:
        await context.close()
