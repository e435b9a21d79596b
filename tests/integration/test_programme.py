"""Programme staff: sessions, roll-call, corrections, completion and interruption."""

from __future__ import annotations

from datetime import timedelta

import pytest

from perp_track.errors import Conflict, Forbidden, Invalid, NotFound
from perp_track.measures.rules import ConditionKind, ConditionStatus, Interruption, MeasureKind
from perp_track.measures.schemas import ConditionCreate
from perp_track.notify.tables import Notification
from perp_track.summons.programme import roll_call
from perp_track.summons.programme import services as programme
from perp_track.summons.programme import views as programme_views
from perp_track.summons.programme.schemas import (
    AttendanceCorrectionIn,
    InterruptionIn,
    RollCallEntry,
    RollCallIn,
    SessionCreate,
)
from perp_track.summons.rules import Outcome
from tests.world import World


async def referral(world: World, sessions: int = 2, last_name: str = "Dubois") -> int:
    case = await world.open_case(
        perpetrator=world.case_data().perpetrator.model_copy(update={"last_name": last_name})
    )
    measure = await world.add_measure(
        case.id,
        MeasureKind.MEDIATION_216TER,
        conditions=[
            ConditionCreate(
                kind=ConditionKind.PROGRAMME,
                provider_id=world.orgs["praxis"],
                required_sessions=sessions,
            )
        ],
    )
    return next(c.id for c in measure.conditions if c.kind is ConditionKind.PROGRAMME)


async def session_with(world: World, *condition_ids: int, days: int = 1):
    return await programme.schedule_session(
        actor=world.praxis,
        data=SessionCreate(starts_at=world.soon(days, 18), participants=list(condition_ids)),
        clock=world.clock,
    )


def roll(version: int, *entries: tuple[int, Outcome, str | None]) -> RollCallIn:
    return RollCallIn(
        version=version,
        entries=[RollCallEntry(condition_id=c, outcome=o, reason=r) for c, o, r in entries],
    )


async def test_roll_call_completes_a_programme(world: World):
    a = await referral(world, sessions=2, last_name="Alpha")
    b = await referral(world, sessions=2, last_name="Beta")
    referrals = await programme_views.list_referrals(actor=world.praxis)
    assert [r.name for r in referrals] == ["Marc Alpha", "Marc Beta"]
    # Staff see what running a group needs and nothing of the victim.
    assert "victim" not in referrals[0].model_dump_json().lower()
    assert "julie" not in referrals[0].model_dump_json().lower()

    first = await session_with(world, a, b)
    assert [p.name for p in first.participants] == ["Marc Alpha", "Marc Beta"]
    with pytest.raises(Invalid, match="not started yet"):
        await roll_call.save_roll_call(
            actor=world.praxis,
            session_id=first.id,
            data=roll(first.version, (a, Outcome.ATTENDED, None), (b, Outcome.ATTENDED, None)),
            clock=world.clock,
        )
    world.clock.advance(timedelta(days=2))
    with pytest.raises(Invalid, match="missing"):
        await roll_call.save_roll_call(
            actor=world.praxis,
            session_id=first.id,
            data=roll(first.version, (a, Outcome.ATTENDED, None)),
            clock=world.clock,
        )
    with pytest.raises(Invalid, match="needs a reason"):
        await roll_call.save_roll_call(
            actor=world.praxis,
            session_id=first.id,
            data=roll(
                first.version, (a, Outcome.ATTENDED, None), (b, Outcome.ABSENT_VALID_REASON, None)
            ),
            clock=world.clock,
        )
    saved = await roll_call.save_roll_call(
        actor=world.praxis,
        session_id=first.id,
        data=roll(
            first.version,
            (a, Outcome.ATTENDED, None),
            (b, Outcome.ABSENT_NO_VALID_REASON, None),
        ),
        clock=world.clock,
    )
    assert saved.roll_call_at is not None
    assert {p.condition_id: p.outcome for p in saved.participants} == {
        a: Outcome.ATTENDED,
        b: Outcome.ABSENT_NO_VALID_REASON,
    }
    with pytest.raises(Conflict, match="already saved"):
        await roll_call.save_roll_call(
            actor=world.praxis,
            session_id=first.id,
            data=roll(saved.version, (a, Outcome.ATTENDED, None), (b, Outcome.ATTENDED, None)),
            clock=world.clock,
        )
    # A correction is a new record; the first one stays.
    corrected = await roll_call.correct_attendance(
        actor=world.praxis,
        session_id=first.id,
        data=AttendanceCorrectionIn(
            condition_id=b, outcome=Outcome.ABSENT_VALID_REASON, reason="Medical certificate"
        ),
        clock=world.clock,
    )
    assert {p.condition_id: p.outcome for p in corrected.participants}[b] == (
        Outcome.ABSENT_VALID_REASON
    )
    from perp_track.summons.tables import Attendance

    rows = await Attendance.select().where(Attendance.condition == b)
    assert len(rows) == 2
    assert rows[1]["corrects"] == rows[0]["id"]

    second = await session_with(world, a, b, days=1)
    world.clock.advance(timedelta(days=2))
    await roll_call.save_roll_call(
        actor=world.praxis,
        session_id=second.id,
        data=roll(second.version, (a, Outcome.LATE, None), (b, Outcome.ATTENDED, None)),
        clock=world.clock,
    )
    statuses = {r.condition_id: r for r in await programme_views.list_referrals(actor=world.praxis)}
    assert statuses[a].status is ConditionStatus.MET
    assert statuses[a].sessions_attended == 2
    assert statuses[b].status is ConditionStatus.IN_PROGRESS
    assert statuses[b].sessions_attended == 1


