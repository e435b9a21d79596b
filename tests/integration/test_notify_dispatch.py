"""Dispatch through the real Twilio SDK to the fake Twilio, and e-mail to a local SMTP server."""

from __future__ import annotations

import pytest

from perp_track.notify.dispatch.batch import dispatch_once
from tests.fakes.fixtures import *  # noqa: F403
from tests.notify_helpers import consenting_case, open_ban, outbox
from tests.world import World


async def test_protective_measure_reaches_everyone(
    world: World, notify_settings, channels, twilio, smtp
):
    case = await consenting_case(world)
    await open_ban(world, case.id)
    report = await dispatch_once(settings=notify_settings, clock=world.clock, channels=channels)
    rows = await outbox()
    states = {(r["audience"], r["channel"], r["template"]): r["state"] for r in rows}
    assert states == {
        ("referring_officer", "in_app", "protective_measure_opened"): "delivered",
        ("referring_officer", "email", "protective_measure_opened"): "sent",
        ("sapv_contact", "in_app", "protective_measure_opened"): "delivered",
        ("sapv_contact", "email", "protective_measure_opened"): "sent",
        ("victim", "sms", "protective_measure_opened"): "sent",
        ("sapv_contact", "in_app", "victim_copy"): "delivered",
        # Her number was confirmed (tests/notify_helpers.py) before its request left: the
        # request is dropped at send time, and her SAPV contact was told of the confirmation.
        ("victim", "sms", "number_confirmation"): "suppressed",
        ("sapv_contact", "in_app", "victim_number_confirmed"): "delivered",
        ("sapv_contact", "email", "victim_number_confirmed"): "sent",
    }, report
    [message] = twilio.messages.values()
    assert message["to"] == "+32470333444"
    assert "protection" in message["body"]
    assert len(smtp.messages) == 3


async def _summons_sms(world: World):
    """A summons: one SMS to the perpetrator, time-bound by the summons itself."""
    from perp_track.summons.rules import Modality
    from perp_track.summons.schemas import SummonsCreate
    from perp_track.summons.services import schedule_summons

    case = await world.open_case()
    await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        clock=world.clock,
        data=SummonsCreate(scheduled_at=world.soon(), modality=Modality.IN_PERSON, place="MJ"),
    )
    [row] = await outbox(audience="perpetrator")
    return case, row


async def _once(world, notify_settings, channels):
    return await dispatch_once(settings=notify_settings, clock=world.clock, channels=channels)


async def test_summons_sms_carries_a_validity_period(
    world: World, notify_settings, channels, twilio
):
    _, row = await _summons_sms(world)
    await _once(world, notify_settings, channels)
    [message] = twilio.messages.values()
    assert message["to"] == "+32470111222"
    assert message["validity_period"] == "36000"  # capped at Twilio's maximum
    [row] = await outbox(audience="perpetrator")
    assert (row["state"], row["provider_id"], row["segments"]) == ("sent", message["sid"], 2)


async def test_rate_limited_is_retried_later_with_backoff(
    world: World, notify_settings, channels, twilio
):
    from datetime import timedelta

    await _summons_sms(world)
    twilio.fail_next("429")
    await _once(world, notify_settings, channels)
    [row] = await outbox(audience="perpetrator")
    assert (row["state"], row["attempts"], row["error_code"]) == ("queued", 1, "20429")
    wait = row["next_attempt_at"] - world.clock.now()
    assert timedelta(seconds=30) <= wait <= timedelta(seconds=60)
    assert twilio.messages == {}
    # Not due yet: nothing happens. Once due: sent.
    await _once(world, notify_settings, channels)
    assert twilio.messages == {}
    world.clock.advance(timedelta(minutes=2))
    await _once(world, notify_settings, channels)
    [row] = await outbox(audience="perpetrator")
    assert (row["state"], row["attempts"]) == ("sent", 2)
    assert len(twilio.messages) == 1


