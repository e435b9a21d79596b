"""No page overflows a 390 px phone screen, for any role: the test follows every link a user
of each role can reach from their home page (one page of each kind), and measures the page."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import expect

from tests.browser.conftest import (
    ANNE,
    KARIM,
    LUC,
    NADIA,
    SOPHIE,
    check_accessibility,
    login,
    screenshot,
)

PHONE = {"width": 390, "height": 844}
# Downloads, documents printed on A4, and what leaves the session are not pages to measure here.
_SKIP = re.compile(r"\.(csv|ics|pdf)$|/letter|/report\?|format=pdf|/logout|/api/|/schema")


def _kind(path: str) -> str:
    """One page of each kind: /cases/12 and /cases/31 are the same page."""
    return re.sub(r"\d+", "N", path.split("#")[0])


async def _crawl(tab: Any, *, limit: int = 60) -> dict[str, int]:
    """Every page reachable by links from home, one of each kind, with its scroll width."""
    seen: set[str] = set()
    widths: dict[str, int] = {}
    queue = ["/"]
    while queue and len(widths) < limit:
        path = queue.pop(0)
        if _kind(path) in seen:
            continue
        seen.add(_kind(path))
        response = await tab.goto(path)
        if (
            response is None
            or response.status >= 400
            or "text/html" not in (response.headers.get("content-type") or "")
        ):
            continue
        widths[path] = int(await tab.evaluate("document.documentElement.scrollWidth"))
        hrefs = await tab.evaluate(
            """() => [...document.querySelectorAll('a[href]')]
                .map(a => new URL(a.href, location.href))
                .filter(u => u.origin === location.origin)
                .map(u => u.pathname + u.search)"""
        )
        for href in hrefs:
            if not _SKIP.search(href) and _kind(href) not in seen:
                queue.append(href)
    return widths


async def test_no_page_of_any_role_overflows_a_phone(browser: Any, live_server: str) -> None:
    too_wide: dict[str, dict[str, int]] = {}
    visited: dict[str, int] = {}
    for who in (ANNE, SOPHIE, KARIM, LUC, NADIA):
        context = await browser.new_context(base_url=live_server, viewport=PHONE)
        context.set_default_timeout(15_000)
        try:
            tab = await context.new_page()
            await login(tab, who)
            widths = await _crawl(tab)
            visited[who] = len(widths)
            wide = {path: width for path, width in widths.items() if width > PHONE["width"]}
            if wide:
                too_wide[who] = wide
                for n, path in enumerate(wide):
                    await tab.goto(path)
                    await screenshot(tab, f"too-wide-{who.split('@')[0]}-{n}")
        finally:
            await context.close()
    # Each role has more than its home page to show.
    assert all(count >= 3 for count in visited.values()), visited
    assert not too_wide, too_wide


async def test_the_header_folds_on_a_phone_and_works_without_scripts(
    browser: Any, live_server: str
) -> None:
    context = await browser.new_context(base_url=live_server, viewport=PHONE, bypass_csp=True)
    context.set_default_timeout(15_000)
    try:
        tab = await context.new_page()
        await login(tab, ANNE)
        header = tab.locator("header.site-header")
        height = (await header.bounding_box())["height"]
        # The brand and its button, then the main navigation: not a third of the screen.
        assert height <= 150, height
        toggle = tab.get_by_role("button", name="Langue et compte")
        await expect(toggle).to_have_attribute("aria-expanded", "false")
        await expect(tab.get_by_role("button", name="English")).to_be_hidden()
        nav = tab.get_by_role("navigation", name="Navigation principale")
        await expect(nav.get_by_role("link", name="Trouver un dossier", exact=True)).to_be_visible()
        await screenshot(tab, "header-phone-folded")
        await toggle.click()
        await expect(toggle).to_have_attribute("aria-expanded", "true")
        await expect(tab.get_by_role("button", name="English")).to_be_visible()
        await expect(tab.get_by_role("button", name="Se déconnecter")).to_be_visible()
        await check_accessibility(tab, "header unfolded on a phone")
        await screenshot(tab, "header-phone-open")
    finally:
        await context.close()

    # Without scripts nothing is folded away.
    context = await browser.new_context(
        base_url=live_server, viewport=PHONE, java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    try:
        tab = await context.new_page()
        await login(tab, ANNE)
        await expect(tab.get_by_role("button", name="English")).to_be_visible()
        await expect(tab.locator(".menu-toggle")).to_be_hidden()
    finally:
        await context.close()

    # On a wide screen everything is on one line and there is no button.
    context = await browser.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 900}
    )
    try:
        tab = await context.new_page()
        await login(tab, ANNE)
        await expect(tab.locator(".menu-toggle")).to_be_hidden()
        await expect(tab.get_by_role("button", name="English")).to_be_visible()
    finally:
        await context.close()
