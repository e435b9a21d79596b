"""The way back to the list a form was reached from: carried by the forms, offered by the
confirmation, and never anything but one of our own lists (no open redirect)."""

from __future__ import annotations

from tests.world import World

SORTED = "/caseload?sort=reference&order=desc&page=1"
HOSTILE = ("//evil.example/caseload", "https://evil.example/caseload", "/\\evil.example")


async def test_the_form_carries_the_way_back_and_the_confirmation_offers_it(browser, world: World):
    case = await world.open_case()
    await browser.login(world.ja.email)
    form = await browser.get(
        f"/cases/{case.id}/summons/new?return=%2Fcaseload%3Fsort%3Dreference%26order%3Ddesc%26page%3D1"
    )
    assert f'name="return" value="{SORTED.replace("&", "&amp;")}"' in form.text
    # Shown again with an error, the form still carries it.
    again = await browser.post(
        f"/cases/{case.id}/summons/new",
        {"scheduled_at": "", "modality": "in_person", "return": SORTED},
    )
    assert again.status_code == 422
    assert 'name="return" value="/caseload?sort=reference' in again.text
    done = await browser.post(
        f"/cases/{case.id}/summons/new",
        {"scheduled_at": "2026-03-10T10:00", "modality": "in_person", "return": SORTED},
    )
    assert done.status_code == 303
    landing = await browser.get(done.headers["location"])
    back = landing.text.split('id="confirmation"')[1].split('class="back-to-list"')[1][:200]
    assert f'href="{SORTED.replace("&", "&amp;")}"' in back
    assert "Retour au portefeuille" in back
    # The case page keeps carrying it: its links to the next forms have it too.
    assert "?return=/caseload%3Fsort%3Dreference%26order%3Ddesc" in landing.text


async def test_a_hostile_return_is_never_followed_nor_carried(browser, world: World):
    case = await world.open_case()
    await browser.login(world.ja.email)
    for hostile in HOSTILE:
        page = await browser.get(f"/cases/{case.id}/summons/new", params={"return": hostile})
        assert page.status_code == 200
        assert 'name="return"' not in page.text and "evil" not in page.text
        done = await browser.post(
            f"/cases/{case.id}/summons/new",
            {"scheduled_at": "2026-03-10T10:00", "modality": "in_person", "return": hostile},
        )
        assert done.status_code == 303
        assert done.headers["location"].startswith(f"/cases/{case.id}")
        landing = await browser.get(done.headers["location"])
        assert "evil" not in landing.text
        assert "back-to-list" not in landing.text
