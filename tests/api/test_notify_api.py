"""The notification API: the SAPV contact's safe-contact profile, the inbox, acknowledgement."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from twilio.request_validator import RequestValidator

from perp_track.inbox.services import escalate_unacknowledged
from perp_track.notify.context import ack_token
from perp_track.notify.dispatch.batch import dispatch_once
from tests.api.conftest import Api
from tests.fakes.fixtures import *  # noqa: F403
from tests.fakes.twilio import AUTH_TOKEN, FROM
from tests.notify_helpers import open_ban, outbox
from tests.world import World


@pytest.fixture
async def napi(notify_app) -> AsyncIterator[Api]:  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=notify_app), base_url="http://testserver"
    ) as client:
        yield Api(client)


async def test_sapv_records_consent_and_profile(world: World, napi: Api):
    case = await world.open_case()
    victim = case.victim.id
    url = f"/api/victims/{victim}/safe-contact"
    r = await napi.as_(world.sapv, "GET", url)
    assert r.status_code == 200, r.text
    assert r.json()["may_receive_sms"] is False
    assert r.json()["blocked_because"] == "no_profile"

    r = await napi.as_(
        world.sapv,
        "PUT",
        url,
        json={
            "sms_allowed": True,
            "safe_from": "10:00",
            "safe_until": "18:30",
            "detail_level": "status",
            "language": "nl",
            "code_word": "Tournesol",
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["blocked_because"], body["has_code_word"], body["language"]) == (
        "no_consent",
        True,
        "nl",
    )
    assert "Tournesol" not in r.text

    r = await napi.as_(world.sapv, "POST", f"/api/victims/{victim}/consent", json={})
    assert r.status_code == 200, r.text
    assert r.json()["consent"] is True
    assert r.json()["consent_recorded_by"] == world.sapv.id
    # Nothing goes to her number before she confirms it with the code given in person.
    assert r.json()["may_receive_sms"] is False
    assert (r.json()["blocked_because"], r.json()["number_status"]) == ("unconfirmed", "waiting")
    r = await napi.as_(world.sapv, "POST", f"/api/victims/{victim}/number/code")
    assert r.status_code == 200, r.text
    code = r.json()["code"]
    assert len(code) == 6 and code.isdigit()
    params = {"MessageSid": "SMcode", "From": case.victim.phone, "To": FROM, "Body": code}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(
        "https://perp-track.test/api/twilio/inbound", params
    )
    r = await napi.client.post(
        "/api/twilio/inbound", data=params, headers={"X-Twilio-Signature": signature}
    )
    assert r.status_code == 200
    r = await napi.as_(world.sapv, "GET", url)
    assert (r.json()["may_receive_sms"], r.json()["number_status"]) == (True, "confirmed")

    r = await napi.as_(world.sapv, "GET", "/api/victims")
    assert [v["victim_id"] for v in r.json()] == [victim]

    r = await napi.as_(world.sapv, "POST", f"/api/victims/{victim}/consent/revoke", json={})
    assert r.json()["consent"] is False
    assert r.json()["blocked_because"] == "consent_revoked"

    # Every change is on the case timeline, the code word never.
    r = await napi.as_(world.ja, "GET", f"/api/cases/{case.id}")
    kinds = [e["kind"] for e in r.json()["timeline"]]
    assert {"safe_contact_updated", "victim_consent_recorded", "victim_consent_revoked"} <= set(
        kinds
    )
    assert "Tournesol" not in r.text


@pytest.mark.parametrize(
    "body",
    [
        {"safe_from": "25:00"},
        {"detail_level": "everything"},
        {"code_word": "STOP"},
        {"code_word": "ok"},
        {"language": "es"},
        {"unknown": True},
    ],
)
async def test_bad_profile_input_is_a_422(world: World, napi: Api, body):
    case = await world.open_case()
    r = await napi.as_(world.sapv, "PUT", f"/api/victims/{case.victim.id}/safe-contact", json=body)
    assert r.status_code in {400, 422}, r.text


async def test_only_her_sapv_contact_sees_the_profile(world: World, napi: Api):
    case = await world.open_case(
        victim=world.case_data().victim.model_copy(update={"sapv_contact_id": None})
    )
    r = await napi.as_(world.sapv, "GET", f"/api/victims/{case.victim.id}/safe-contact")
    assert r.status_code == 404
    for user in (world.ja, world.officer, world.praxis):
        r = await napi.as_(user, "GET", f"/api/victims/{case.victim.id}/safe-contact")
        assert r.status_code == 403


async def _feedback(world: World, notify_settings, channels) -> int:
    case = await world.open_case()
    await open_ban(world, case.id)
    await dispatch_once(settings=notify_settings, clock=world.clock, channels=channels)
    return case.id


async def test_inbox_lists_and_marks_read(world: World, napi: Api, notify_settings, channels):
    await _feedback(world, notify_settings, channels)
    r = await napi.as_(world.officer, "GET", "/api/inbox")
    assert r.status_code == 200, r.text
    page = r.json()
    assert (page["total"], page["unread"]) == (1, 1)
    [item] = page["items"]
    assert item["subject"].endswith("Mesure de protection en vigueur")
    assert "Ce qui s'est passé" in item["body"]
    assert item["needs_acknowledgement"] is True

    r = await napi.as_(world.officer, "POST", f"/api/inbox/{item['id']}/read")
    assert r.json()["read_at"] is not None
    r = await napi.as_(world.officer, "GET", "/api/inbox?unread=true")
    assert r.json()["items"] == []
    # Someone else's message does not exist for you.
    r = await napi.as_(world.sapv, "POST", f"/api/inbox/{item['id']}/read")
    assert r.status_code == 404


async def test_feedback_acknowledged_from_the_inbox(
    world: World, napi: Api, notify_settings, channels
):
    await _feedback(world, notify_settings, channels)
    [item] = (await napi.as_(world.officer, "GET", "/api/inbox")).json()["items"]
    r = await napi.as_(world.officer, "POST", f"/api/inbox/{item['id']}/acknowledge")
    assert r.status_code == 200, r.text
    assert r.json()["acknowledged_at"] is not None
    # The e-mail of the same feedback counts as acknowledged too.
    rows = await outbox(audience="referring_officer")
    assert all(r["acknowledged_at"] is not None for r in rows)
    # Not feedback: cannot be acknowledged.
    [sapv_item] = (await napi.as_(world.sapv, "GET", "/api/inbox")).json()["items"][:1]
    r = await napi.as_(world.sapv, "POST", f"/api/inbox/{sapv_item['id']}/acknowledge")
    assert r.status_code == 404


async def test_feedback_acknowledged_from_the_signed_link(
    world: World, napi: Api, notify_settings, channels
):
    await _feedback(world, notify_settings, channels)
    [email] = await outbox(audience="referring_officer", channel="email")
    token = ack_token(notify_settings.secret_key, email["id"])
    assert f"/api/feedback/{token}" in email["body"]
    # Opening the link (as a mail scanner does) acknowledges nothing.
    r = await napi.client.get(f"/api/feedback/{token}")
    assert r.status_code == 200
    assert "<form" in r.text
    assert (await outbox(audience="referring_officer", channel="email"))[0][
        "acknowledged_at"
    ] is None
    r = await napi.client.post(f"/api/feedback/{token}")
    assert r.status_code == 200
    assert all(r["acknowledged_at"] for r in await outbox(audience="referring_officer"))
    r = await napi.client.post(f"/api/feedback/{token[:-2]}00")
    assert r.status_code == 404


async def test_unacknowledged_feedback_is_escalated_once(world: World, notify_settings, channels):
    await _feedback(world, notify_settings, channels)
    assert await escalate_unacknowledged(settings=notify_settings, clock=world.clock) == 0
    world.clock.advance(timedelta(days=notify_settings.feedback_ack_escalation_days, hours=1))
    assert await escalate_unacknowledged(settings=notify_settings, clock=world.clock) == 1
    told = await outbox(template="feedback_unacknowledged")
    assert {t["recipient_user"] for t in told} == {world.ja.id}
    assert told[0]["payload"]["officer_name"] == "Luc Officer"
    assert await escalate_unacknowledged(settings=notify_settings, clock=world.clock) == 0


async def test_acknowledged_feedback_is_not_escalated(
    world: World, napi: Api, notify_settings, channels
):
    await _feedback(world, notify_settings, channels)
    [item] = (await napi.as_(world.officer, "GET", "/api/inbox")).json()["items"]
    await napi.as_(world.officer, "POST", f"/api/inbox/{item['id']}/acknowledge")
    world.clock.advance(timedelta(days=30))
    assert await escalate_unacknowledged(settings=notify_settings, clock=world.clock) == 0


async def test_channel_preferences(world: World, napi: Api):
    r = await napi.as_(world.officer, "GET", "/api/inbox/preferences")
    assert r.json() == {"email": True, "in_app": True, "daily_digest": False, "version": 1}
    # Every change sends the version it read.
    r = await napi.as_(
        world.officer, "PUT", "/api/inbox/preferences", json={"email": False, "in_app": True}
    )
    assert r.status_code == 400
    change = {"email": False, "in_app": True, "version": 1}
    r = await napi.as_(world.officer, "PUT", "/api/inbox/preferences", json=change)
    assert r.status_code == 200, r.text
    assert r.json() == {"email": False, "in_app": True, "daily_digest": False, "version": 2}
    # The same change from a form read before it: refused, nothing changed.
    stale = {"email": True, "in_app": True, "version": 1}
    r = await napi.as_(world.officer, "PUT", "/api/inbox/preferences", json=stale)
    assert r.status_code == 409
    assert r.json()["extra"]["current_version"] == 2
    r = await napi.as_(world.officer, "GET", "/api/inbox/preferences")
    assert r.json()["email"] is False
    case = await world.open_case()
    await open_ban(world, case.id)
    channels = {r["channel"] for r in await outbox(audience="referring_officer")}
    assert channels == {"in_app"}


async def test_daily_digest_sends_one_email_in_the_morning(
    world: World, napi: Api, notify_settings, channels, smtp
):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from perp_track.notify.digest import send_digests

    await napi.as_(
        world.officer,
        "PUT",
        "/api/inbox/preferences",
        json={"email": True, "in_app": True, "daily_digest": True, "version": 1},
    )
    for _ in range(2):
        case = await world.open_case()
        await open_ban(world, case.id)
    await dispatch_once(settings=notify_settings, clock=world.clock, channels=channels)
    assert [m["To"] for m in smtp.messages].count(world.officer.email) == 0
    assert await send_digests(settings=notify_settings, clock=world.clock, channels=channels) == 0
    world.clock.set(datetime(2026, 3, 3, 7, 5, tzinfo=ZoneInfo("Europe/Brussels")))
    assert await send_digests(settings=notify_settings, clock=world.clock, channels=channels) == 1
    [digest] = [m for m in smtp.messages if m["To"] == world.officer.email]
    assert digest["Subject"] == "Vos notifications du jour"
    assert {r["state"] for r in await outbox(audience="referring_officer", channel="email")} == {
        "sent"
    }


async def test_every_notify_route_is_guarded(napi: Api):
    for method, url in [
        ("GET", "/api/inbox"),
        ("GET", "/api/victims"),
        ("PUT", "/api/inbox/preferences"),
        ("POST", "/api/inbox/1/read"),
    ]:
        r = await napi.client.request(method, url)
        assert r.status_code == 401, url


async def test_reading_and_changing_her_profile_is_on_her_disclosure_log(world: World, napi: Api):
    from perp_track.audit.services import entries_about_person

    case = await world.open_case()
    await open_ban(world, case.id)
    victim = case.victim.id
    r = await napi.as_(world.sapv, "GET", f"/api/victims/{victim}/safe-contact")
    assert r.status_code == 200
    r = await napi.as_(world.sapv, "POST", f"/api/victims/{victim}/consent", json={})
    assert r.status_code in {200, 201}, r.text
    entries = await entries_about_person(victim)
    assert any(e["action"] == "read" and e["actor_id"] == world.sapv.id for e in entries)
    # The consent went on the case timeline through record_event, so on the audit trail too.
    assert any(
        e["action"] != "read" and e["case_id"] == case.id for e in await _case_audit(case.id)
    )


async def _case_audit(case_id: int) -> list[dict]:
    from perp_track.audit.tables import AuditEntry

    return await AuditEntry.select().where(AuditEntry.case_id == case_id)
