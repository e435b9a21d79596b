"""Programme absences follow the missed-summons rule: the threshold-th absence without a valid
reason tells the referring officer (once); the officer also learns when the referral is
completed, as when it is interrupted."""

from __future__ import annotations

import json
from datetime import timedelta

from perp_track.measures.rules import MeasureEvent
from perp_track.measures.schemas import MeasureTransitionIn
from perp_track.measures.services import read_measure, transition_measure
from perp_track.measures.tables import Condition
from perp_track.notify.tables import Notification
from perp_track.summons.programme import roll_call
from perp_track.summons.rules import Outcome
from tests.integration.test_programme import referral, roll, session_with
from tests.world import World


async def _told_officer(world: World, template: str) -> list[dict]:
    return await Notification.select().where(
        (Notification.template == template) & (Notification.recipient_user == world.officer.id)
    )


async def _start(world: World, condition_id: int) -> None:
    row = await Condition.select(Condition.measure).where(Condition.id == condition_id).first()
    for event in (MeasureEvent.SCHEDULE_INTAKE, MeasureEvent.START):
        measure = await read_measure(actor=world.ja, measure_id=row["measure"])
        await transition_measure(
            actor=world.ja,
            measure_id=measure.id,
            data=MeasureTransitionIn(event=event, reason="Intake", version=measure.version),
            clock=world.clock,
        )


async def _session(world: World, condition_id: int, outcome: Outcome, day: int) -> None:
    session = await session_with(world, condition_id, days=day)
    world.clock.advance(timedelta(days=day + 1))
    await roll_call.save_roll_call(
        actor=world.praxis,
        session_id=session.id,
        data=roll(session.version, (condition_id, outcome, None)),
        clock=world.clock,
        absence_threshold=2,
    )


async def test_the_second_unexcused_absence_tells_the_officer_once(world: World):
    a = await referral(world, sessions=3)
    await _start(world, a)
    await _session(world, a, Outcome.ABSENT_NO_VALID_REASON, 1)
    assert await _told_officer(world, "repeated_programme_absences") == []  # the first: nobody
    await _session(world, a, Outcome.ATTENDED, 1)
    await _session(world, a, Outcome.ABSENT_NO_VALID_REASON, 1)
    told = await _told_officer(world, "repeated_programme_absences")
    assert {r["channel"] for r in told} == {"in_app", "email"}
    payloads = [
        json.loads(r["payload"]) if isinstance(r["payload"], str) else r["payload"] for r in told
    ]
    assert all(p["missed"] == 2 for p in payloads)
    assert not await Notification.exists().where(
        (Notification.template == "repeated_programme_absences")
        & (Notification.audience != "referring_officer")
    )
    await _session(world, a, Outcome.ABSENT_NO_VALID_REASON, 1)  # the third: already told
    assert len(await _told_officer(world, "repeated_programme_absences")) == 2


async def test_the_officer_learns_the_programme_is_completed(world: World):
    a = await referral(world, sessions=2)
    await _start(world, a)
    await _session(world, a, Outcome.ATTENDED, 1)
    assert await _told_officer(world, "programme_completed") == []
    await _session(world, a, Outcome.LATE, 1)
    row = await Condition.select(Condition.status).where(Condition.id == a).first()
    assert row["status"] == "met"
    told = await _told_officer(world, "programme_completed")
    assert {r["channel"] for r in told} == {"in_app", "email"}
