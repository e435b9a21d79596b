"""Twilio's callbacks through the HTTP app: signatures, delivery status, inbound SMS."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from twilio.request_validator import RequestValidator

from perp_track.app import create_app
from perp_track.notify.dispatch.batch import dispatch_once
from perp_track.notify.tables import InboundMessage, SafeContactProfile
from tests.api.conftest import Api
from tests.fakes.fixtures import *  # noqa: F403
from tests.fakes.fixtures import deliver
from tests.fakes.twilio import AUTH_TOKEN
from tests.notify_helpers import consenting_case, open_ban, outbox, victim_updates

STATUS = "/api/twilio/status"
INBOUND = "/api/twilio/inbound"
PUBLIC = "https://perp-track.test"
VICTIM_PHONE = "+32470333444"


@pytest.fixture
async def napi(notify_app) -> AsyncIterator[Api]:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=notify_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://internal:8000") as client:
        yield Api(client)


def _signed(path: str, params: dict[str, str]) -> dict[str, str]:
    return {
        "X-Twilio-Signature": RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC + path, params)
    }


async def _sms(napi: Api, body: str, sid: str = "SMin1", sender: str = VICTIM_PHONE):
    params = {"MessageSid": sid, "From": sender, "To": "+32460000000", "Body": body}
    return await napi.client.post(INBOUND, data=params, headers=_signed(INBOUND, params))


async def _sent_to_victim(world, notify_settings, channels, twilio, **profile):
    case = await consenting_case(world, **profile)
    await open_ban(world, case.id)
    await dispatch_once(settings=notify_settings, clock=world.clock, channels=channels)
    return case


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"},
        # Signed for the URL the app sees behind the proxy, not the public one: refused.
        {
            "X-Twilio-Signature": RequestValidator(AUTH_TOKEN).compute_signature(
                "http://internal:8000" + STATUS, {"MessageSid": "SM1", "MessageStatus": "delivered"}
            )
        },
    ],
)
async def test_unsigned_callbacks_are_refused(napi: Api, headers):
    params = {"MessageSid": "SM1", "MessageStatus": "delivered"}
    response = await napi.client.post(STATUS, data=params, headers=headers)
    assert response.status_code == 403


async def test_without_an_auth_token_nothing_is_accepted(world, settings, engine):
    app = create_app(settings, clock=world.clock, engine=engine)  # no TWILIO_AUTH_TOKEN
    params = {"MessageSid": "SM1", "MessageStatus": "delivered"}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        response = await client.post(STATUS, data=params, headers=_signed(STATUS, params))
    assert response.status_code == 403


async def test_delivery_status_is_tracked(world, notify_settings, channels, twilio, napi):
    await _sent_to_victim(world, notify_settings, channels, twilio)
    callbacks = twilio.take_callbacks()
    assert [c.params["MessageStatus"] for c in callbacks] == ["sent", "delivered"]
    assert await deliver(napi.client, callbacks) == [200, 200]
    [row] = await victim_updates()
    assert row["state"] == "delivered"
    assert row["delivered_at"] == world.clock.now()


async def test_out_of_order_and_repeated_callbacks_change_nothing(
    world, notify_settings, channels, twilio, napi
):
    await _sent_to_victim(world, notify_settings, channels, twilio)
    sent, delivered = twilio.take_callbacks()
    assert await deliver(napi.client, [delivered, sent, delivered, sent]) == [200] * 4
    [row] = await victim_updates()
    assert row["state"] == "delivered"


async def test_undelivered_tells_her_sapv_contact_once(
    world, notify_settings, channels, twilio, napi
):
    twilio.statuses = ("sent", "undelivered")
    await _sent_to_victim(world, notify_settings, channels, twilio)
    [message] = twilio.messages.values()
    message["error_code"] = 30005
    callbacks = twilio.take_callbacks()
    # Re-sign with the error code, as Twilio sends it.
    from tests.fakes.twilio import Callback

    undelivered = callbacks[1]
    params = {**undelivered.params, "ErrorCode": "30005"}
    signed = Callback(
        url=undelivered.url,
        params=params,
        signature=RequestValidator(AUTH_TOKEN).compute_signature(undelivered.url, params),
    )
    assert await deliver(napi.client, [callbacks[0], signed, signed]) == [200] * 3
    [row] = await victim_updates()
    assert (row["state"], row["error_code"]) == ("undelivered", "30005")
    alerts = await outbox(template="message_undeliverable")
    assert {a["recipient_user"] for a in alerts} == {world.sapv.id}
    assert all(a["urgent"] for a in alerts)
    assert len(alerts) == 2  # in-app and e-mail, once


async def test_unreachable_is_tried_again_later(world, notify_settings, channels, twilio, napi):
    twilio.statuses = ("undelivered",)
    await _sent_to_victim(world, notify_settings, channels, twilio)
    [callback] = twilio.take_callbacks()
    params = {**callback.params, "ErrorCode": "30003"}
    sig = RequestValidator(AUTH_TOKEN).compute_signature(callback.url, params)
    response = await napi.client.post(STATUS, data=params, headers={"X-Twilio-Signature": sig})
    assert response.status_code == 200
    [row] = await victim_updates()
    assert row["state"] == "queued"
    assert row["next_attempt_at"] > world.clock.now()


@pytest.mark.parametrize("word", ["STOP", "Arrêt", "afmelden"])
async def test_stop_stops_everything_at_once_and_tells_her_sapv_contact(
    world, notify_settings, channels, twilio, napi, word
):
    case = await consenting_case(world)
    await open_ban(world, case.id)
    response = await _sms(napi, word)
    assert response.status_code == 200
    assert "<Message>" not in response.text
    [row] = await victim_updates()
    assert (row["state"], row["error_code"]) == ("suppressed", "opted_out")
    profile = await SafeContactProfile.select().first()
    assert profile["opted_out_at"] is not None
    told = await outbox(template="victim_opted_out")
    assert {t["recipient_user"] for t in told} == {world.sapv.id}
    # Nothing new either.
    await open_ban(world, case.id)
    rows = await victim_updates()
    assert [r["state"] for r in rows] == ["suppressed", "suppressed"]
    await dispatch_once(settings=notify_settings, clock=world.clock, channels=channels)
    assert twilio.messages == {}


async def test_start_from_her_phone_does_not_restart_messages(world, napi):
    await consenting_case(world)
    await _sms(napi, "STOP", sid="SM1")
    await _sms(napi, "START", sid="SM2")
    profile = await SafeContactProfile.select().first()
    assert profile["opted_out_at"] is not None
    assert {r["recipient_user"] for r in await outbox(template="victim_asked_restart")} == {
        world.sapv.id
    }


async def test_code_word_raises_an_urgent_alert_and_gets_a_harmless_reply(world, napi):
    await consenting_case(world, code_word="Tournesol")
    response = await _sms(napi, "tournesol")
    assert response.status_code == 200
    assert "Merci" in response.text
    alerts = await outbox(template="code_word_alert")
    assert {a["recipient_user"] for a in alerts} == {world.sapv.id, world.officer.id}
    assert all(a["urgent"] for a in alerts)
    [inbound] = await InboundMessage.select().where(InboundMessage.provider_id == "SMin1")
    assert (inbound["kind"], inbound["body"]) == ("code_word", "")


async def test_help_gets_an_answer_in_her_language(world, napi):
    await consenting_case(world, language="nl")
    response = await _sms(napi, "HULP")
    assert "STOP" in response.text
    assert "Antwoord" in response.text


async def test_other_replies_reach_the_responsible_persons_inbox(world, napi):
    await consenting_case(world)
    await _sms(napi, "Je ne suis pas disponible lundi", sid="SMa")
    [reply_app, _] = await outbox(template="sms_reply_received")
    assert reply_app["recipient_user"] == world.sapv.id
    assert reply_app["payload"]["reply"] == "Je ne suis pas disponible lundi"
    await _sms(napi, "Je serai en retard", sid="SMb", sender="+32470111222")
    perpetrator_reply = (await outbox(template="sms_reply_received"))[-1]
    assert perpetrator_reply["recipient_user"] == world.ja.id


async def test_the_same_inbound_message_twice_is_handled_once(world, napi):
    await consenting_case(world)
    await _sms(napi, "Bonjour", sid="SMdup")
    await _sms(napi, "Bonjour", sid="SMdup")
    assert len(await InboundMessage.select().where(InboundMessage.provider_id == "SMdup")) == 1
    assert len(await outbox(template="sms_reply_received")) == 2  # in-app and e-mail, once


async def test_a_callback_faster_than_the_dispatcher_is_applied_later(
    world, notify_settings, channels, twilio, napi
):
    from perp_track.notify.inbound import apply_pending
    from perp_track.notify.tables import Notification, PendingStatus

    await _sent_to_victim(world, notify_settings, channels, twilio)
    [row] = await victim_updates()
    # As if Twilio answered before the outcome (and its sid) was written down.
    await Notification.update(
        {Notification.provider_id: None, Notification.state: "sending"}
    ).where(Notification.id == row["id"])
    assert await deliver(napi.client, twilio.take_callbacks()) == [200, 200]
    assert len(await PendingStatus.select()) == 2
    await Notification.update(
        {Notification.provider_id: row["provider_id"], Notification.state: "sent"}
    ).where(Notification.id == row["id"])
    assert await apply_pending(now=world.clock.now()) == 2
    [row] = await victim_updates()
    assert row["state"] == "delivered"
    assert await PendingStatus.select() == []
