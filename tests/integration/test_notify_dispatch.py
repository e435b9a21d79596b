"""Dispatch through the real Twilio SDK to the fake Twilio, and e-mail to a local SMTP server."""

from __future__ import annotations

from perp_track.notify.dispatch import dispatch_once
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
    }, report
    [message] = twilio.messages.values()
    assert message["to"] == "+32470333444"
    assert "protection" in message["body"]
    assert len(smtp.messages) == 2
