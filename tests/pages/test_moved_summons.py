"""A moved summons: the case page offers the new letter and calendar entry only, and says the
old ones are cancelled."""

from __future__ import annotations

from datetime import timedelta

from perp_track.summons.schemas import SummonsCreate
from perp_track.summons.services import schedule_summons
from tests.pages.conftest import Browser
from tests.world import World


async def test_a_moved_summons_offers_only_the_new_letter(browser: Browser, world: World):
    case = await world.open_case()
    old = await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        data=SummonsCreate(scheduled_at=world.soon(days=7), modality="in_person"),
        clock=world.clock,
    )
    await browser.login(world.ja.email)
    await browser.get(f"/summons/{old.id}/reschedule")
    new_time = (world.soon(days=9) + timedelta(hours=4)).astimezone(world.clock.now().tzinfo)
    r = await browser.post(
        f"/summons/{old.id}/reschedule",
        {
            "scheduled_at": new_time.strftime("%Y-%m-%dT%H:%M"),
            "reason": "His lawyer is in court",
            "requested_by": "lawyer",
            "version": str(old.version),
        },
    )
    assert r.status_code == 303, r.text
    page = (await browser.get(f"/cases/{case.id}")).text
    rows = {chunk.split('"', 1)[0]: chunk for chunk in page.split('<tr id="summons-')[1:]}
    [new_id] = [k for k in rows if k != str(old.id)]
    assert f'href="/summons/{old.id}/letter"' not in page
    assert f'href="/summons/{old.id}/calendar.ics"' not in page
    assert "cette lettre et cette entrée d'agenda sont annulées" in rows[str(old.id)]
    assert f'href="/summons/{new_id}/letter"' in rows[new_id]
    assert f'href="/summons/{new_id}/calendar.ics"' in rows[new_id]
