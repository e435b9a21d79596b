"""Jobs that change what is already recorded, walked from the home page in a real browser, in
French and in Dutch, on a 390 px phone where the role works on one: a justice assistant adds a
condition to a running measure, ends a measure early with its reason and changes the
perpetrator's phone; a supervisor gives the case to another justice assistant; programme staff
do a roll-call; a police officer acknowledges feedback. Each wrong entry gets an error that
names its field, and the case is read back through the API to prove that nothing changed.

Each test makes its own records through the API (a case, a session, a notice) so that the demo's
own records, which other browser tests rely on, stay as they are."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from tests.browser.conftest import (
    ANNE,
    DEMO_PASSWORD,
    KARIM,
    LUC,
    PIETER,
    SOPHIE,
    check_accessibility,
    fits_the_screen,
    login,
    screenshot,
)

ELS = "els.peeters@police-liege.example"  # police officer, Dutch
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

WORDS = {
    "fr": {
        "cases": "Trouver un dossier",
        "all_cases": "Tous les dossiers de la maison de justice",
        "save_change": "Enregistrer la modification",
        "phone_saved": "Son nouveau numéro est enregistré",
        "shared_phone": "ne peuvent pas avoir le même numéro",
        "add_condition_button": "Ajouter la condition",
        "condition_added": "Condition ajoutée.",
        "continue": "Continuer",
        "confirm_end": "Confirmer : terminer la mesure",
        "closed": "La mesure est clôturée.",
        "lifted": "Levée",
        "assign": "Attribuer le dossier",
        "assigned": "Le dossier est attribué",
        "sessions": "Séances",
        "present": "Présent",
        "save_roll_call": "Enregistrer l'appel",
        "roll_call_saved": "Appel enregistré.",
        "messages": "Messages",
        "acknowledge": "Accuser réception de ce retour",
        "acknowledged": "Réception confirmée",
    },
    "nl": {
        "cases": "Dossier zoeken",
        "all_cases": "Alle dossiers van het justitiehuis",
        "save_change": "De wijziging opslaan",
        "phone_saved": "Zijn nieuw nummer is opgeslagen",
        "shared_phone": "kunnen geen telefoonnummer delen",
        "add_condition_button": "De voorwaarde toevoegen",
        "condition_added": "Voorwaarde toegevoegd.",
        "continue": "Verder",
        "confirm_end": "Bevestigen: de maatregel beëindigen",
        "closed": "De maatregel is afgesloten.",
        "lifted": "Opgeheven",
        "assign": "Het dossier toewijzen",
        "assigned": "Het dossier is toegewezen",
        "sessions": "Sessies",
        "present": "Aanwezig",
        "save_roll_call": "De aanwezigheden opslaan",
        "roll_call_saved": "Aanwezigheden opgeslagen.",
        "messages": "Berichten",
        "acknowledge": "Ontvangst van deze terugkoppeling bevestigen",
        "acknowledged": "Ontvangst bevestigd",
    },
}


class Api:
    """The live server's JSON API, logged in as one demo user."""

    def __init__(self, client: httpx.AsyncClient, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    async def get(self, path: str) -> Any:
        r = await self.client.get(path, headers=self.headers)
        assert r.status_code == 200, r.text
        return r.json()

    async def post(self, path: str, body: dict[str, Any], status: int = 200) -> Any:
        r = await self.client.post(path, json=body, headers=self.headers)
        assert r.status_code in (status, 201), r.text
        return r.json()


@pytest.fixture
async def api(live_server: str) -> AsyncIterator[Any]:
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as client:

        async def as_user(email: str) -> Api:
            r = await client.post(
                "/api/auth/login", json={"email": email, "password": DEMO_PASSWORD}
            )
            assert r.status_code == 200, r.text
            return Api(client, r.json()["token"])

        yield as_user


@pytest.fixture
async def tabs(browser: Any, live_server: str) -> AsyncIterator[Any]:
    contexts = []

    async def open_tab(viewport: dict[str, int]) -> Any:
        context = await browser.new_context(
            base_url=live_server, bypass_csp=True, viewport=viewport
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        return await context.new_page()

    yield open_tab
    for context in contexts:
        await context.close()


def _unchanged(case: dict[str, Any]) -> tuple[Any, ...]:
    """What a refused change must leave as it was: the version, the people, the timeline."""
    return (
        case["version"],
        case["perpetrator"],
        case["assigned_ja"],
        len(case["timeline"]),
        [(m["status"], m["version"], len(m["conditions"])) for m in case["measures"]],
    )


async def _case_with_running_measure(ja: Api, officer_id: int, surname: str) -> dict[str, Any]:
    today = datetime.now(UTC).date().isoformat()
    case = await ja.post(
        "/api/cases",
        {
            "mandating_authority": "prosecutor",
            "referring_officer_id": officer_id,
            "risk_level": "medium",
            "perpetrator": {"first_name": "Ruben", "last_name": surname, "phone": "+447700900950"},
            "victim": {"first_name": "Ines", "last_name": surname, "phone": "+447700900951"},
        },
        status=201,
    )
    measure = await ja.post(
        f"/api/cases/{case['id']}/measures",
        {
            "kind": "mediation_216ter",
            "decided_by": "Parquet de Liège",
            "decided_on": today,
            "starts_on": today,
        },
        status=201,
    )
    await ja.post(
        f"/api/measures/{measure['id']}/transitions",
        {"event": "start", "reason": "Intake held", "version": measure["version"]},
    )
    return await ja.get(f"/api/cases/{case['id']}")


@pytest.mark.parametrize(
    ("language", "who", "colleague", "viewport"),
    [("fr", ANNE, "Pieter Janssens", DESKTOP), ("nl", PIETER, "Anne Lambert", PHONE)],
)
async def test_a_justice_assistant_changes_a_running_case(
    tabs: Any, api: Any, language: str, who: str, colleague: str, viewport: dict[str, int]
) -> None:
    words = WORDS[language]
    ja = await api(who)
    officer = await (await api(LUC)).get("/api/auth/me")
    surname = f"Verhoeven-{uuid.uuid4().hex[:6]}"
    case = await _case_with_running_measure(ja, officer["id"], surname)
    measure_id = case["measures"][0]["id"]

    tab = await tabs(viewport)
    await tab.goto("/")
    await login(tab, who)
    nav = tab.locator("nav.site-nav")
    await nav.get_by_role("link", name=words["cases"], exact=True).first.click()
    await tab.get_by_role("link", name=case["reference"]).click()
    await expect(tab.locator("h1")).to_contain_text(case["reference"])
    await check_accessibility(tab, f"case page with change links ({language})")
    assert await fits_the_screen(tab)
    await screenshot(tab, f"change-{language}-case-page")

    # The perpetrator's phone: the victim's number and a malformed one are refused on the field.
    await tab.locator(f'a[href="/cases/{case["id"]}/perpetrator/phone"]').click()
    for wrong, says in (("+447700900951", words["shared_phone"]), ("0470 12", None)):
        await tab.fill("#f-phone", wrong)
        await tab.get_by_role("button", name=words["save_change"]).click()
        await expect(tab.locator("#f-phone")).to_have_attribute("aria-invalid", "true")
        await expect(tab.locator(".error-summary a[href='#f-phone']")).to_be_visible()
        if says:
            await expect(tab.locator(".error-summary")).to_contain_text(says)
        assert _unchanged(await ja.get(f"/api/cases/{case['id']}")) == _unchanged(case)
    await check_accessibility(tab, f"perpetrator phone refused ({language})")
    await screenshot(tab, f"change-{language}-phone-refused")
    await tab.fill("#f-phone", "+44 7700 900952")
    await tab.get_by_role("button", name=words["save_change"]).click()
    await expect(tab.locator(".flash")).to_contain_text(words["phone_saved"])
    await expect(tab.locator("#person")).to_contain_text("+447700900952")
    case = await ja.get(f"/api/cases/{case['id']}")

    # A condition added to the running measure: no kind, then hours missing, then right.
    await tab.locator(f'a[href="/measures/{measure_id}/conditions/new"]').click()
    await tab.get_by_role("button", name=words["add_condition_button"]).click()
    await expect(tab.locator("#f-condition-kind")).to_have_attribute("aria-invalid", "true")
    assert _unchanged(await ja.get(f"/api/cases/{case['id']}")) == _unchanged(case)
    await tab.select_option("#f-condition-kind", "community_service")
    await tab.get_by_role("button", name=words["add_condition_button"]).click()
    await expect(tab.locator("#f-condition-hours_due")).to_have_attribute("aria-invalid", "true")
    assert _unchanged(await ja.get(f"/api/cases/{case['id']}")) == _unchanged(case)
    await check_accessibility(tab, f"condition refused ({language})")
    await tab.fill("#f-condition-hours_due", "30")
    await tab.get_by_role("button", name=words["add_condition_button"]).click()
    await expect(tab.locator(".flash")).to_contain_text(words["condition_added"])
    case = await ja.get(f"/api/cases/{case['id']}")
    assert "community_service" in [c["kind"] for c in case["measures"][0]["conditions"]]

    # Ended early: no choice, then no reason, each on its field; then checked and confirmed.
    await tab.locator(f'a[href="/measures/{measure_id}/close"]').click()
    await tab.get_by_role("button", name=words["continue"]).click()
    await expect(tab.locator("#f-event-error")).to_be_visible()
    await tab.locator("input[name=event][value=lift]").check()
    await tab.get_by_role("button", name=words["continue"]).click()
    await expect(tab.locator("#f-reason")).to_have_attribute("aria-invalid", "true")
    assert _unchanged(await ja.get(f"/api/cases/{case['id']}")) == _unchanged(case)
    await check_accessibility(tab, f"end early refused ({language})")
    await tab.locator("input[name=event][value=lift]").check()
    await tab.fill("#f-reason", "Le parquet a retiré la mesure le 30/11")
    await tab.get_by_role("button", name=words["continue"]).click()
    await expect(tab.get_by_role("button", name=words["confirm_end"])).to_be_visible()
    await check_accessibility(tab, f"end early, check before confirming ({language})")
    await screenshot(tab, f"change-{language}-end-early-check")
    assert _unchanged(await ja.get(f"/api/cases/{case['id']}")) == _unchanged(case)
    await tab.get_by_role("button", name=words["confirm_end"]).click()
    await expect(tab.locator(".flash")).to_contain_text(words["closed"])
    await expect(tab.locator(f"#measure-{measure_id}")).to_contain_text(words["lifted"])

    # The supervisor gives the case to a colleague, from her home page (always French: Sophie).
    boss = await tabs(viewport)
    await boss.goto("/")
    await login(boss, SOPHIE)
    await boss.locator("nav.site-nav").get_by_role("link", name=WORDS["fr"]["cases"]).first.click()
    await boss.get_by_role("link", name=WORDS["fr"]["all_cases"]).click()
    await boss.get_by_role("link", name=case["reference"]).click()
    await boss.locator(f'a[href="/cases/{case["id"]}/assignment"]').click()
    await boss.get_by_role("button", name=WORDS["fr"]["assign"]).click()
    await expect(boss.locator("#f-reason")).to_have_attribute("aria-invalid", "true")
    case = await ja.get(f"/api/cases/{case['id']}")
    before = _unchanged(case)
    await boss.select_option("#f-assigned_ja_id", label=colleague)
    await boss.fill("#f-reason", "Répartition de la charge de travail")
    await boss.get_by_role("button", name=WORDS["fr"]["assign"]).click()
    await expect(boss.locator(".flash")).to_contain_text(WORDS["fr"]["assigned"])
    await expect(boss.locator("#mandate")).to_contain_text(colleague)
    after = await (await api(SOPHIE)).get(f"/api/cases/{case['id']}")
    assert after["assigned_ja"]["name"] == colleague and _unchanged(after) != before
    await screenshot(boss, f"change-{language}-assigned")


async def _choose_language(tab: Any, name: str) -> None:
    """The language switch; on a phone it folds behind the "language and account" button."""
    toggle = tab.locator("button.menu-toggle")
    if await toggle.is_visible():
        await toggle.click()
    await tab.get_by_role("button", name=name).click()


async def _session_starting_soon(staff: Api, title: str) -> int:
    referrals = await staff.get("/api/programme/referrals")
    ids = [r["condition_id"] for r in referrals[:3]]
    assert ids, "the demo refers people to Praxis"
    session = await staff.post(
        "/api/programme/sessions",
        {
            "title": title,
            "starts_at": (datetime.now(UTC) + timedelta(seconds=6)).isoformat(),
            "participants": ids,
        },
        status=201,
    )
    return int(session["id"])


async def test_programme_staff_do_a_roll_call_in_two_languages_on_a_phone(
    tabs: Any, api: Any
) -> None:
    staff = await api(KARIM)
    titles = {lang: f"Groupe {lang.upper()} {uuid.uuid4().hex[:5]}" for lang in ("fr", "nl")}
    sessions = {lang: await _session_starting_soon(staff, t) for lang, t in titles.items()}
    await asyncio.sleep(7)  # a roll-call is recorded once the session has begun
    tab = await tabs(PHONE)
    await tab.goto("/")
    await login(tab, KARIM)
    try:
        for language in ("fr", "nl"):
            words = WORDS[language]
            if language == "nl":
                await _choose_language(tab, "Nederlands")
                await expect(tab.locator("html")).to_have_attribute("lang", "nl")
            await tab.goto("/")
            await tab.locator("nav.site-nav").get_by_role("link", name=words["sessions"]).click()
            await tab.get_by_role("link", name=titles[language]).click()
            participants = tab.locator("fieldset.participant")
            count = await participants.count()
            assert count >= 1
            before = await staff.get(f"/api/programme/sessions/{sessions[language]}")
            # Nobody marked: the page says who is missing, and nothing is recorded.
            await tab.get_by_role("button", name=words["save_roll_call"]).click()
            await expect(tab.locator(".error-summary")).to_be_visible()
            after = await staff.get(f"/api/programme/sessions/{sessions[language]}")
            assert after == before
            await check_accessibility(tab, f"roll-call refused ({language})")
            assert await fits_the_screen(tab)
            for i in range(count):
                await participants.nth(i).get_by_label(words["present"], exact=True).check()
            await screenshot(tab, f"roll-call-{language}-phone")
            await tab.get_by_role("button", name=words["save_roll_call"]).click()
            await expect(tab.locator(".flash")).to_have_text(words["roll_call_saved"])
            saved = await staff.get(f"/api/programme/sessions/{sessions[language]}")
            assert saved["roll_call_at"]
    finally:
        # His profile's language is French again for the other tests.
        await _choose_language(tab, "Français")


@pytest.mark.parametrize(("language", "officer"), [("fr", LUC), ("nl", ELS)])
async def test_a_police_officer_acknowledges_feedback_on_a_phone(
    tabs: Any, api: Any, language: str, officer: str
) -> None:
    words = WORDS[language]
    police = await api(officer)
    me = await police.get("/api/auth/me")
    ja = await api(ANNE)
    surname = f"Maes-{uuid.uuid4().hex[:6]}"
    case = await _case_with_running_measure(ja, me["id"], surname)
    # A change of address tells the referring officer (DOMAIN §4): feedback to acknowledge.
    await ja.post(
        f"/api/cases/{case['id']}/perpetrator",
        {"address": "Rue des Guillemins 2, 4000 Liège", "version": case["version"]},
    )
    tab = await tabs(PHONE)
    await tab.goto("/")
    await login(tab, officer)
    await expect(tab.locator("html")).to_have_attribute("lang", language)
    message = tab.locator("li.message", has_text=case["reference"])
    for _ in range(40):  # the server's dispatcher delivers in-app messages within seconds
        await tab.locator("nav.site-nav").get_by_role("link", name=words["messages"]).click()
        if await message.count():
            break
        await asyncio.sleep(0.5)
    await expect(message).to_have_count(1)
    await check_accessibility(tab, f"police inbox ({language})")
    assert await fits_the_screen(tab)
    await message.get_by_role("button", name=words["acknowledge"]).click()
    await expect(tab.locator(".flash")).to_contain_text(words["acknowledged"])
    await expect(message.get_by_role("button", name=words["acknowledge"])).to_have_count(0)
    await screenshot(tab, f"police-{language}-acknowledged-phone")
    # The PV search finds nothing of another officer's cases, and this one by its reference.
    await tab.goto("/referred")
    await tab.fill("#f-search", case["reference"])
    await tab.locator("main form button[type=submit]").first.click()
    await expect(tab.locator("main")).to_contain_text(surname)
    await check_accessibility(tab, f"referred search ({language})")
