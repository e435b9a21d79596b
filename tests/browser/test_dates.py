"""Dates as a Belgian reads them in every language ("Thu 10 December 2026, 10:00": day before
month, 24-hour clock, no seconds, the weekday on a summons), and a warning when a summons is
set on a weekend or on a Belgian public holiday."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from playwright.async_api import expect

from tests.browser.conftest import ANNE, check_accessibility, login, screenshot

BRUSSELS = ZoneInfo("Europe/Brussels")
LONG_EN = re.compile(
    r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} (January|February|March|April|May|June|July"
    r"|August|September|October|November|December) \d{4}, \d{2}:\d{2}\b"
)


def _next_saturday() -> date:
    day = datetime.now(BRUSSELS).date() + timedelta(days=2)
    return day + timedelta(days=(5 - day.weekday()) % 7)


def _next_weekday_holiday() -> tuple[date, str]:
    start = datetime.now(BRUSSELS).date() + timedelta(days=2)
    found = holidays.country_holidays("BE", years=[start.year, start.year + 1], language="fr")
    return next(
        (day, str(name))
        for day, name in sorted(found.items())
        if day >= start and day.weekday() < 5
    )


async def _schedule(tab: Any, case_url: str, day: date, place: str) -> None:
    await tab.goto(case_url)
    await tab.get_by_role("link", name="Programmer une convocation").click()
    await tab.fill("#f-scheduled_at", f"{day.isoformat()}T10:00")
    await tab.fill("#f-place", place)
    await tab.get_by_role("button", name="Programmer la convocation").click()
    await expect(tab.locator(".flash").first).to_have_text("Convocation programmée.")


async def test_a_summons_on_a_weekend_or_a_public_holiday_is_flagged(page: Any) -> None:
    await login(page, ANNE)
    await page.goto("/cases")
    await page.locator("tr", has_text="Marc Dubois").get_by_role("link").first.click()
    case_url = page.url.split("#")[0].split("?")[0]

    saturday = _next_saturday()
    await _schedule(page, case_url, saturday, "Bureau du samedi")
    warning = page.locator(".warning-text")
    await expect(warning).to_contain_text("est un jour de week-end")
    # The weekday and the Belgian numeric date, no seconds.
    row = page.locator("#summons tr", has_text="Bureau du samedi")
    await expect(row).to_contain_text(f"sam. {saturday.strftime('%d/%m/%Y')} 10:00")
    await expect(row.locator(".tag.warn")).to_contain_text("jour de week-end")
    await check_accessibility(page, "summons on a weekend")

    holiday, name = _next_weekday_holiday()
    await _schedule(page, case_url, holiday, "Bureau du jour férié")
    await expect(page.locator(".warning-text")).to_contain_text(
        f"est un jour férié en Belgique ({name})"
    )
    row = page.locator("#summons tr", has_text="Bureau du jour férié")
    await expect(row.locator(".tag.warn")).to_contain_text("jour férié")
    await screenshot(page, "summons-on-a-holiday")


async def test_dates_in_english_follow_belgian_conventions(page: Any) -> None:
    await login(page, ANNE)
    await page.goto("/cases")
    await page.locator("tr", has_text="Marc Dubois").get_by_role("link").first.click()
    reschedule = page.locator("#summons a[href*='/reschedule']").first
    href = await reschedule.get_attribute("href")
    await page.get_by_role("button", name="English").click()
    try:
        await expect(page.locator("html")).to_have_attribute("lang", "en")
        text = await page.locator("#summons table").inner_text()
        # "Thu 10/12/2026 14:30" in the case's table: never "12/10/26" nor "2:30 PM".
        assert re.search(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{2}/\d{2}/\d{4} \d{2}:\d{2}\b", text)
        assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{2}\b|\b[AP]M\b|\d{2}:\d{2}:\d{2}", text)
        await page.goto(str(href))
        planned = await page.locator("main").inner_text()
        assert LONG_EN.search(planned), planned
        assert not re.search(r"\b[AP]M\b|\d{2}:\d{2}:\d{2}", planned)
        await page.goto("/")
        home = await page.locator("main").inner_text()
        assert not re.search(r"\b[AP]M\b|\d{2}:\d{2}:\d{2}|\b\d{1,2}/\d{1,2}/\d{2}\b", home), home
    finally:
        await page.get_by_role("button", name="Français").click()
        await expect(page.locator("html")).to_have_attribute("lang", "fr")
