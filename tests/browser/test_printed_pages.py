"""Printed pages keep their layout under the pages' own Content-Security-Policy
(style-src 'self'): the report to the mandating authority, the summons letter and the page behind
the feedback link in a police e-mail. The browser here does NOT bypass the policy, so an inline
<style> or style attribute would be blocked exactly as in the field."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from playwright.async_api import expect

from perp_track.config import DEFAULT_SECRET
from perp_track.notify.context import ack_token
from tests.browser.conftest import ANNE, LUC, check_accessibility, login, screenshot


async def _strict_tab(browser: Any, live_server: str, width: int = 1280) -> tuple[Any, Any]:
    context = await browser.new_context(
        base_url=live_server, bypass_csp=False, viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(15_000)
    tab = await context.new_page()
    blocked: list[str] = []
    tab.on(
        "console",
        lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    tab.blocked = blocked
    return context, tab


async def _style(tab: Any, selector: str, prop: str) -> str:
    return str(
        await tab.evaluate(
            "([s, p]) => getComputedStyle(document.querySelector(s)).getPropertyValue(p)",
            [selector, prop],
        )
    )


async def _a_case_with_a_summons(tab: Any) -> tuple[str, str]:
    await tab.goto("/cases")
    links = tab.locator("main table a[href^='/cases/']")
    # Read every link before leaving the list: the locator reads whatever page is shown.
    # A link carries the way back to the list (?return=...): keep the case's own path.
    hrefs = [
        (h or "").split("?")[0]
        for h in await links.evaluate_all("as => as.map(a => a.getAttribute('href'))")
    ]
    for href in hrefs:
        if not re.fullmatch(r"/cases/\d+", href):
            continue
        await tab.goto(href)
        letter = tab.locator("a[href$='/letter'], a[href*='/letter?']").first
        if await letter.count():
            return str(href), str(await letter.get_attribute("href"))
    raise AssertionError("the demo has no case with a summons letter")


async def test_the_report_and_the_letter_print_on_a4_under_the_policy(
    browser: Any, live_server: str
) -> None:
    context, tab = await _strict_tab(browser, live_server)
    try:
        await login(tab, ANNE)
        case_url, letter_url = await _a_case_with_a_summons(tab)
        today = datetime.now(ZoneInfo("Europe/Brussels")).date()
        await tab.goto(
            f"{case_url}/report?period_from={today.replace(day=1).isoformat()}"
            f"&period_to={today.isoformat()}&lang=fr"
        )
        await tab.emulate_media(media="print")
        # The report's stylesheet applied: its table borders collapse, its font is the print one.
        assert await _style(tab, "table", "border-collapse") == "collapse"
        assert "DejaVu Sans" in await _style(tab, "body", "font-family")
        assert await _style(tab, "header", "border-bottom-style") == "solid"
        await screenshot(tab, "print-report")

        await tab.emulate_media(media="screen")
        await tab.goto(letter_url)
        await tab.emulate_media(media="print")
        assert await _style(tab, "dl", "display") == "grid"
        assert await _style(tab, ".signature", "margin-top") != "0px"
        assert "DejaVu Sans" in await _style(tab, "body", "font-family")
        await screenshot(tab, "print-letter")
        assert not tab.blocked, tab.blocked
    finally:
        await context.close()


async def _feedback_token(tab: Any) -> str:
    await login(tab, LUC)
    await tab.goto("/inbox")
    form = tab.locator("form[action$='/acknowledge']").first
    action = str(await form.get_attribute("action"))
    notification_id = int(action.split("/")[2])
    # The server of the browser tests runs with the development secret.
    return ack_token(DEFAULT_SECRET, notification_id)


async def test_the_feedback_link_page_is_styled_and_in_the_officers_language(
    browser: Any, live_server: str
) -> None:
    context, tab = await _strict_tab(browser, live_server, width=390)
    try:
        token = await _feedback_token(tab)
        # The link is opened from a mail client, with no session and an English browser.
        await context.clear_cookies()
        await context.set_extra_http_headers({"Accept-Language": "en"})
        await tab.goto(f"/api/feedback/{token}")
        # Luc's profile is French: the page speaks French whatever the browser says.
        await expect(tab.locator("html")).to_have_attribute("lang", "fr")
        await expect(tab.locator("h1")).to_have_text("Accuser réception du retour")
        assert await _style(tab, ".site-header", "background-color") == "rgb(29, 79, 145)"
        assert await _style(tab, "button", "min-height") == "44px"
        assert await tab.evaluate("document.documentElement.scrollWidth <= 390")
        await screenshot(tab, "feedback-link-phone")
        await tab.get_by_role("button", name="Je l'ai lu").click()
        await expect(tab.locator("h1")).to_have_text("Retour confirmé")
        await tab.emulate_media(media="print")
        assert await _style(tab, ".site-header", "background-color") == "rgb(29, 79, 145)"
        assert not tab.blocked, tab.blocked
        await tab.goto(f"/api/feedback/{token[:-2]}00")
        await expect(tab.locator("h1")).to_have_text("This link is not valid")
    finally:
        await context.close()


async def test_the_feedback_link_page_passes_the_accessibility_check(page: Any) -> None:
    token = await _feedback_token(page)
    await page.context.clear_cookies()
    await page.goto(f"/api/feedback/{token}")
    await check_accessibility(page, "feedback link")


async def test_the_inbox_shows_a_button_not_the_e_mails_link(page: Any) -> None:
    await login(page, LUC)
    await page.goto("/inbox")
    feedback = page.locator(
        "li.message", has=page.get_by_role("button", name="Accuser réception de ce retour")
    )
    await expect(feedback.first).to_be_visible()
    await expect(page.locator("main")).not_to_contain_text("/api/feedback/")