async def test_interruption_tells_the_victims_side(world: World):
    a = await referral(world)
    before = (await programme_views.list_referrals(actor=world.praxis))[0]
    after = await programme.report_interruption(
        actor=world.praxis,
        condition_id=a,
        data=InterruptionIn(
            interruption=Interruption.EXCLUDED, reason="Violent behaviour in group", version=1
        ),
        clock=world.clock,
    )
    assert before.version == 1
    assert after.status is ConditionStatus.BREACHED
    assert after.interruption is Interruption.EXCLUDED
    rows = await Notification.select().where(Notification.template == "programme_interrupted")
    # The victim gave no consent in this case: her row is kept, suppressed, never sent.
    assert {r["audience"] for r in rows} == {"referring_officer", "sapv_contact", "victim"}
    assert {r["state"] for r in rows if r["audience"] == "victim"} == {"suppressed"}
    # What the victim's side hears says nothing of the programme's content.
    assert all("Violent" not in str(r["payload"]) for r in rows)
    with pytest.raises(Invalid, match="no longer in the programme"):
        await session_with(world, a)


async def test_staff_reach_only_their_own_referrals(world: World):
    a = await referral(world)
    session = await session_with(world, a)
    with pytest.raises(Forbidden):
        await programme_views.list_referrals(actor=world.ja)
    from perp_track.auth.services import create_user
    from perp_track.orgs.rules import OrgKind
    from perp_track.orgs.services import create_organisation

    other = await create_organisation(
        name="Other provider", kind=OrgKind.PROGRAMME_PROVIDER, clock=world.clock
    )
    stranger = await create_user(
        email="x@other.example",
        full_name="X",
        role=world.praxis.role,
        organisation_id=other,
        password="correct horse battery staple",
        clock=world.clock,
    )
    with pytest.raises(NotFound):
        await programme_views.read_session(actor=stranger, session_id=session.id)
    with pytest.raises(Invalid, match="not one of your programme referrals"):
        await programme.schedule_session(
            actor=stranger,
            data=SessionCreate(starts_at=world.soon(3, 18), participants=[a]),
            clock=world.clock,
        )
    assert await programme_views.list_referrals(actor=stranger) == []


async def test_a_roll_call_not_saved_a_day_later_is_due(world: World):
    a = await referral(world)
    session = await session_with(world, a)
    world.clock.set(session.starts_at + timedelta(hours=20))
    due = await programme_views.roll_calls_due(
        actor=world.praxis, now=world.clock.now(), grace_hours=24
    )
    assert due == []
    world.clock.set(session.starts_at + timedelta(hours=25))
    due = await programme_views.roll_calls_due(
        actor=world.praxis, now=world.clock.now(), grace_hours=24
    )
    assert [s.id for s in due] == [session.id]
    await roll_call.save_roll_call(
        actor=world.praxis,
        session_id=session.id,
        data=roll(session.version, (a, Outcome.ATTENDED, None)),
        clock=world.clock,
    )
    assert (
        await programme_views.roll_calls_due(
            actor=world.praxis, now=world.clock.now(), grace_hours=24
        )
        == []
    )
