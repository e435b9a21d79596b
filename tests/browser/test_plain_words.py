"""Plain words where the pages spoke the developers' language: what each scheduled job does,
and the caseload search's hint."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from tests.browser.conftest import SOPHIE, check_accessibility, login


async def test_jobs_and_hints_speak_the_readers_language(page: Any) -> None:
    await login(page, SOPHIE)
    await page.goto("/jobs")
    table = page.locator("main table")
    await expect(table).to_contain_text("Envoyer les rappels de convocation")
    await expect(table).to_contain_text("Surveiller que les autres tâches tournent")
    await check_accessibility(page, "jobs in words")
    await page.goto("/caseload")
    hint = page.locator("#f-search-hint")
    await expect(hint).to_contain_text("référence de dossier")
    await expect(hint).not_to_contain_text("adresse")
