"""The SAPV contact's page for her number: the code shown where she lands after recording
consent (and on demand), never on a plain visit; resend once; a stale form refused, naming
what to do; a new code after three wrong ones."""

from __future__ import annotations

import re

from perp_track.cases.tables import CaseEvent
from tests.notify_helpers import consenting_case, reply_from
from tests.pages.conftest import Browser
from tests.world import World


def _code(page: str) -> str | None:
    found = re.search(r'class="big-code"[^>]*>(\d{6})<', page)
    return found.group(1) if found else None


def _version(page: str, action: str) -> str:
    form = page.split(f'action="{action}"')[1]
    return form.split('name="version" value="')[1].split('"')[0]


async def test_the_sapv_contact_gives_her_the_code_and_sees_her_number_confirmed(
    browser: Browser, world: World
):
    case = await consenting_case(world, consent=False)
    assert case.victim is not None
    victim = case.victim.id
    await browser.login(world.sapv.email)
    page = (await browser.get(f"/victims/{victim}")).text
    assert 'id="number-status">Non confirmé<' in page
    r = await browser.post(f"/victims/{victim}/consent", {"action": "record", "confirm": "yes"})
    assert r.status_code == 303
    page = (await browser.get(f"/victims/{victim}")).text
    code = _code(page)
    assert code is not None
    assert "En attente de confirmation" in page
    # Shown once: a plain visit does not show it again.
    assert _code((await browser.get(f"/victims/{victim}")).text) is None
    r = await browser.post(f"/victims/{victim}/number/code", {})
    assert r.status_code == 303
    assert _code((await browser.get(f"/victims/{victim}")).text) == code

    page = (await browser.get(f"/victims/{victim}")).text
    resend = f"/victims/{victim}/number/resend"
    version = _version(page, resend)
    for bad in ("", "zero"):
        r = await browser.post(resend, {"version": bad})
        assert r.status_code == 422 and 'id="f-version-error"' in r.text
    r = await browser.post(resend, {"version": str(int(version) + 5)})
    assert r.status_code == 409 and 'id="f-number-error"' in r.text
    r = await browser.post(resend, {"version": version})
    assert r.status_code == 303
    page = (await browser.get(f"/victims/{victim}")).text
    assert f'action="{resend}"' not in page
    r = await browser.post(
        resend, {"version": _version(page, f"/victims/{victim}/number/new-code")}
    )
    assert r.status_code == 422 and "déjà été renvoyée une fois" in r.text

    await reply_from(world, victim, code)
    page = (await browser.get(f"/victims/{victim}")).text
    assert 'id="number-status">Confirmé<' in page
    assert code not in page
    r = await browser.post(f"/victims/{victim}/number/code", {})
    assert r.status_code == 409
    # Every showing of the code is on the case's timeline, never the code itself.
    events = await CaseEvent.select(CaseEvent.kind, CaseEvent.data).where(CaseEvent.case == case.id)
    shown = [e for e in events if e["kind"] == "victim_number_code_shown"]
    assert len(shown) == 2
    assert code not in str(events)


async def test_after_three_wrong_codes_she_gets_a_new_one(browser: Browser, world: World):
    case = await consenting_case(world, confirm=False)
    assert case.victim is not None
    victim = case.victim.id
    for _ in range(3):
        await reply_from(world, victim, "999 999 9")
    await browser.login(world.sapv.email)
    page = (await browser.get(f"/victims/{victim}")).text
    assert "Bloqué : trois codes erronés" in page
    new_code = f"/victims/{victim}/number/new-code"
    r = await browser.post(new_code, {"version": _version(page, new_code)})
    assert r.status_code == 303
    page = (await browser.get(f"/victims/{victim}")).text
    code = _code(page)
    assert code is not None and "En attente de confirmation" in page
    await reply_from(world, victim, code)
    assert "Confirmé" in (await browser.get(f"/victims/{victim}")).text
