"""Programme staff record conduct, behaviour and concerns at each session; a concern reaches the
justice assistant at once and, in a high-risk case, starts the closed loop."""

from __future__ import annotations

from datetime import timedelta

import pytest

from perp_track.cases.rules import EventKind, RiskLevel
from perp_track.cases.tables import CaseEvent
from perp_track.errors import Invalid
from perp_track.measures.rules import ConditionKind, MeasureKind
from perp_track.measures.schemas import ConditionCreate
from perp_track.notify.rules import SystemNotice
from perp_track.notify.tables import Notification
from perp_track.risk.rules import Conduct
from perp_track.risk.tables import ProgrammeObservation, RiskAlert
from perp_track.summons.programme import roll_call
from perp_track.summons.programme import services as programme
from perp_track.summons.programme.schemas import RollCallEntry, RollCallIn, SessionCreate
from perp_track.summons.rules import Outcome
from tests.world import World

THREAT = "Said he would wait for her outside the school"


async def _held_session(world: World, level: RiskLevel) -> tuple[int, int, int, int]:
    case = await world.open_case(risk_level=level)
    measure = await world.add_measure(
        case.id,
        MeasureKind.MEDIATION_216TER,
        conditions=[
            ConditionCreate(
                kind=ConditionKind.PROGRAMME, provider_id=world.orgs["praxis"], required_sessions=21
            )
        ],
    )
    condition = measure.conditions[0].id
    session = await programme.schedule_session(
        actor=world.praxis,
        data=SessionCreate(starts_at=world.soon(1, 18), participants=[condition]),
        clock=world.clock,
    )
    world.clock.advance(timedelta(days=2))
    return case.id, condition, session.id, session.version


async def test_a_concern_tells_the_justice_assistant_and_starts_the_loop(world: World):
    case_id, condition, session_id, version = await _held_session(world, RiskLevel.HIGH)
    await roll_call.save_roll_call(
        actor=world.praxis,
        session_id=session_id,
        data=RollCallIn(
            version=version,
            entries=[
                RollCallEntry(
                    condition_id=condition,
                    outcome=Outcome.ATTENDED,
                    conduct=Conduct.FAILED_TO_COMPLY,
                    behaviour_note="Refused the exercise",
                    concern=True,
                    concern_description=THREAT,
                )
            ],
        ),
        clock=world.clock,
    )
    told = await Notification.select().where(
        Notification.template == SystemNotice.PROGRAMME_CONCERN
    )
    assert {(r["recipient_user"], r["channel"], r["urgent"]) for r in told} == {
        (world.ja.id, "in_app", True),
        (world.ja.id, "email", True),
    }
    alerts = await RiskAlert.select().where(RiskAlert.case == case_id)
    assert {(a["kind"], a["trigger"]) for a in alerts} == {
        ("police_alert", "programme_concern"),
        ("safety_check", "programme_concern"),
    }
    # The police and the SAPV contact hear that a concern was raised, never what was said.
    others = await Notification.select(Notification.payload).where(
        Notification.template.is_in(
            [SystemNotice.RISK_POLICE_ALERT, SystemNotice.RISK_SAFETY_CHECK]
        )
    )
    assert others and all(THREAT not in str(r["payload"]) for r in others)
    event = (
        await CaseEvent.select()
        .where((CaseEvent.case == case_id) & (CaseEvent.kind == EventKind.PROGRAMME_BEHAVIOUR))
        .first()
        .output(load_json=True)
    )
    assert event["data"]["conduct"] == "failed_to_comply"
    assert event["data"]["description"] == THREAT


async def test_below_the_loop_tier_a_concern_tells_only_the_justice_assistant(world: World):
    case_id, condition, session_id, version = await _held_session(world, RiskLevel.LOW)
    await roll_call.save_roll_call(
        actor=world.praxis,
        session_id=session_id,
        data=RollCallIn(
            version=version,
            entries=[
                RollCallEntry(
                    condition_id=condition,
                    outcome=Outcome.LATE,
                    concern=True,
                    concern_description=THREAT,
                )
            ],
        ),
        clock=world.clock,
    )
    assert await RiskAlert.count().where(RiskAlert.case == case_id) == 0
    assert await Notification.count().where(Notification.template == SystemNotice.PROGRAMME_CONCERN)


async def test_a_concern_without_its_description_saves_nothing(world: World):
    case_id, condition, session_id, version = await _held_session(world, RiskLevel.HIGH)
    with pytest.raises(Invalid) as refused:
        await roll_call.save_roll_call(
            actor=world.praxis,
            session_id=session_id,
            data=RollCallIn(
                version=version,
                entries=[
                    RollCallEntry(condition_id=condition, outcome=Outcome.ATTENDED, concern=True)
                ],
            ),
            clock=world.clock,
        )
    assert refused.value.code == "risk.concern_needs_description"
    assert await ProgrammeObservation.count() == 0
    from perp_track.summons.tables import Attendance

    assert await Attendance.count().where(Attendance.case == case_id) == 0


async def test_an_unexcused_programme_absence_at_high_risk_starts_the_loop(world: World):
    case_id, condition, session_id, version = await _held_session(world, RiskLevel.SEVERE)
    await roll_call.save_roll_call(
        actor=world.praxis,
        session_id=session_id,
        data=RollCallIn(
            version=version,
            entries=[RollCallEntry(condition_id=condition, outcome=Outcome.ABSENT_NO_VALID_REASON)],
        ),
        clock=world.clock,
    )
    alerts = await RiskAlert.select().where(RiskAlert.case == case_id)
    assert {(a["trigger"], a["due_at"]) for a in alerts} == {
        ("programme_absence", world.clock.now() + timedelta(hours=4))  # severe: 4 hours
    }
    assert await ProgrammeObservation.count() == 0  # nothing observed, nothing stored