async def test_gives_up_after_the_last_attempt_and_tells_the_justice_assistant(
    world: World, notify_settings, channels, twilio
):
    from datetime import timedelta

    await _summons_sms(world)
    twilio.fail_next(*["429"] * notify_settings.dispatch_max_attempts)
    for _ in range(notify_settings.dispatch_max_attempts):
        await _once(world, notify_settings, channels)
        world.clock.advance(timedelta(hours=7))
    [row] = await outbox(audience="perpetrator")
    assert row["state"] == "failed"
    alerts = await outbox(template="message_undeliverable")
    assert {a["recipient_user"] for a in alerts} == {world.ja.id}


async def test_a_500_is_never_resent_blindly(world: World, notify_settings, channels, twilio):
    """A 500 proves nothing: the message is looked up once the settle delay has passed, and
    sent again (the same row, the attempt counted) only once Twilio's list shows it absent."""
    from datetime import timedelta

    await _summons_sms(world)
    twilio.fail_next("500")
    before = twilio.requests
    await _once(world, notify_settings, channels)
    [row] = await outbox(audience="perpetrator")
    assert (row["state"], row["error_code"], row["attempts"]) == ("queued", "ambiguous", 1)
    assert twilio.requests - before == 1
    # Before the settle delay: neither looked up nor sent.
    lookups = twilio.list_requests
    await _once(world, notify_settings, channels)
    assert (twilio.requests - before, twilio.list_requests) == (1, lookups)
    world.clock.advance(timedelta(seconds=notify_settings.dispatch_backoff_seconds + 1))
    await _once(world, notify_settings, channels)
    assert twilio.list_requests > lookups  # looked up first
    [row] = await outbox(audience="perpetrator")
    [message] = twilio.messages.values()
    assert (row["state"], row["attempts"], row["provider_id"]) == ("sent", 2, message["sid"])
    assert twilio.requests - before == 2
    assert await outbox(template="message_undeliverable") == []


async def test_a_500_after_twilio_took_the_message_is_found_by_looking_it_up(
    world: World, notify_settings, channels, twilio
):
    from datetime import timedelta

    await _summons_sms(world)
    twilio.fail_next("500-created")
    await _once(world, notify_settings, channels)
    world.clock.advance(timedelta(seconds=notify_settings.dispatch_backoff_seconds + 1))
    await _once(world, notify_settings, channels)
    [message] = twilio.messages.values()
    [row] = await outbox(audience="perpetrator")
    assert (row["state"], row["provider_id"]) == ("sent", message["sid"])
    assert await outbox(template="message_undeliverable") == []


@pytest.mark.parametrize("twilio_client_timeout", [0.5])
@pytest.mark.parametrize("fault", ["timeout", "timeout-created", "503"])
async def test_a_timeout_is_ambiguous_too(world: World, notify_settings, channels, twilio, fault):
    from datetime import timedelta

    await _summons_sms(world)
    twilio.fail_next(fault)
    await _once(world, notify_settings, channels)
    [row] = await outbox(audience="perpetrator")
    assert (row["state"], row["error_code"]) == ("queued", "ambiguous")
    world.clock.advance(timedelta(seconds=notify_settings.dispatch_backoff_seconds + 1))
    if fault == "timeout-created":
        # Answered too late, but created: the late answer lands while we wait.
        from tests.fakes.twilio import wait_for

        wait_for(lambda: len(twilio.messages) == 1)
    await _once(world, notify_settings, channels)
    [row] = await outbox(audience="perpetrator")
    [message] = twilio.messages.values()  # exactly one, whichever way
    assert (row["state"], row["provider_id"]) == ("sent", message["sid"])


@pytest.mark.parametrize("twilio_client_timeout", [0.5])
async def test_a_failing_look_up_is_tried_again_never_failed(
    world: World, notify_settings, channels, twilio
):
    """The list answering 500 or timing out proves nothing: looked up again with back-off;
    'unknown' only after the give-up window, with an alert saying what to check."""
    from datetime import timedelta

    await _summons_sms(world)
    twilio.fail_next("500-created")
    await _once(world, notify_settings, channels)
    twilio.fail_next_lookup("list-500", "list-timeout")
    waits = []
    for _ in range(2):
        [row] = await outbox(audience="perpetrator")
        world.clock.advance(row["next_attempt_at"] - world.clock.now() + timedelta(seconds=1))
        await _once(world, notify_settings, channels)
        [row] = await outbox(audience="perpetrator")
        assert (row["state"], row["error_code"], row["attempts"]) == ("queued", "ambiguous", 1)
        assert "look-up failed" in row["error_message"]
        waits.append(row["next_attempt_at"] - world.clock.now())
    assert all(w > timedelta(0) for w in waits)
    # The list answers again: the message created before the 500 is found, never sent twice.
    world.clock.advance(waits[-1] + timedelta(seconds=1))
    await _once(world, notify_settings, channels)
    [row] = await outbox(audience="perpetrator")
    [message] = twilio.messages.values()
    assert (row["state"], row["provider_id"]) == ("sent", message["sid"])
    assert await outbox(template="message_undeliverable") == []


