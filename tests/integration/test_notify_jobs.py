"""The scheduler's message jobs against the fake Twilio: dispatch, reconciliation, give-up."""

from datetime import timedelta

from perp_track.notify.jobs import dispatch, reconcile
from perp_track.notify.tables import Notification
from perp_track.summons.schemas import SummonsCreate
from perp_track.summons.services import schedule_summons
from tests.fakes.fixtures import *  # noqa: F403
from tests.world import World


async def queue_one_sms(world: World) -> None:
    case = await world.open_case()
    await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        clock=world.clock,
        data=SummonsCreate(scheduled_at=world.soon(5)),
    )


async def sms_rows() -> list[dict]:
    return await Notification.select().where(Notification.channel == "sms")


async def test_the_dispatch_job_sends_through_twilio(world: World, notify_settings, twilio):
    await queue_one_sms(world)
    summary = await dispatch(world.clock, notify_settings)
    assert summary.startswith("1 claimed")
    assert len(twilio.messages) == 1
    assert [r["state"] for r in await sms_rows()] == ["sent"]


async def test_a_message_without_receipt_is_looked_up_then_given_up(
    world: World, notify_settings, twilio
):
    await queue_one_sms(world)
    await dispatch(world.clock, notify_settings)
    (row,) = await sms_rows()
    # No status callback reached us (they are only recorded by the fake); Twilio knows better.
    twilio.messages[row["provider_id"]]["status"] = "delivered"
    assert await reconcile(world.clock, notify_settings) == "0 looked up"  # too early
    world.clock.advance(timedelta(hours=2))
    assert await reconcile(world.clock, notify_settings) == "1 looked up, 0 marked unknown"
    assert [r["state"] for r in await sms_rows()] == ["delivered"]


async def test_a_message_twilio_does_not_know_ends_unknown(world: World, notify_settings, twilio):
    await queue_one_sms(world)
    await dispatch(world.clock, notify_settings)
    twilio.messages.clear()
    world.clock.advance(timedelta(hours=notify_settings.reconcile_give_up_hours + 1))
    assert await reconcile(world.clock, notify_settings) == "0 looked up, 1 marked unknown"
    (row,) = await sms_rows()
    assert row["state"] == "unknown"
    assert row["error_code"] == "no_receipt"
