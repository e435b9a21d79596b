"""A condition's status changes from the case page, in two steps, with its version."""

from __future__ import annotations

from perp_track.measures.rules import ConditionKind, MeasureKind
from perp_track.measures.schemas import ConditionCreate
from perp_track.measures.tables import Condition
from perp_track.notify.tables import Notification
from tests.pages.conftest import Browser
from tests.world import World


async def test_breaching_a_contact_ban_is_confirmed_then_urgent(browser: Browser, world: World):
    case = await world.open_case()
    measure = await world.add_measure(
        case.id,
        MeasureKind.MEDIATION_216TER,
        conditions=[ConditionCreate(kind=ConditionKind.CONTACT_BAN, protected_persons="Julie")],
    )
    [ban] = [c for c in measure.conditions if c.kind is ConditionKind.CONTACT_BAN]
    await browser.login(world.ja.email)
    case_page = (await browser.get(f"/cases/{case.id}")).text
    url = f"/conditions/{ban.id}/transition"
    assert url in case_page
    form = (await browser.get(url)).text
    assert 'value="breach"' in form

    data = {
        "event": "breach",
        "reason": "Seen at her door by the police",
        "version": str(ban.version),
    }
    # Without a reason: the form says so, nothing changes.
    r = await browser.post(url, {**data, "reason": ""})
    assert r.status_code == 422
    # First step: what will happen, nothing changed yet.
    r = await browser.post(url, data)
    assert r.status_code == 200
    assert 'name="confirm" value="yes"' in r.text
    assert "urgent" in r.text.lower()
    stored = await Condition.select(Condition.status).where(Condition.id == ban.id).first()
    assert stored["status"] == "pending"
    urgent_before = await Notification.count().where(Notification.urgent == True)  # noqa: E712
    # Second step: done, and the police and the SAPV contact are told at once.
    r = await browser.post(url, {**data, "confirm": "yes"})
    assert r.status_code == 303, r.text
    stored = await Condition.select(Condition.status).where(Condition.id == ban.id).first()
    assert stored["status"] == "breached"
    assert await Notification.count().where(Notification.urgent == True) > urgent_before  # noqa: E712
    # The same form again (an old tab): refused, the version moved on.
    r = await browser.post(url, {**data, "confirm": "yes"})
    assert r.status_code in {409, 422}


async def test_other_roles_cannot_change_a_condition(browser: Browser, world: World):
    case = await world.open_case()
    measure = await world.add_measure(
        case.id,
        MeasureKind.MEDIATION_216TER,
        conditions=[ConditionCreate(kind=ConditionKind.THERAPY)],
    )
    [therapy] = [c for c in measure.conditions if c.kind is ConditionKind.THERAPY]
    await browser.login(world.officer.email)
    assert (await browser.get(f"/conditions/{therapy.id}/transition")).status_code == 403
    await browser.post("/logout", {})
    await browser.login(world.other_house_ja.email)
    assert (await browser.get(f"/conditions/{therapy.id}/transition")).status_code == 404
