"""Summons reminders and unrecorded attendance, with the clock walked hour by hour."""

from datetime import timedelta

from perp_track.cases.rules import RiskLevel
from perp_track.notify.rules import Notice
from perp_track.notify.tables import Notification
from perp_track.summons.jobs import attendance_overdue_alerts, send_reminders
from perp_track.summons.rules import RequestedBy
from perp_track.summons.schemas import SummonsCancel, SummonsCreate, SummonsReschedule
from perp_track.summons.services import cancel_summons, reschedule_summons, schedule_summons
from tests.world import World

# The ordinary schedule; a higher tier adds to it (tests/integration/test_risk_response.py).
ORDINARY = RiskLevel.MEDIUM


async def sv(summons_id: int) -> int:
    """The version of a summons as a client would have read it."""
    from perp_track.summons.tables import Summons

    row = await Summons.select(Summons.version).where(Summons.id == summons_id).first()
    return int(row["version"])


async def mv(measure_id: int) -> int:
    from perp_track.measures.tables import Measure

    row = await Measure.select(Measure.version).where(Measure.id == measure_id).first()
    return int(row["version"])


async def reminders() -> list[dict]:
    rows = Notification.select().where(Notification.template == Notice.SUMMONS_REMINDER)
    return await rows.order_by(Notification.id).output(load_json=True)


async def walk(world: World, settings, hours: int) -> None:
    for _ in range(hours):
        await send_reminders(world.clock, settings)
        world.clock.advance(timedelta(hours=1))


async def test_four_reminders_once_each_never_after(world: World, settings):
    case = await world.open_case(risk_level=ORDINARY)
    when = world.soon(10, hour=13)  # 14:00 in Brussels
    await schedule_summons(
        actor=world.ja, case_id=case.id, clock=world.clock, data=SummonsCreate(scheduled_at=when)
    )
    await walk(world, settings, 12 * 24)
    rows = await reminders()
    assert [r["payload"]["reminder"] for r in rows] == ["d7", "d3", "d1", "morning"]
    for row in rows:
        assert row["not_after"] == when
        assert row["created_at"] < when
        assert row["audience"] == "perpetrator"
        assert row["channel"] == "sms"


async def test_a_rescheduled_summons_reminds_for_its_new_time_only(world: World, settings):
    case = await world.open_case(risk_level=ORDINARY)
    first = await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        clock=world.clock,
        data=SummonsCreate(scheduled_at=world.soon(8)),
    )
    await walk(world, settings, 2 * 24)  # the 7-day reminder went out
    moved = await reschedule_summons(
        actor=world.ja,
        summons_id=first.id,
        clock=world.clock,
        data=SummonsReschedule(
            version=await sv(first.id),
            scheduled_at=world.soon(12),
            reason="Court hearing that day",
            requested_by=RequestedBy.PERPETRATOR,
        ),
    )
    await walk(world, settings, 14 * 24)
    rows = await reminders()
    old = [r for r in rows if r["payload"]["scheduled_at"] == first.scheduled_at.isoformat()]
    new = [r for r in rows if r["payload"]["scheduled_at"] == moved.scheduled_at.isoformat()]
    assert [r["payload"]["reminder"] for r in old] == ["d7"]
    assert [r["payload"]["reminder"] for r in new] == ["d7", "d3", "d1", "morning"]


async def test_a_cancelled_summons_reminds_no_more(world: World, settings):
    case = await world.open_case()
    s = await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        clock=world.clock,
        data=SummonsCreate(scheduled_at=world.soon(5)),
    )
    await walk(world, settings, 60)
    assert [r["payload"]["reminder"] for r in await reminders()] == ["d3"]
    await cancel_summons(
        actor=world.ja,
        summons_id=s.id,
        clock=world.clock,
        data=SummonsCancel(version=await sv(s.id), reason="Measure lifted"),
    )
    await walk(world, settings, 6 * 24)
    assert len(await reminders()) == 1


async def test_unrecorded_attendance_tells_the_justice_assistant_once(world: World, settings):
    case = await world.open_case(risk_level=ORDINARY)
    await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        clock=world.clock,
        data=SummonsCreate(scheduled_at=world.soon(1)),
    )
    world.clock.advance(timedelta(days=1, hours=23))
    assert await attendance_overdue_alerts(world.clock, settings) == (
        "0 justice assistants told of unrecorded attendance"
    )
    world.clock.advance(timedelta(hours=4))
    await attendance_overdue_alerts(world.clock, settings)
    await attendance_overdue_alerts(world.clock, settings)
    rows = await Notification.select().where(
        Notification.template == Notice.ATTENDANCE_NOT_RECORDED
    )
    assert [(r["audience"], r["recipient_user"], r["channel"]) for r in rows] == [
        ("justice_assistant", world.ja.id, "in_app")
    ]
