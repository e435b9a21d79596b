"""The tier's hours govern what follows non-compliance: the caseload and the case's deadlines
flag an unrecorded attendance after the case's tier's attendance_alert_hours (not the global
grace), and an alert acknowledged but never done escalates once, like an unanswered one."""

from __future__ import annotations

from datetime import timedelta

from perp_track.cases.caseload import services as caseload
from perp_track.cases.caseload.schemas import Attention
from perp_track.cases.rules import EventKind, RiskLevel
from perp_track.cases.tables import CaseEvent
from perp_track.i18n.events import describe
from perp_track.measures import reports
from perp_track.measures.deadlines import DeadlineKind, DeadlineState
from perp_track.notify.rules import SystemNotice
from perp_track.notify.tables import Notification
from perp_track.risk import jobs as risk_jobs
from perp_track.risk import loop
from perp_track.risk.rules import AlertStep
from perp_track.risk.tables import RiskAlert
from perp_track.summons.rules import Outcome
from perp_track.summons.schemas import AttendanceIn, SummonsCreate
from perp_track.summons.services import record_attendance, schedule_summons
from tests.world import World


async def test_an_unrecorded_attendance_is_overdue_after_the_tiers_hours(world: World, settings):
    assert settings.attendance_grace_hours == 24
    high = await world.open_case(risk_level=RiskLevel.HIGH)  # high: 4 hours
    medium = await world.open_case(risk_level=RiskLevel.MEDIUM)  # medium: 24 hours
    for case in (high, medium):
        await schedule_summons(
            actor=world.ja,
            case_id=case.id,
            clock=world.clock,
            data=SummonsCreate(scheduled_at=world.soon(1, 9)),
        )
    world.clock.advance(timedelta(days=1, hours=5))  # 14:00, the summons 4 h behind and more

    rows = await caseload.overdue(actor=world.ja, now=world.clock.now(), settings=settings)
    flagged = {r.case_id for r in rows if r.attention is Attention.ATTENDANCE_NOT_RECORDED}
    assert flagged == {high.id}
    page = await caseload.caseload(
        actor=world.ja,
        now=world.clock.now(),
        settings=settings,
        attention=Attention.ATTENDANCE_NOT_RECORDED,
    )
    assert [i.case_id for i in page.items] == [high.id]

    async def state(case_id: int) -> DeadlineState:
        found = await reports.case_deadlines(
            actor=world.ja, case_id=case_id, clock=world.clock, settings=settings
        )
        return next(d.state for d in found if d.kind is DeadlineKind.ATTENDANCE_NOT_RECORDED)

    assert await state(high.id) is DeadlineState.OVERDUE
    assert await state(medium.id) is not DeadlineState.OVERDUE
    world.clock.advance(timedelta(hours=20))  # 24 h and more: the medium case too
    assert await state(medium.id) is DeadlineState.OVERDUE


async def _missed_summons(world: World, case_id: int) -> None:
    summons = await schedule_summons(
        actor=world.ja,
        case_id=case_id,
        clock=world.clock,
        data=SummonsCreate(scheduled_at=world.soon(1, 9)),
    )
    world.clock.advance(timedelta(days=1, hours=1))
    await record_attendance(
        actor=world.ja,
        summons_id=summons.id,
        data=AttendanceIn(outcome=Outcome.ABSENT_NO_VALID_REASON, version=summons.version),
        clock=world.clock,
    )


async def test_an_acknowledged_alert_never_done_escalates_once(world: World, settings):
    case = await world.open_case(risk_level=RiskLevel.HIGH)  # high: 24 hours to respond
    await _missed_summons(world, case.id)
    police, check = await RiskAlert.select().where(RiskAlert.case == case.id).order_by(RiskAlert.id)
    world.clock.advance(timedelta(hours=2))
    for alert, actor in ((police, world.officer), (check, world.sapv)):
        await loop.step_alert(
            actor=actor,
            alert_id=alert["id"],
            step=AlertStep.ACKNOWLEDGE,
            version=1,
            clock=world.clock,
        )
    world.clock.advance(timedelta(hours=23))  # past the due time, 23 h after acknowledging
    await risk_jobs.escalate_unanswered(world.clock, settings)
    assert (
        await Notification.count().where(Notification.template == SystemNotice.RISK_ALERT_ESCALATED)
        == 0
    )
    await loop.step_alert(
        actor=world.sapv,
        alert_id=check["id"],
        step=AlertStep.DONE,
        version=2,
        outcome="victim_safe",
        clock=world.clock,
    )
    world.clock.advance(timedelta(hours=1, minutes=1))  # 24 h after acknowledging
    await risk_jobs.escalate_unanswered(world.clock, settings)
    await risk_jobs.escalate_unanswered(world.clock, settings)
    rows = {r["id"]: r for r in await RiskAlert.select().where(RiskAlert.case == case.id)}
    assert rows[police["id"]]["escalated_at"] == world.clock.now()
    assert rows[check["id"]]["escalated_at"] is None  # done in time
    sent = (
        await Notification.select()
        .where(Notification.template == SystemNotice.RISK_ALERT_ESCALATED)
        .output(load_json=True)
    )
    assert {r["recipient_user"] for r in sent} == {world.supervisor.id, world.officer.id}
    assert all(r["payload"]["acknowledged"] for r in sent)
    escalated = (
        await CaseEvent.select()
        .where((CaseEvent.case == case.id) & (CaseEvent.kind == EventKind.RISK_ALERT_ESCALATED))
        .output(load_json=True)
    )
    assert len(escalated) == 1
    assert describe(escalated[0], "fr").startswith(
        "Alerte police prise en compte mais pas terminée"
    )
    assert describe(escalated[0], "en").startswith("Police alert acknowledged but not done by")
