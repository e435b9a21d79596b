"""The SAPV contact changes the victim's phone: the old number receives nothing more, queued
messages included; a perpetrator's number or a malformed one is refused, naming the field."""

from __future__ import annotations

from perp_track.cases.tables import Person
from perp_track.notify.dispatch.batch import dispatch_once
from perp_track.notify.tables import Notification
from tests.fakes.fixtures import *  # noqa: F403
from tests.notify_helpers import confirm_number, consenting_case, open_ban
from tests.pages.conftest import Browser
from tests.world import World

OLD = "+32470333444"  # the test world's victim
NEW = "+447700900777"


async def test_the_old_number_receives_nothing_more_from_the_change(
    browser: Browser, world: World, twilio, notify_settings, channels
):
    case = await consenting_case(world, safe_from="00:00", safe_until="23:59")
    assert case.victim is not None and case.victim.phone == OLD
    await open_ban(world, case.id)  # a message for her waits in the outbox
    assert await Notification.exists().where(Notification.audience == "victim")
    await browser.login(world.sapv.email)
    page = (await browser.get(f"/victims/{case.victim.id}")).text
    assert f'action="/victims/{case.victim.id}/phone"' in page
    version = page.split('name="version" value="')[-1].split('"')[0]
    url = f"/victims/{case.victim.id}/phone"
    # The perpetrator's number, then a malformed one: refused on the field, nothing changed.
    for wrong in ("+32470111222", "0470 12"):
        r = await browser.post(url, {"phone": wrong, "version": version})
        assert r.status_code == 422, wrong
        assert 'id="f-phone-error"' in r.text
    row = await Person.select(Person.phone).where(Person.id == case.victim.id).first()
    assert row["phone"] == OLD
    r = await browser.post(url, {"phone": NEW, "version": version})
    assert r.status_code == 303, r.text
    # An old tab: the version moved on.
    r = await browser.post(url, {"phone": "+447700900778", "version": version})
    assert r.status_code == 409

    await dispatch_once(settings=notify_settings, clock=world.clock, channels=channels)
    # The new number first confirms it is hers: only the request to confirm it goes there.
    to = [m["to"] for m in twilio.messages.values()]
    assert to == [NEW]
    update = await Notification.select().where(
        (Notification.audience == "victim") & (Notification.template != "number_confirmation")
    )
    assert [(u["state"], u["error_code"]) for u in update] == [("held", "unconfirmed")]
    await confirm_number(world, case.victim.id)
    await dispatch_once(settings=notify_settings, clock=world.clock, channels=channels)
    to = [m["to"] for m in twilio.messages.values()]
    assert to == [NEW, NEW]
    assert OLD not in to
