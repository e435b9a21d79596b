"""The SAPV contact's job at 390 px, in French and in Dutch: record the victim's consent, see
her code and "waiting for confirmation", send the request once more, and after her reply by SMS
(the signed inbound webhook, as Twilio posts it) see her number confirmed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.async_api import expect
from twilio.request_validator import RequestValidator

from perp_track.demo.cases import CASES
from perp_track.demo.phones import demo_phone
from tests.browser.conftest import (
    NADIA,
    TWILIO_TOKEN,
    check_accessibility,
    fits_the_screen,
    screenshot,
    signed_in_tab,
)

WORDS = {
    "fr": {
        "waiting": "En attente de confirmation",
        "resend": "Renvoyer la demande",
        "resent": "La demande est renvoyée",
        "used": "déjà été renvoyée une fois",
        "confirmed": "Confirmé",
    },
    "nl": {
        "waiting": "Wacht op bevestiging",
        "resend": "Het verzoek opnieuw versturen",
        "resent": "Het verzoek wordt opnieuw",
        "used": "al één keer opnieuw verstuurd",
        "confirmed": "Bevestigd",
    },
}


def _victim(first: str) -> tuple[str, str]:
    """A demo victim with no consent yet: her name and her (fictional) number."""
    for number, case in enumerate(CASES, start=1):
        if case.victim and case.victim[0] == first:
            return f"{case.victim[0]} {case.victim[1]}", demo_phone(100 + number)
    raise AssertionError(first)


async def _switch_language(tab: Any, language: str) -> None:
    # The switch folds behind a button on a phone: its form is submitted as the button would.
    async with tab.expect_navigation():
        await tab.evaluate(
            "lang => document.querySelector(`.lang-form button[value=${lang}]`).click()", language
        )


async def _reply(tab: Any, live_server: str, phone: str, body: str) -> None:
    """Her SMS, posted to the inbound webhook as Twilio would, signature and all."""
    url = f"{live_server}/api/twilio/inbound"
    params = {"MessageSid": f"SMbrowser{phone[-4:]}", "From": phone, "To": "+32460000000",
              "Body": body}  # fmt: skip
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(url, params)
    response = await tab.request.post(url, form=params, headers={"X-Twilio-Signature": signature})
    assert response.status == 200, await response.text()


@pytest.mark.parametrize(("language", "first"), [("fr", "Monique"), ("nl", "An")])
async def test_sapv_contact_confirms_the_victims_number_with_her(
    browser: Any, live_server: str, language: str, first: str
) -> None:
    words = WORDS[language]
    name, phone = _victim(first)
    async with signed_in_tab(browser, live_server, NADIA) as tab:
        if language != "fr":
            await _switch_language(tab, language)
        try:
            await tab.goto("/")
            await tab.goto("/victims")
            await tab.get_by_role("link", name=name).click()
            consent = tab.locator('form[action$="/consent"]')
            await consent.locator('input[name="confirm"]').check()
            await consent.locator('button[type="submit"]').click()

            # Where she lands: the code to give her, and "waiting for confirmation".
            await expect(tab.locator("#number-status")).to_have_text(words["waiting"])
            code = (await tab.locator("#number-code .big-code").inner_text()).strip()
            assert re.fullmatch(r"\d{6}", code)
            assert await fits_the_screen(tab)
            await check_accessibility(tab, f"victim number waiting ({language})")
            await screenshot(tab, f"job-sapv-{language}-number-code")

            # The request once more; then no more, and the code no longer on screen.
            await tab.get_by_role("button", name=words["resend"]).click()
            await expect(tab.locator(".flash")).to_contain_text(words["resent"])
            await expect(tab.locator("#number")).to_contain_text(words["used"])
            await expect(tab.get_by_role("button", name=words["resend"])).to_have_count(0)
            await expect(tab.locator("#number-code")).to_have_count(0)

            # She replies with her code: confirmed.
            await _reply(tab, live_server, phone, code)
            await tab.reload()
            await expect(tab.locator("#number-status")).to_have_text(words["confirmed"])
            assert code not in await tab.content()
            assert await fits_the_screen(tab)
            await check_accessibility(tab, f"victim number confirmed ({language})")
            await screenshot(tab, f"job-sapv-{language}-number-confirmed")
        finally:
            if language != "fr":
                await _switch_language(tab, "fr")  # the demo's Nadia reads French