async def test_unknown_only_after_the_give_up_window(
    world: World, notify_settings, channels, twilio
):
    from datetime import timedelta

    await _summons_sms(world)
    twilio.fail_next("500")
    await _once(world, notify_settings, channels)
    twilio.chaos(1.0, creates=(), lookups=("list-500",))
    world.clock.advance(timedelta(hours=notify_settings.dispatch_lookup_give_up_hours) / 2)
    await _once(world, notify_settings, channels)
    assert (await outbox(audience="perpetrator"))[0]["state"] == "queued"
    world.clock.advance(timedelta(hours=notify_settings.dispatch_lookup_give_up_hours))
    await _once(world, notify_settings, channels)
    [row] = await outbox(audience="perpetrator")
    assert (row["state"], row["error_code"]) == ("unknown", "ambiguous")
    [alert, *_] = await outbox(template="message_undeliverable")
    assert alert["recipient_user"] == world.ja.id
    assert "Twilio console" in alert["payload"]["reason"]
    assert "+32470111222" in alert["payload"]["reason"]
    assert twilio.requests == 1  # never sent blindly


async def test_twilio_unreachable_is_retried(world: World, notify_settings, channels):
    import socket

    from perp_track.notify.dispatch.batch import Channels

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    settings = notify_settings.model_copy(
        update={"twilio_api_base_url": f"http://127.0.0.1:{closed_port}"}
    )
    await _summons_sms(world)
    down = Channels.from_settings(settings)
    try:
        await dispatch_once(settings=settings, clock=world.clock, channels=down)
    finally:
        await down.close()
    [row] = await outbox(audience="perpetrator")
    assert (row["state"], row["attempts"]) == ("queued", 1)


@pytest.mark.parametrize("code", ["21610", "21211", "21614", "30005", "30006"])
async def test_permanent_errors_make_it_undeliverable(
    world: World, notify_settings, channels, twilio, code
):
    await _summons_sms(world)
    twilio.fail_next(code)
    await _once(world, notify_settings, channels)
    [row] = await outbox(audience="perpetrator")
    assert (row["state"], row["error_code"]) == ("undelivered", code)
    [alert_app, _alert_mail] = await outbox(template="message_undeliverable")
    assert alert_app["recipient_user"] == world.ja.id
    assert alert_app["payload"]["reason"] == f"Twilio error {code}"
    await _once(world, notify_settings, channels)
    [row] = await outbox(audience="perpetrator")
    assert row["attempts"] == 1  # never tried again


async def test_21610_on_a_victim_message_records_her_opt_out(
    world: World, notify_settings, channels, twilio
):
    from perp_track.notify.tables import SafeContactProfile

    case = await consenting_case(world)
    await open_ban(world, case.id)
    twilio.fail_next("21610")
    await _once(world, notify_settings, channels)
    profile = await SafeContactProfile.select().first()
    assert profile["opted_out_at"] == world.clock.now()
    told = await outbox(template="victim_opted_out")
    assert {r["recipient_user"] for r in told} == {world.sapv.id}


