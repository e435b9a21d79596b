"""Her number confirmed by her own reply, and the pace of her updates in her hands, on both
databases with the real Twilio SDK against the fake Twilio. Each rule has a test that fails
without it: no update to an unconfirmed number; a pause holds messages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from perp_track.cases.tables import Case, CaseEvent
from perp_track.config import ConfigurationError, load_settings
from perp_track.errors import Conflict, Invalid
from perp_track.notify.dispatch.batch import dispatch_once
from perp_track.notify.rules import Notice
from perp_track.notify.services import queue_notice
from perp_track.notify.tables import InboundMessage, Notification, SafeContactProfile
from perp_track.notify.victim_control.tables import NumberConfirmation
from perp_track.safe_contact import phone as victim_phone
from perp_track.safe_contact import services as safe_contact
from perp_track.safe_contact.schemas import ConsentIn, NumberActionIn
from tests.fakes.fixtures import *  # noqa: F403
from tests.notify_helpers import (
    SETTINGS,
    confirm_number,
    consenting_case,
    her_code,
    open_ban,
    outbox,
    reply_from,
    victim_updates,
)
from tests.world import World

VICTIM_PHONE = "+32470333444"


async def _dispatch(world, notify_settings, channels):
    return await dispatch_once(settings=notify_settings, clock=world.clock, channels=channels)


async def _profile(world: World, victim_id: int):
    return await safe_contact.read_profile(actor=world.sapv, victim_id=victim_id)


async def test_no_update_reaches_her_number_before_she_confirms_it(
    world: World, notify_settings, channels, twilio
):
    case = await consenting_case(world, confirm=False)
    assert case.victim is not None
    read = await _profile(world, case.victim.id)
    assert (read.number_status, read.may_receive_sms, read.blocked_because) == (
        "waiting",
        False,
        "unconfirmed",
    )
    await open_ban(world, case.id)
    [update] = await victim_updates()
    assert (update["state"], update["error_code"]) == ("held", "unconfirmed")
    await _dispatch(world, notify_settings, channels)
    # Only the neutral request left: no word of the case, and never the code.
    [request] = twilio.messages.values()
    code = await her_code(world, case.victim.id)
    assert request["to"] == VICTIM_PHONE
    assert "répondez" in request["body"]
    assert code not in request["body"]
    for word in ("protection", "interdiction", "justice", "violence", "dossier", case.reference):
        assert word not in request["body"].lower()
    [update] = await victim_updates()
    assert update["state"] == "held"

    # Her reply with the code: confirmed, her SAPV contact told, the update on its way.
    assert await reply_from(world, case.victim.id, f" {code[:3]} {code[3:]} ") is not None
    read = await _profile(world, case.victim.id)
    assert (read.number_status, read.may_receive_sms) == ("confirmed", True)
    told = await outbox(template="victim_number_confirmed")
    assert {t["recipient_user"] for t in told} == {world.sapv.id}
    await _dispatch(world, notify_settings, channels)
    assert [m["to"] for m in twilio.messages.values()] == [VICTIM_PHONE, VICTIM_PHONE]
    [update] = await victim_updates()
    assert update["state"] == "sent"

    # The code is in no event, no stored reply, no message body.
    events = await CaseEvent.select(CaseEvent.data, CaseEvent.summary)
    assert code not in str(events)
    assert code not in str(await InboundMessage.select())
    assert code not in str(await Notification.select(Notification.body, Notification.payload))
    stored = await NumberConfirmation.select().first()
    assert code not in str(stored)


async def test_the_send_time_check_holds_an_update_for_a_number_not_confirmed(
    world: World, notify_settings, channels, twilio
):
    case = await consenting_case(world, safe_from="00:00", safe_until="23:59")
    assert case.victim is not None
    read = await _profile(world, case.victim.id)
    await victim_phone.change_victim_phone(
        actor=world.sapv,
        victim_id=case.victim.id,
        data=victim_phone.VictimPhoneIn(phone="+447700900777", version=read.version),
        clock=world.clock,
        secret_key=SETTINGS.secret_key,
    )
    await open_ban(world, case.id)
    [update] = await victim_updates()
    # Even a row that reached the queue (a race with the change) is held when it would leave.
    await Notification.update({Notification.state: "queued", Notification.error_code: None}).where(
        Notification.id == update["id"]
    )
    await _dispatch(world, notify_settings, channels)
    [update] = await victim_updates()
    assert (update["state"], update["error_code"]) == ("held", "unconfirmed")
    [request] = twilio.messages.values()
    assert request["to"] == "+447700900777"
    assert "confirm" in request["body"]


async def test_three_wrong_codes_block_her_number_until_her_sapv_contact_acts(
    world: World, notify_settings, channels, twilio
):
    case = await consenting_case(world, confirm=False)
    assert case.victim is not None
    victim = case.victim.id
    code = await her_code(world, victim)
    wrong = "000000" if code != "000000" else "111111"
    # Any other text is a reply, not a wrong code.
    await reply_from(world, victim, "Qui êtes-vous ?")
    assert (await _profile(world, victim)).number_wrong_codes == 0
    for attempt in (1, 2):
        await reply_from(world, victim, wrong)
        assert (await _profile(world, victim)).number_wrong_codes == attempt
    assert await outbox(template="victim_number_blocked") == []
    await reply_from(world, victim, wrong)
    read = await _profile(world, victim)
    assert (read.number_status, read.blocked_because) == ("blocked", "number_blocked")
    told = await outbox(template="victim_number_blocked")
    assert {t["recipient_user"] for t in told} == {world.sapv.id}
    assert all(t["urgent"] for t in told)
    # Blocked: the right code no longer opens it, and nothing goes to the number.
    await reply_from(world, victim, code)
    assert (await _profile(world, victim)).number_status == "blocked"
    await open_ban(world, case.id)
    await _dispatch(world, notify_settings, channels)
    assert all("confirm" in m["body"] for m in twilio.messages.values())
    [update] = await victim_updates()
    assert (update["state"], update["error_code"]) == ("held", "number_blocked")
    with pytest.raises(Conflict):
        await safe_contact.show_number_code(
            actor=world.sapv, victim_id=victim, clock=world.clock, secret_key=SETTINGS.secret_key
        )

    # Her SAPV contact gives her a new code: the old one is void, the new one confirms.
    await safe_contact.new_number_code(
        actor=world.sapv,
        victim_id=victim,
        data=NumberActionIn(version=read.number_version),
        clock=world.clock,
        secret_key=SETTINGS.secret_key,
    )
    new = await her_code(world, victim)
    if new != code:
        await reply_from(world, victim, code)  # the old code is void: a wrong code now
        assert (await _profile(world, victim)).number_status == "waiting"
    await reply_from(world, victim, new)
    assert (await _profile(world, victim)).number_status == "confirmed"
    [update] = await victim_updates()
    assert update["state"] == "queued"
    kinds = [e["kind"] for e in await CaseEvent.select(CaseEvent.kind).order_by(CaseEvent.id)]
    for kind in (
        "victim_number_check_started",
        "victim_number_wrong_code",
        "victim_number_blocked",
        "victim_number_code_shown",
        "victim_number_confirmed",
    ):
        assert kind in kinds


async def test_the_request_is_sent_again_once_only_and_a_stale_form_changes_nothing(
    world: World, notify_settings, channels, twilio
):
    case = await consenting_case(world, confirm=False, safe_from="00:00", safe_until="23:59")
    assert case.victim is not None
    victim = case.victim.id
    read = await _profile(world, victim)
    assert read.number_resend_available
    stale = NumberActionIn(version=read.number_version + 1)
    with pytest.raises(Conflict):
        await safe_contact.resend_number_request(
            actor=world.sapv, victim_id=victim, data=stale, clock=world.clock
        )
    again = await safe_contact.resend_number_request(
        actor=world.sapv,
        victim_id=victim,
        data=NumberActionIn(version=read.number_version),
        clock=world.clock,
    )
    assert not again.number_resend_available
    with pytest.raises(Invalid):
        await safe_contact.resend_number_request(
            actor=world.sapv,
            victim_id=victim,
            data=NumberActionIn(version=again.number_version),
            clock=world.clock,
        )
    await _dispatch(world, notify_settings, channels)
    assert len(twilio.messages) == 2
    # A confirmed number has nothing to resend.
    await confirm_number(world, victim)
    with pytest.raises(Conflict):
        await safe_contact.resend_number_request(
            actor=world.sapv,
            victim_id=victim,
            data=NumberActionIn(version=(await _profile(world, victim)).number_version),
            clock=world.clock,
        )


async def _ending(world: World, case_id: int, measure_id: int, days_left: int) -> None:
    """A 'protection ending' alert about one measure, as the job writes it."""
    row = await Case.select().where(Case.id == case_id).first()
    now = world.clock.now()
    event = CaseEvent(
        case=case_id,
        kind="protection_ending",
        occurred_at=now,
        summary="",
        data={"days_left": days_left},
        measure_id=measure_id,
    )
    await event.save()
    ends = (now + timedelta(days=days_left)).date().isoformat()
    await queue_notice(
        notice=Notice.PROTECTION_ENDING,
        case=row,
        event_id=int(event.id),
        payload={
            "case_reference": row["reference"],
            "measure_kind": "temporary_residence_ban",
            "ends_on": ends,
            "days_left": days_left,
        },
        now=now,
    )


async def test_a_pause_holds_her_updates_and_resume_sends_those_still_useful(
    world: World, notify_settings, channels, twilio
):
    case = await consenting_case(world, safe_from="00:00", safe_until="23:59")
    assert case.victim is not None
    victim = case.victim.id
    await open_ban(world, case.id)  # queued before the pause: held by it too
    assert await reply_from(world, victim, "PAUSE") is not None
    read = await _profile(world, victim)
    assert read.paused_at is not None and read.consent
    assert read.blocked_because == "paused"
    assert {t["recipient_user"] for t in await outbox(template="victim_paused")} == {world.sapv.id}
    ban = await world.add_measure(case.id)
    other = await world.add_measure(case.id)
    await _ending(world, case.id, ban.id, 7)
    await _ending(world, case.id, other.id, 7)
    world.clock.set(world.clock.now() + timedelta(days=6))
    await _ending(world, case.id, ban.id, 1)
    await _dispatch(world, notify_settings, channels)
    assert twilio.messages == {}  # a pause holds every message to her
    assert {(r["state"], r["error_code"]) for r in await victim_updates()} == {("held", "paused")}

    assert await reply_from(world, victim, "Reprendre") is not None
    assert {t["recipient_user"] for t in await outbox(template="victim_resumed")} == {world.sapv.id}
    assert (await _profile(world, victim)).paused_at is None
    rows = {(r["template"], r["payload"].get("days_left")): r for r in await victim_updates()}
    # "Ends in 7 days" about measure A is stale behind "ends tomorrow": dropped. The other
    # measure's alert, and the ban opened, are still news: sent.
    stale = [
        r for r in await victim_updates(template="protection_ending") if r["state"] == "suppressed"
    ]
    assert len(stale) == 1 and stale[0]["error_code"] == "superseded"
    assert stale[0]["payload"]["days_left"] == 7
    assert rows[("protective_measure_opened", None)]["state"] == "queued"
    await _dispatch(world, notify_settings, channels)
    assert len(twilio.messages) == 3


async def test_stop_and_revoked_consent_withdraw_what_a_pause_held(
    world: World, notify_settings, channels, twilio
):
    case = await consenting_case(world)
    assert case.victim is not None
    await reply_from(world, case.victim.id, "pauze")
    await open_ban(world, case.id)
    [row] = await victim_updates()
    assert row["state"] == "held"
    await reply_from(world, case.victim.id, "STOP")
    [row] = await victim_updates()
    assert (row["state"], row["error_code"]) == ("suppressed", "opted_out")
    # RESUME cannot undo a STOP: only her SAPV contact records consent again.
    await reply_from(world, case.victim.id, "resume")
    profile = await SafeContactProfile.select().first()
    assert profile["opted_out_at"] is not None

    other = await consenting_case(world)
    assert other.victim is not None
    await reply_from(world, other.victim.id, "PAUSE")
    await open_ban(world, other.id)
    await safe_contact.revoke_consent(
        actor=world.sapv, victim_id=other.victim.id, data=ConsentIn(), clock=world.clock
    )
    assert {r["state"] for r in await victim_updates()} == {"suppressed"}
    await _dispatch(world, notify_settings, channels)
    assert twilio.messages == {}


async def test_pause_and_resume_words_are_configurable(world: World):
    settings = load_settings(
        env="test", victim_pause_words=["attendre"], victim_resume_words=["continuer"]
    )
    case = await consenting_case(world)
    assert case.victim is not None
    from perp_track.notify.inbound import handle_inbound

    async def text(body: str, sid: str) -> None:
        await handle_inbound(
            sid=sid, sender=VICTIM_PHONE, body=body, now=world.clock.now(), settings=settings
        )

    await text("PAUSE", "SMw1")  # not a pause word here: an ordinary reply
    assert (await SafeContactProfile.select().first())["paused_at"] is None
    await text("Attendre", "SMw2")
    assert (await SafeContactProfile.select().first())["paused_at"] is not None
    await text("continuer", "SMw3")
    assert (await SafeContactProfile.select().first())["paused_at"] is None
    with pytest.raises(ConfigurationError):
        load_settings(env="test", victim_pause_words=["stop"])
    with pytest.raises(ConfigurationError):
        load_settings(env="test", victim_pause_words=["pause"], victim_resume_words=["Pause"])


async def test_the_request_waits_for_her_safe_hours(
    world: World, notify_settings, channels, twilio
):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    brussels = ZoneInfo("Europe/Brussels")
    world.clock.set(datetime(2026, 3, 2, 21, 30, tzinfo=brussels))
    await consenting_case(world, confirm=False, safe_from="09:00", safe_until="19:00")
    await _dispatch(world, notify_settings, channels)
    assert twilio.messages == {}
    [request] = await outbox(template="number_confirmation")
    assert request["state"] == "queued"
    assert request["next_attempt_at"] == datetime(2026, 3, 3, 9, 0, tzinfo=brussels)
    world.clock.set(datetime(2026, 3, 3, 9, 5, tzinfo=brussels))
    await _dispatch(world, notify_settings, channels)
    assert len(twilio.messages) == 1


async def test_a_request_held_back_while_sms_were_not_allowed_leaves_once_they_are(
    world: World, notify_settings, channels, twilio
):
    from perp_track.safe_contact.schemas import SafeContactUpdate

    case = await consenting_case(
        world, confirm=False, sms_allowed=False, safe_from="00:00", safe_until="23:59"
    )
    assert case.victim is not None
    [request] = await outbox(template="number_confirmation")
    assert (request["state"], request["error_code"]) == ("suppressed", "sms_not_allowed")
    await safe_contact.update_profile(
        actor=world.sapv,
        victim_id=case.victim.id,
        data=SafeContactUpdate(sms_allowed=True),
        clock=world.clock,
    )
    await _dispatch(world, notify_settings, channels)
    [message] = twilio.messages.values()
    assert "confirm" in message["body"]
    # The resend is still hers to use.
    assert (await _profile(world, case.victim.id)).number_resend_available
