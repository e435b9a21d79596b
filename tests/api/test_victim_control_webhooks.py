"""Her replies through the signed inbound webhook: the code that confirms her number, a wrong
code answered like any other text, PAUSE and RESUME in French, Dutch and English."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from twilio.request_validator import RequestValidator

from perp_track.notify.dispatch.batch import dispatch_once
from perp_track.notify.tables import InboundMessage, SafeContactProfile
from tests.api.conftest import Api
from tests.fakes.fixtures import *  # noqa: F403
from tests.fakes.twilio import AUTH_TOKEN, FROM
from tests.notify_helpers import consenting_case, her_code, open_ban, outbox, victim_updates

INBOUND = "/api/twilio/inbound"
PUBLIC = "https://perp-track.test"
VICTIM_PHONE = "+32470333444"


@pytest.fixture
async def napi(notify_app) -> AsyncIterator[Api]:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=notify_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://internal:8000") as client:
        yield Api(client)


async def _sms(napi: Api, body: str, sid: str) -> httpx.Response:
    params = {"MessageSid": sid, "From": VICTIM_PHONE, "To": FROM, "Body": body}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC + INBOUND, params)
    response = await napi.client.post(
        INBOUND, data=params, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("language", "thanks"), [("fr", "Merci"), ("nl", "Bedankt"), ("en", "Thank you")]
)
async def test_her_reply_with_the_code_confirms_her_number(
    world, napi, notify_settings, channels, twilio, language, thanks
):
    case = await consenting_case(world, confirm=False, language=language)
    await open_ban(world, case.id)
    code = await her_code(world, case.victim.id)
    response = await _sms(napi, code, "SMok")
    assert thanks in response.text
    assert code not in response.text
    [stored] = await InboundMessage.select().where(InboundMessage.provider_id == "SMok")
    assert (stored["kind"], stored["body"]) == ("number_confirmed", "")
    r = await napi.as_(world.sapv, "GET", f"/api/victims/{case.victim.id}/safe-contact")
    assert (r.json()["number_status"], r.json()["may_receive_sms"]) == ("confirmed", True)
    await dispatch_once(settings=notify_settings, clock=world.clock, channels=channels)
    [update] = await victim_updates()
    assert update["state"] == "sent"


async def test_a_wrong_code_is_answered_like_any_other_text(world, napi):
    case = await consenting_case(world, confirm=False)
    code = await her_code(world, case.victim.id)
    wrong = "123456" if code != "123456" else "654321"
    other = await _sms(napi, "Bonjour", "SMa")
    answer = await _sms(napi, wrong, "SMb")
    assert answer.text == other.text
    assert answer.headers["content-type"] == other.headers["content-type"]
    [stored] = await InboundMessage.select().where(InboundMessage.provider_id == "SMb")
    assert stored["kind"] == "wrong_code"
    r = await napi.as_(world.sapv, "GET", f"/api/victims/{case.victim.id}/safe-contact")
    assert (r.json()["number_status"], r.json()["number_wrong_codes"]) == ("waiting", 1)


@pytest.mark.parametrize(
    ("pause", "resume"), [("PAUSE", "REPRENDRE"), ("Pauze", "hervat"), ("pause", "Resume")]
)
async def test_she_pauses_and_resumes_her_updates_by_sms(
    world, napi, notify_settings, channels, twilio, pause, resume
):
    case = await consenting_case(world, safe_from="00:00", safe_until="23:59")
    response = await _sms(napi, pause, "SMp")
    assert "<Message>" in response.text  # a harmless acknowledgement
    profile = await SafeContactProfile.select().first()
    assert profile["paused_at"] is not None
    assert profile["consent_revoked_at"] is None
    await open_ban(world, case.id)
    await dispatch_once(settings=notify_settings, clock=world.clock, channels=channels)
    assert twilio.messages == {}
    await _sms(napi, resume, "SMr")
    assert (await SafeContactProfile.select().first())["paused_at"] is None
    await dispatch_once(settings=notify_settings, clock=world.clock, channels=channels)
    assert [m["to"] for m in twilio.messages.values()] == [VICTIM_PHONE]
    paused = await outbox(template="victim_paused")
    resumed = await outbox(template="victim_resumed")
    assert {r["recipient_user"] for r in paused + resumed} == {world.sapv.id}
    r = await napi.as_(world.ja, "GET", f"/api/cases/{case.id}")
    kinds = [e["kind"] for e in r.json()["timeline"]]
    assert "victim_updates_paused" in kinds and "victim_updates_resumed" in kinds


async def test_the_sapv_contact_api_for_her_number(world, napi):
    case = await consenting_case(world, confirm=False)
    victim = case.victim.id
    url = f"/api/victims/{victim}"
    r = await napi.as_(world.sapv, "GET", f"{url}/safe-contact")
    version = r.json()["number_version"]
    r = await napi.as_(world.sapv, "POST", f"{url}/number/resend", json={"version": "x"})
    assert r.status_code == 400
    r = await napi.as_(world.sapv, "POST", f"{url}/number/resend", json={"version": version})
    assert r.status_code == 200, r.text
    assert r.json()["number_resend_available"] is False
    r = await napi.as_(
        world.sapv, "POST", f"{url}/number/resend", json={"version": r.json()["number_version"]}
    )
    assert r.status_code == 422
    assert r.json()["code"] == "notify.resend_used"
    # Nobody else reads her code: another role is refused, and the code is in no answer but
    # the one made for it.
    r = await napi.as_(world.ja, "POST", f"{url}/number/code")
    assert r.status_code == 403
    r = await napi.as_(world.sapv, "POST", f"{url}/number/code")
    assert r.status_code == 200
    code = r.json()["code"]
    r = await napi.as_(world.sapv, "GET", f"{url}/safe-contact")
    assert code not in r.text