async def test_a_row_left_by_a_dead_dispatcher_is_looked_up_not_resent_blindly(
    world: World, notify_settings, channels, twilio
):
    from datetime import timedelta

    from perp_track.notify.dispatch.lease import claim

    await _summons_sms(world)
    # A dispatcher claims the row and dies before recording anything.
    [claimed] = await claim(now=world.clock.now(), lease_seconds=60, limit=10, channels=["sms"])
    assert claimed["attempts"] == 1
    await _once(world, notify_settings, channels)  # the lease still holds: untouched
    assert (await outbox(audience="perpetrator"))[0]["state"] == "sending"
    world.clock.advance(timedelta(minutes=2))
    before, lookups = twilio.requests, twilio.list_requests
    await _once(world, notify_settings, channels)
    # Looked up first; not found at Twilio: proof it never left, so it is sent now.
    assert twilio.list_requests > lookups
    [row] = await outbox(audience="perpetrator")
    [message] = twilio.messages.values()
    assert (row["state"], row["provider_id"], row["attempts"]) == ("sent", message["sid"], 2)
    assert twilio.requests == before + 1


async def test_a_row_left_by_a_dead_dispatcher_after_sending_is_not_sent_twice(
    world: World, notify_settings, channels, twilio
):
    from datetime import timedelta

    from perp_track.notify.dispatch.lease import claim

    await _summons_sms(world)
    from perp_track.notify.context import render_row

    [claimed] = await claim(now=world.clock.now(), lease_seconds=60, limit=10, channels=["sms"])
    # It had sent the message when it died.
    rendered = await render_row(claimed, notify_settings)
    await channels.sms.send(to="+32470111222", body=rendered.body, validity_period=None)
    [message] = twilio.messages.values()
    world.clock.advance(timedelta(minutes=2))
    await _once(world, notify_settings, channels)
    [row] = await outbox(audience="perpetrator")
    assert (row["state"], row["provider_id"]) == ("sent", message["sid"])
    assert len(twilio.messages) == 1


async def test_two_dispatchers_never_take_the_same_row(world: World):
    import asyncio

    from perp_track.notify.dispatch.lease import claim

    case = await consenting_case(world)
    for _ in range(4):
        await open_ban(world, case.id)
    total = len(await outbox())
    first, second = await asyncio.gather(
        claim(
            now=world.clock.now(),
            lease_seconds=60,
            limit=total,
            channels=["sms", "email", "in_app"],
        ),
        claim(
            now=world.clock.now(),
            lease_seconds=60,
            limit=total,
            channels=["sms", "email", "in_app"],
        ),
    )
    ids_first = {r["id"] for r in first}
    ids_second = {r["id"] for r in second}
    assert not ids_first & ids_second
    assert len(ids_first | ids_second) == total


async def test_expired_before_sending(world: World, notify_settings, channels, twilio):
    from datetime import timedelta

    await _summons_sms(world)
    world.clock.advance(timedelta(days=8))
    await _once(world, notify_settings, channels)
    [row] = await outbox(audience="perpetrator")
    assert row["state"] == "expired"
    assert twilio.messages == {}


async def test_email_has_text_and_html_parts(world: World, notify_settings, channels, smtp):
    case = await world.open_case()
    await open_ban(world, case.id)
    await _once(world, notify_settings, channels)
    officer_mail = next(m for m in smtp.messages if m["To"] == world.officer.email)
    assert officer_mail["Subject"].endswith("Mesure de protection en vigueur")
    types = [part.get_content_type() for part in officer_mail.walk()]
    assert "text/plain" in types
    assert "text/html" in types
    text = next(p for p in officer_mail.walk() if p.get_content_type() == "text/plain")
    assert "https://perp-track.test/api/feedback/" in text.get_payload(decode=True).decode()


async def test_a_refused_address_is_undeliverable(world: World, notify_settings, channels, smtp):
    case = await world.open_case()
    smtp.refuse(world.officer.email)
    await open_ban(world, case.id)
    await _once(world, notify_settings, channels)
    [row] = await outbox(audience="referring_officer", channel="email")
    assert row["state"] == "undelivered"


async def test_a_messaging_service_instead_of_a_from_number(world: World, notify_settings, twilio):
    from perp_track.notify.dispatch.batch import Channels

    settings = notify_settings.model_copy(
        update={"twilio_from": "", "twilio_messaging_service_sid": "MG" + "1" * 32}
    )
    await _summons_sms(world)
    channels = Channels.from_settings(settings)
    try:
        await dispatch_once(settings=settings, clock=world.clock, channels=channels)
    finally:
        await channels.close()
    [message] = twilio.messages.values()
    assert message["messaging_service_sid"] == "MG" + "1" * 32
