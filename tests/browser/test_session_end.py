"""The end of a session: a warning two minutes before an idle session ends, with a button to
stay; and a form sent after it ended is filled in again once logged in."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from tests.browser.conftest import ANNE, DEMO_PASSWORD, check_accessibility, screenshot


async def _login(tab: Any) -> None:
    await tab.goto("/login")
    await tab.fill("#email", ANNE)
    await tab.fill("#password", DEMO_PASSWORD)
    await tab.locator("main form button[type=submit]").click()
    await tab.wait_for_url(lambda url: "/login" not in url)


async def test_a_warning_before_the_session_ends_and_a_button_to_stay(page: Any) -> None:
    await page.clock.install()
    await _login(page)
    await page.goto("/cases")
    idle = int(await page.locator("body").get_attribute("data-session-idle"))
    warning = page.locator(".session-warning")
    await expect(warning).to_have_count(0)
    await page.clock.fast_forward((idle - 2) * 60_000 + 1000)
    await expect(warning).to_be_visible()
    await expect(warning).to_contain_text("Votre session se termine dans 2 minutes")
    await check_accessibility(page, "session warning")
    await screenshot(page, "session-warning")
    await warning.get_by_role("button", name="Rester connecté(e)").click()
    await expect(warning).to_have_count(0)


async def test_a_form_sent_after_the_session_ended_is_kept(page: Any, live_server: str) -> None:
    await _login(page)
    await page.goto("/cases")
    await page.locator("tr", has_text="Marc Dubois").get_by_role("link").first.click()
    await page.get_by_role("link", name="Programmer une convocation").click()
    form_url = page.url
    await page.fill("#f-place", "Salle gardée pendant la reconnexion")
    await page.fill("#f-purpose", "Texte tapé avant la fin de la session")
    # The session ends on the server: its cookie no longer opens anything.
    await page.context.add_cookies([{"name": "pt_session", "value": "ended", "url": live_server}])
    await page.get_by_role("button", name="Programmer la convocation").click()
    await page.wait_for_url(lambda url: "/login" in url)
    # The login page says the session ended (in the browser's language: nobody is logged in).
    await expect(page.locator("main .flash.warning")).to_be_visible()
    await page.fill("#email", ANNE)
    await page.fill("#password", DEMO_PASSWORD)
    await page.locator("main form button[type=submit]").click()
    await page.wait_for_url(form_url)
    await expect(page.locator("#f-place")).to_have_value("Salle gardée pendant la reconnexion")
    await expect(page.locator("#f-purpose")).to_have_value("Texte tapé avant la fin de la session")
    await expect(page.locator(".draft-restored")).to_be_visible()
    await check_accessibility(page, "form restored after logging in again")
    await screenshot(page, "form-kept-across-login")
