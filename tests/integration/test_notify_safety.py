"""Victim safe contact (DOMAIN §5): each rule has a test that fails if the rule is removed."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from perp_track.cases.schemas import PersonIn
from perp_track.cases.tables import Case
from perp_track.notify.dispatch.batch import dispatch_once
from perp_track.notify.rules import Notice
from perp_track.notify.services import queue_notice
from perp_track.safe_contact import services as safe_contact
from perp_track.safe_contact.schemas import ConsentIn, SafeContactUpdate
from tests.fakes.fixtures import *  # noqa: F403
from tests.notify_helpers import consenting_case, open_ban, outbox, victim_updates
from tests.world import World

BRUSSELS = ZoneInfo("Europe/Brussels")


async def _victim_rows():
    return await victim_updates()


async def _dispatch(world, notify_settings, channels):
    return await dispatch_once(settings=notify_settings, clock=world.clock, channels=channels)


async def test_with_consent_she_gets_one_sms_and_her_sapv_contact_a_copy(
    world: World, notify_settings, channels, twilio
):
    case = await consenting_case(world)
    await open_ban(world, case.id)
    [row] = await _victim_rows()
    assert row["state"] == "queued"
    [copy] = await outbox(template="victim_copy")
    assert copy["recipient_user"] == world.sapv.id
    await _dispatch(world, notify_settings, channels)
    [message] = twilio.messages.values()
    [copy] = await outbox(template="victim_copy")
    # The copy shows the SAPV contact the very words the victim received.
    assert message["body"] in copy["body"]
    assert copy["state"] == "delivered"


async def test_no_sms_without_a_profile(world: World, notify_settings, channels, twilio):
    case = await world.open_case()
    await open_ban(world, case.id)
    [row] = await _victim_rows()
    assert (row["state"], row["error_code"]) == ("suppressed", "no_profile")
    assert await outbox(template="victim_copy") == []
    await _dispatch(world, notify_settings, channels)
    assert twilio.messages == {}


async def test_no_sms_without_recorded_consent(world: World, notify_settings, channels, twilio):
    case = await consenting_case(world, consent=False)
    await open_ban(world, case.id)
    [row] = await _victim_rows()
    assert (row["state"], row["error_code"]) == ("suppressed", "no_consent")
    await _dispatch(world, notify_settings, channels)
    assert twilio.messages == {}


async def test_revoked_consent_stops_new_and_waiting_messages(
    world: World, notify_settings, channels, twilio
):
    case = await consenting_case(world)
    assert case.victim is not None
    await open_ban(world, case.id)
    await safe_contact.revoke_consent(
        actor=world.sapv, victim_id=case.victim.id, data=ConsentIn(), clock=world.clock
    )
    [row] = await _victim_rows()
    assert (row["state"], row["error_code"]) == ("suppressed", "consent_revoked")
    await _dispatch(world, notify_settings, channels)
    assert twilio.messages == {}


async def test_consent_is_checked_again_when_sending(
    world: World, notify_settings, channels, twilio
):
    case = await consenting_case(world)
    assert case.victim is not None
    await open_ban(world, case.id)
    # Withdrawn between queueing and sending, without touching the outbox row.
    from perp_track.notify.tables import SafeContactProfile

    await SafeContactProfile.update({SafeContactProfile.sms_allowed: False}).where(
        SafeContactProfile.victim == case.victim.id
    )
    await _dispatch(world, notify_settings, channels)
    [row] = await _victim_rows()
    assert (row["state"], row["error_code"]) == ("suppressed", "sms_not_allowed")
    assert twilio.messages == {}


async def test_sms_not_allowed_in_her_profile(world: World, notify_settings, channels, twilio):
    case = await consenting_case(world, sms_allowed=False)
    await open_ban(world, case.id)
    [row] = await _victim_rows()
    assert row["error_code"] == "sms_not_allowed"


async def test_never_to_a_number_a_perpetrator_uses_anywhere(
    world: World, notify_settings, channels, twilio
):
    case = await consenting_case(world)
    # Another case, elsewhere: its perpetrator gave the victim's number as his own.
    await world.open_case(
        perpetrator=PersonIn(first_name="Other", last_name="Man", phone="+32470333444"),
        victim=None,
    )
    await open_ban(world, case.id)
    [row] = await _victim_rows()
    assert (row["state"], row["error_code"]) == ("suppressed", "shared_number")
    await _dispatch(world, notify_settings, channels)
    assert twilio.messages == {}


async def test_no_sms_without_an_sapv_contact_to_copy(world: World, notify_settings, channels):
    case = await consenting_case(world)
    await Case.update({Case.version: Case.version}).where(Case.id == case.id)
    from perp_track.cases.tables import Person

    assert case.victim is not None
    await Person.update({Person.sapv_contact: None}).where(Person.id == case.victim.id)
    await open_ban(world, case.id)
    [row] = await _victim_rows()
    assert row["error_code"] == "no_sapv_contact"
    assert await outbox(template="victim_copy") == []


async def test_neutral_by_default(world: World, notify_settings, channels, twilio):
    case = await consenting_case(world, detail_level="neutral")
    await open_ban(world, case.id)
    await _dispatch(world, notify_settings, channels)
    [message] = twilio.messages.values()
    assert "interdiction" not in message["body"].lower()
    assert "personne de référence" in message["body"]


async def test_full_detail_names_the_measure_in_her_language(
    world: World, notify_settings, channels, twilio
):
    case = await consenting_case(world, detail_level="full", language="nl")
    await open_ban(world, case.id)
    await _dispatch(world, notify_settings, channels)
    [message] = twilio.messages.values()
    assert "tijdelijk huisverbod" in message["body"]


async def test_outside_her_safe_hours_the_message_waits(
    world: World, notify_settings, channels, twilio
):
    world.clock.set(datetime(2026, 3, 2, 21, 30, tzinfo=BRUSSELS))
    case = await consenting_case(world, safe_from="09:00", safe_until="19:00")
    await open_ban(world, case.id)
    await _dispatch(world, notify_settings, channels)
    [row] = await _victim_rows()
    assert row["state"] == "queued"
    assert row["attempts"] == 0
    assert row["next_attempt_at"] == datetime(2026, 3, 3, 9, 0, tzinfo=BRUSSELS)
    assert twilio.messages == {}
    # Staff were told at once; only her message waits.
    assert {r["state"] for r in await outbox(audience="referring_officer")} <= {"sent", "delivered"}

    world.clock.set(datetime(2026, 3, 3, 9, 1, tzinfo=BRUSSELS))
    await _dispatch(world, notify_settings, channels)
    [row] = await _victim_rows()
    assert row["state"] == "sent"
    assert len(twilio.messages) == 1


async def test_a_time_bound_message_expires_instead_of_arriving_late(
    world: World, notify_settings, channels, twilio
):
    world.clock.set(datetime(2026, 3, 2, 21, 30, tzinfo=BRUSSELS))
    case = await consenting_case(world)
    row = await Case.select().where(Case.id == case.id).first()
    now = world.clock.now()
    await queue_notice(
        notice=Notice.PROTECTION_ENDING,
        case=row,
        event_id=await _event(case.id, now),
        payload={
            "case_reference": case.reference,
            "measure_kind": "temporary_residence_ban",
            "ends_on": "2026-03-02",
        },
        now=now,
        not_after=now + timedelta(hours=2),
    )
    await _dispatch(world, notify_settings, channels)
    [row] = await _victim_rows()
    assert row["state"] == "expired"
    assert twilio.messages == {}


async def _event(case_id: int, now: datetime) -> int:
    from perp_track.cases.tables import CaseEvent

    event = CaseEvent(case=case_id, kind="test", occurred_at=now, summary="test")
    await event.save()
    return int(event.id)


async def test_queueing_the_same_event_twice_adds_nothing(world: World):
    case = await consenting_case(world)
    row = await Case.select().where(Case.id == case.id).first()
    now = world.clock.now()
    event = await _event(case.id, now)
    payload = {
        "case_reference": case.reference,
        "measure_kind": "temporary_residence_ban",
        "ends_on": "2026-03-16",
    }
    await queue_notice(
        notice=Notice.BAN_EXTENDED, case=row, event_id=event, payload=payload, now=now
    )
    first = len(await outbox())
    await queue_notice(
        notice=Notice.BAN_EXTENDED, case=row, event_id=event, payload=payload, now=now
    )
    assert len(await outbox()) == first
    assert len(await outbox(event=event)) == 6


async def test_another_sapv_contact_cannot_touch_her_profile(world: World):
    import pytest

    from perp_track.auth.rules import Role
    from perp_track.auth.services import create_user
    from perp_track.errors import Forbidden, NotFound

    case = await world.open_case()
    assert case.victim is not None
    other = await create_user(
        email="other.sapv@test.example",
        full_name="Other Sapv",
        role=Role.SAPV_CONTACT,
        organisation_id=world.orgs["sapv"],
        password="correct horse battery staple",
        clock=world.clock,
    )
    with pytest.raises(NotFound):
        await safe_contact.read_profile(actor=other, victim_id=case.victim.id)
    with pytest.raises(Forbidden):
        await safe_contact.update_profile(
            actor=world.ja,
            victim_id=case.victim.id,
            data=SafeContactUpdate(sms_allowed=True),
            clock=world.clock,
        )
