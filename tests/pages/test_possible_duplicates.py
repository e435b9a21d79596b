"""Opening a case for a person who may already have one: the match is shown with a link, and
the justice assistant goes to it or opens a new case knowingly."""

from __future__ import annotations

from datetime import date

from perp_track.cases.tables import Case
from tests.pages.conftest import Browser
from tests.world import World


def _form(world: World, **perpetrator: str) -> dict[str, str]:
    return {
        "mandating_authority": "prosecutor",
        "risk_level": "medium",
        "referring_officer_id": str(world.officer.id),
        **{f"perpetrator.{k}": v for k, v in perpetrator.items()},
    }


async def _existing(world: World):  # type: ignore[no-untyped-def]
    return await world.open_case(
        perpetrator=world.case_data().perpetrator.model_copy(
            update={"birth_date": date(1985, 3, 14), "phone": "+447700900555"}
        )
    )


async def test_the_same_name_and_birth_date_is_shown_then_the_case_opened_knowingly(
    browser: Browser, world: World
):
    existing = await _existing(world)
    await browser.login(world.ja.email)
    await browser.get("/cases/new")
    same = _form(world, first_name="marc", last_name="DUBOIS", birth_date="1985-03-14")
    r = await browser.post("/cases/new", same)
    assert r.status_code == 200
    assert "Cette personne a peut-être déjà un dossier" in r.text
    assert f'href="/cases/{existing.id}"' in r.text
    assert "même nom et même date de naissance" in r.text
    assert 'name="duplicate" value="go-on"' in r.text
    assert await Case.count() == 1
    # Knowingly: the check of the answers, which keeps the choice, then the case.
    r = await browser.post("/cases/new", {**same, "duplicate": "go-on"})
    assert r.status_code == 200
    assert "Vérifiez le dossier avant de l" in r.text
    assert 'name="duplicate" value="go-on"' in r.text
    assert await Case.count() == 1
    r = await browser.post("/cases/new", {**same, "duplicate": "go-on", "step": "create"})
    assert r.status_code == 303
    assert await Case.count() == 2


async def test_the_same_phone_is_shown(browser: Browser, world: World):
    await _existing(world)
    await browser.login(world.ja.email)
    await browser.get("/cases/new")
    r = await browser.post(
        "/cases/new", _form(world, first_name="M.", last_name="Dubois-X", phone="+447700900555")
    )
    assert r.status_code == 200
    assert "même téléphone" in r.text and await Case.count() == 1


async def test_a_name_alone_or_another_house_s_case_warns_nobody(
    browser: Browser, world: World, other_browser: Browser
):
    await _existing(world)
    await browser.login(world.ja.email)
    await browser.get("/cases/new")
    r = await browser.post("/cases/new", _form(world, first_name="Marc", last_name="Dubois"))
    assert r.status_code == 200 and "peut-être déjà un dossier" not in r.text
    r = await browser.post(
        "/cases/new", {**_form(world, first_name="Marc", last_name="Dubois"), "step": "create"}
    )
    assert r.status_code == 303
    await other_browser.login(world.other_house_ja.email)
    await other_browser.get("/cases/new")
    r = await other_browser.post(
        "/cases/new",
        {
            **_form(world, first_name="Marc", last_name="Dubois", phone="+447700900555"),
            "referring_officer_id": "",
            "step": "create",
        },
    )
    assert r.status_code == 303, r.text
    assert await Case.count() == 3
