"""Risk drives the response: raising a case to "high" changes, with no other action, its
reminders, its red-list position and its SAPV update cadence; non-compliance in a high-risk case
raises the police zone's alert and the SAPV safety check in one transaction, and their escalation
when nobody answers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from perp_track.audit.tables import AuditEntry
from perp_track.cases.rules import EventKind, RiskLevel
from perp_track.cases.tables import Case, CaseEvent
from perp_track.errors import Conflict, Invalid, NotFound
from perp_track.measures.condition_rules import ConditionEvent
from perp_track.measures.rules import ConditionKind, MeasureKind
from perp_track.measures.schemas import ConditionCreate, ConditionTransitionIn
from perp_track.notify.rules import SystemNotice
from perp_track.notify.tables import Notification
from perp_track.orgs.tables import Organisation
from perp_track.redlist.services import red_list
from perp_track.risk import jobs as risk_jobs
from perp_track.risk import loop
from perp_track.risk import services as risk
from perp_track.risk.rules import AlertKind, AlertOutcome, AlertState, AlertStep
from perp_track.risk.tables import RiskAlert, RiskAssessment
from perp_track.summons.jobs import attendance_overdue_alerts, send_reminders
from perp_track.summons.rules import Outcome
from perp_track.summons.schemas import AttendanceIn, SummonsCreate
from perp_track.summons.services import record_attendance, schedule_summons
from tests.world import World

ZONE_DESK = "permanence@zp-liege.example"


async def _version(case_id: int) -> int:
    row = await Case.select(Case.version).where(Case.id == case_id).first()
    return int(row["version"])


async def _raise(world: World, case_id: int, level: RiskLevel = RiskLevel.HIGH) -> None:
    await risk.reassess(
        actor=world.ja,
        case_id=case_id,
        level=level,
        reason=None,
        version=await _version(case_id),
        clock=world.clock,
    )


async def _notices(template: str) -> list[dict[str, Any]]:
    return list(
        await Notification.select()
        .where(Notification.template == template)
        .order_by(Notification.id)
        .output(load_json=True)
    )


async def _kinds(case_id: int) -> list[str]:
    rows = (
        await CaseEvent.select(CaseEvent.kind)
        .where(CaseEvent.case == case_id)
        .order_by(CaseEvent.id)
    )
    return [r["kind"] for r in rows]


# --- done when: raising to high changes, with no other action, three things ----------------


async def test_raising_to_high_adds_the_evening_reminder(world: World, settings):
    ordinary = await world.open_case(risk_level=RiskLevel.MEDIUM)
    raised = await world.open_case(risk_level=RiskLevel.MEDIUM)
    await _raise(world, raised.id)
    when = world.soon(5, hour=13)
    for case in (ordinary, raised):
        await schedule_summons(
            actor=world.ja,
            case_id=case.id,
            clock=world.clock,
            data=SummonsCreate(scheduled_at=when),
        )
    for _ in range(6 * 24):
        await send_reminders(world.clock, settings)
        world.clock.advance(timedelta(hours=1))
    sent: dict[int, list[str]] = {ordinary.id: [], raised.id: []}
    for row in await _notices("summons_reminder"):
        sent[row["case"]].append(row["payload"]["reminder"])
    assert sent[ordinary.id] == ["d3", "d1", "morning"]
    # 19:00 the evening before, between the day-before and the morning reminders.
    assert sent[raised.id] == ["d3", "d1", "eve", "morning"]


async def test_raising_to_high_moves_the_case_up_the_red_list(world: World, settings):
    first_ending = await world.open_case(risk_level=RiskLevel.MEDIUM)
    await world.add_measure(
        first_ending.id, MeasureKind.TEMPORARY_RESIDENCE_BAN, ends_on=world.today() + timedelta(3)
    )
    later = await world.open_case(
        risk_level=RiskLevel.MEDIUM,
        victim=world.case_data().victim.model_copy(update={"address": "Rue Basse 3, 4000 Liège"}),
    )
    await world.add_measure(later.id, MeasureKind.TEMPORARY_RESIDENCE_BAN)

    async def order() -> list[str]:
        red = await red_list(
            zone_id=world.orgs["police"], clock=world.clock, tz=settings.tz, reader=world.officer
        )
        return [e.case_reference for e in red.entries]

    assert await order() == [first_ending.reference, later.reference]
    await _raise(world, later.id)
    assert await order() == [later.reference, first_ending.reference]
    red = await red_list(
        zone_id=world.orgs["police"], clock=world.clock, tz=settings.tz, reader=world.officer
    )
    top = red.entries[0]
    assert (top.priority, top.ordered_by, top.decided_on) == (2, "Parquet de Liège", world.today())


async def test_raising_to_high_brings_the_sapv_update_forward(world: World, settings):
    case = await world.open_case(risk_level=RiskLevel.MEDIUM)
    world.clock.advance(timedelta(days=15))
    await risk_jobs.sapv_status_updates(world.clock, settings)
    assert await _notices(SystemNotice.SAPV_STATUS_UPDATE) == []  # medium: every 30 days
    await _raise(world, case.id)
    await risk_jobs.sapv_status_updates(world.clock, settings)
    sent = await _notices(SystemNotice.SAPV_STATUS_UPDATE)
    assert {(r["recipient_user"], r["channel"]) for r in sent} == {
        (world.sapv.id, "in_app"),
        (world.sapv.id, "email"),
    }
    assert sent[0]["payload"]["level"] == "high"
    # Once per period: the next is 14 days after this one.
    world.clock.advance(timedelta(days=13))
    await risk_jobs.sapv_status_updates(world.clock, settings)
    assert len(await _notices(SystemNotice.SAPV_STATUS_UPDATE)) == 2
    world.clock.advance(timedelta(days=1, hours=1))
    await risk_jobs.sapv_status_updates(world.clock, settings)
    assert len(await _notices(SystemNotice.SAPV_STATUS_UPDATE)) == 4


async def test_unrecorded_attendance_alerts_sooner_at_high_risk(world: World, settings):
    medium = await world.open_case(risk_level=RiskLevel.MEDIUM)
    high = await world.open_case(risk_level=RiskLevel.HIGH)
    for case in (medium, high):
        await schedule_summons(
            actor=world.ja,
            case_id=case.id,
            clock=world.clock,
            data=SummonsCreate(scheduled_at=world.soon(1, 9)),
        )
    world.clock.advance(timedelta(days=1, hours=5))  # 4 h after the summons began, and more
    await attendance_overdue_alerts(world.clock, settings)
    told = {r["case"] for r in await _notices("attendance_not_recorded")}
    assert told == {high.id}
    world.clock.advance(timedelta(hours=24))
    await attendance_overdue_alerts(world.clock, settings)
    assert {r["case"] for r in await _notices("attendance_not_recorded")} == {high.id, medium.id}


async def test_a_high_tier_gives_the_justice_assistant_a_call_task(world: World, settings):
    case = await world.open_case(risk_level=RiskLevel.HIGH)
    await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        clock=world.clock,
        data=SummonsCreate(scheduled_at=world.soon(3, 13)),
    )
    for _ in range(4 * 24):
        await risk_jobs.call_tasks(world.clock, settings)
        world.clock.advance(timedelta(hours=1))
    tasks = await _notices(SystemNotice.RISK_CALL_TASK)
    assert [(t["recipient_user"], t["channel"]) for t in tasks] == [(world.ja.id, "in_app")]
    assert EventKind.RISK_CALL_TASK in await _kinds(case.id)


# --- done when: a missed session in a high-risk case closes the loop --------------------------


async def _missed_summons(world: World, case_id: int) -> int:
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
    return summons.id


async def _zone_desk(world: World) -> None:
    await Organisation.update({Organisation.email: ZONE_DESK}).where(
        Organisation.id == world.orgs["police"]
    )


async def test_a_missed_summons_in_a_high_risk_case_alerts_zone_and_sapv(world: World):
    await _zone_desk(world)
    case = await world.open_case(risk_level=RiskLevel.HIGH)
    await _missed_summons(world, case.id)
    alerts = await RiskAlert.select().where(RiskAlert.case == case.id).order_by(RiskAlert.id)
    assert [(a["kind"], a["state"], a["trigger"]) for a in alerts] == [
        (AlertKind.POLICE_ALERT, AlertState.OPEN, "missed_summons"),
        (AlertKind.SAFETY_CHECK, AlertState.OPEN, "missed_summons"),
    ]
    police, check = alerts
    assert police["zone"] == world.orgs["police"] and police["owner"] == world.officer.id
    assert check["owner"] == world.sapv.id
    assert police["due_at"] == world.clock.now() + timedelta(hours=24)  # high: 24 h
    to_zone = await _notices(SystemNotice.RISK_POLICE_ALERT)
    assert {(r["recipient_user"], r["channel"]) for r in to_zone} == {
        (world.officer.id, "in_app"),
        (world.officer.id, "email"),
        (None, "email"),  # the zone's on-duty desk, read when the officer is away
    }
    assert next(r for r in to_zone if r["recipient_user"] is None)["payload"]["email_to"] == (
        ZONE_DESK
    )
    assert all(r["urgent"] for r in to_zone)
    checks = await _notices(SystemNotice.RISK_SAFETY_CHECK)
    assert {(r["recipient_user"], r["channel"]) for r in checks} == {
        (world.sapv.id, "in_app"),
        (world.sapv.id, "email"),
    }
    # Nothing goes to the victim herself: her SAPV contact decides with her.
    victim_rows = await Notification.select().where(
        (Notification.case == case.id) & (Notification.audience == "victim")
    )
    assert victim_rows == []
    assert EventKind.RISK_LOOP_RAISED in await _kinds(case.id)


async def test_the_alerts_and_the_absence_land_together_or_not_at_all(world: World, monkeypatch):
    case = await world.open_case(risk_level=RiskLevel.HIGH)

    async def broken(**_: Any) -> int:
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(loop, "queue_system_notice", broken)
    with pytest.raises(RuntimeError):
        await _missed_summons(world, case.id)
    assert await RiskAlert.count().where(RiskAlert.case == case.id) == 0
    kinds = await _kinds(case.id)
    assert EventKind.ATTENDANCE_RECORDED not in kinds
    assert EventKind.RISK_LOOP_RAISED not in kinds


async def test_below_the_threshold_a_missed_summons_raises_no_alert(world: World):
    case = await world.open_case(risk_level=RiskLevel.MEDIUM)
    await _missed_summons(world, case.id)
    assert await RiskAlert.count().where(RiskAlert.case == case.id) == 0


async def test_unanswered_alerts_escalate_to_supervisor_and_zone_once(world: World, settings):
    await _zone_desk(world)
    case = await world.open_case(risk_level=RiskLevel.HIGH)
    await _missed_summons(world, case.id)
    police, check = await RiskAlert.select().where(RiskAlert.case == case.id).order_by(RiskAlert.id)
    # The SAPV contact answers and does the check; the police alert is left open.
    await loop.step_alert(
        actor=world.sapv,
        alert_id=check["id"],
        step=AlertStep.DONE,
        version=1,
        outcome=AlertOutcome.VICTIM_SAFE,
        clock=world.clock,
    )
    world.clock.advance(timedelta(hours=23))
    await risk_jobs.escalate_unanswered(world.clock, settings)
    assert await _notices(SystemNotice.RISK_ALERT_ESCALATED) == []
    world.clock.advance(timedelta(hours=2))
    await risk_jobs.escalate_unanswered(world.clock, settings)
    await risk_jobs.escalate_unanswered(world.clock, settings)
    escalated = await _notices(SystemNotice.RISK_ALERT_ESCALATED)
    assert {(r["recipient_user"], r["channel"]) for r in escalated} == {
        (world.supervisor.id, "in_app"),
        (world.supervisor.id, "email"),
        (world.officer.id, "in_app"),
        (world.officer.id, "email"),
        (None, "email"),
    }
    rows = {r["id"]: r for r in await RiskAlert.select().where(RiskAlert.case == case.id)}
    assert rows[police["id"]]["escalated_at"] == world.clock.now() - timedelta(0)
    assert rows[check["id"]]["escalated_at"] is None
    assert (await _kinds(case.id)).count(EventKind.RISK_ALERT_ESCALATED) == 1


async def test_the_case_timeline_shows_the_whole_loop(world: World):
    case = await world.open_case(risk_level=RiskLevel.HIGH)
    await _missed_summons(world, case.id)
    police, check = await RiskAlert.select().where(RiskAlert.case == case.id).order_by(RiskAlert.id)
    await loop.step_alert(
        actor=world.officer,
        alert_id=police["id"],
        step=AlertStep.ACKNOWLEDGE,
        version=1,
        clock=world.clock,
    )
    with pytest.raises(Invalid):  # done needs its outcome
        await loop.step_alert(
            actor=world.officer,
            alert_id=police["id"],
            step=AlertStep.DONE,
            version=2,
            clock=world.clock,
        )
    await loop.step_alert(
        actor=world.officer,
        alert_id=police["id"],
        step=AlertStep.DONE,
        version=2,
        outcome=AlertOutcome.POLICE_ACTION_TAKEN,
        note="Patrol passed by the address",
        clock=world.clock,
    )
    await loop.step_alert(
        actor=world.sapv,
        alert_id=check["id"],
        step=AlertStep.DONE,
        version=1,
        outcome=AlertOutcome.VICTIM_SAFE,
        clock=world.clock,
    )
    with pytest.raises(Conflict):  # done is final
        await loop.step_alert(
            actor=world.sapv,
            alert_id=check["id"],
            step=AlertStep.ACKNOWLEDGE,
            version=2,
            clock=world.clock,
        )
    kinds = await _kinds(case.id)
    steps = [k for k in kinds if k.startswith("risk_") or k == "attendance_recorded"]
    assert steps == [
        "attendance_recorded",
        "risk_loop_raised",
        "risk_alert_acknowledged",
        "risk_alert_done",
        "risk_alert_done",
    ]
    closed = await _notices(SystemNotice.RISK_ALERT_CLOSED)
    assert {r["recipient_user"] for r in closed} == {world.ja.id}


async def test_only_the_owner_handles_an_alert(world: World):
    case = await world.open_case(risk_level=RiskLevel.HIGH)
    await _missed_summons(world, case.id)
    police, check = await RiskAlert.select().where(RiskAlert.case == case.id).order_by(RiskAlert.id)
    with pytest.raises(NotFound):  # an SAPV contact does not handle the police's alert
        await loop.step_alert(
            actor=world.sapv,
            alert_id=police["id"],
            step=AlertStep.ACKNOWLEDGE,
            version=1,
            clock=world.clock,
        )
    with pytest.raises(NotFound):
        await loop.step_alert(
            actor=world.praxis,
            alert_id=check["id"],
            step=AlertStep.ACKNOWLEDGE,
            version=1,
            clock=world.clock,
        )


async def test_a_ban_breach_in_a_high_risk_case_starts_the_loop(world: World):
    from perp_track.measures.conditions import transition_condition

    case = await world.open_case(risk_level=RiskLevel.HIGH)
    measure = await world.add_measure(
        case.id,
        MeasureKind.PROBATION,
        ends_on=world.today() + timedelta(days=400),
        conditions=[ConditionCreate(kind=ConditionKind.CONTACT_BAN, protected_persons="Julie")],
    )
    condition = measure.conditions[0]
    await transition_condition(
        actor=world.ja,
        condition_id=condition.id,
        data=ConditionTransitionIn(
            event=ConditionEvent.BREACH, reason="Seen at her door", version=condition.version
        ),
        clock=world.clock,
    )
    alerts = await RiskAlert.select().where(RiskAlert.case == case.id)
    assert {(a["kind"], a["trigger"]) for a in alerts} == {
        (AlertKind.POLICE_ALERT, "ban_breach"),
        (AlertKind.SAFETY_CHECK, "ban_breach"),
    }


# --- risk history --------------------------------------------------------------------------


async def test_history_starts_with_the_police_level_and_keeps_every_reassessment(world: World):
    case = await world.open_case(risk_level=RiskLevel.MEDIUM)
    await _raise(world, case.id, RiskLevel.SEVERE)
    with pytest.raises(Invalid) as refused:
        await _raise(world, case.id, RiskLevel.LOW)
    assert refused.value.code == "risk.downgrade_needs_reason"
    assert (await Case.select(Case.risk_level).where(Case.id == case.id).first())[
        "risk_level"
    ] == "severe"
    await risk.reassess(
        actor=world.ja,
        case_id=case.id,
        level=RiskLevel.HIGH,
        reason="He moved abroad; the ban holds",
        version=await _version(case.id),
        clock=world.clock,
    )
    with pytest.raises(Conflict):  # a stale version changes nothing
        await risk.reassess(
            actor=world.ja,
            case_id=case.id,
            level=RiskLevel.SEVERE,
            reason=None,
            version=1,
            clock=world.clock,
        )
    rows = (
        await RiskAssessment.select()
        .where(RiskAssessment.case == case.id)
        .order_by(RiskAssessment.id)
    )
    assert [(r["source"], r["previous_level"], r["level"]) for r in rows] == [
        ("police_initial", None, "medium"),
        ("reassessment", "medium", "severe"),
        ("reassessment", "severe", "high"),
    ]
    assert rows[0]["assessor_name"] == "Luc Officer"
    assert rows[2]["reason"] == "He moved abroad; the ban holds"
    history = await risk.risk_history(actor=world.ja, case_id=case.id)
    assert history.reassessment_due == world.clock.now() + timedelta(days=30)
    with pytest.raises(NotFound):  # another house's assistant does not see the case
        await risk.risk_history(actor=world.other_house_ja, case_id=case.id)
    audited = await AuditEntry.count().where(
        (AuditEntry.case_id == case.id) & (AuditEntry.record_type == "case_event")
    )
    assert audited >= 3


async def test_the_reassessment_deadline_is_on_the_caseload_and_told_once(world: World, settings):
    from perp_track.cases.caseload import services as caseload
    from perp_track.cases.caseload.schemas import Attention

    case = await world.open_case(risk_level=RiskLevel.HIGH)  # high: every 30 days

    async def flagged() -> set[str]:
        rows = await caseload.overdue(actor=world.ja, now=world.clock.now(), settings=settings)
        return {r.attention for r in rows if r.case_id == case.id}

    world.clock.advance(timedelta(days=20))
    assert Attention.RISK_REASSESSMENT not in await flagged()
    world.clock.advance(timedelta(days=5))  # due within the week
    assert Attention.RISK_REASSESSMENT in await flagged()
    world.clock.advance(timedelta(days=6))
    await risk_jobs.reassessment_reminders(world.clock, settings)
    await risk_jobs.reassessment_reminders(world.clock, settings)
    told = await _notices(SystemNotice.RISK_REASSESSMENT_DUE)
    assert [(r["recipient_user"], r["channel"]) for r in told] == [(world.ja.id, "in_app")]
    # A reassessment starts the clock again.
    await _raise(world, case.id, RiskLevel.HIGH)
    assert Attention.RISK_REASSESSMENT not in await flagged()


async def test_a_restricted_case_alerts_the_police_without_naming_the_case(world: World):
    """The loop still reaches the zone on a restricted case (the victim's safety first), but a
    reader not named on the case, and the zone's desk, get no case reference; the justice
    house's staff not named on it do not see its alerts at all."""
    from perp_track.cases.restriction import services as restriction
    from perp_track.cases.restriction.rules import RestrictionReason
    from perp_track.cases.restriction.schemas import RestrictIn

    await _zone_desk(world)
    case = await world.open_case(risk_level=RiskLevel.HIGH)
    await restriction.restrict(
        actor=world.supervisor,
        case_id=case.id,
        data=RestrictIn(
            version=await _version(case.id), reason=RestrictionReason.POLICE_OFFICER_INVOLVED
        ),
        clock=world.clock,
    )
    await _missed_summons(world, case.id)
    police = [a for a in await loop.list_alerts(actor=world.officer) if a.case_id == case.id]
    assert [(a.kind, a.case_reference) for a in police] == [(AlertKind.POLICE_ALERT, None)]
    assert (
        await loop.read_alert(actor=world.officer, alert_id=police[0].id)
    ).case_reference is None
    assert [a for a in await loop.list_alerts(actor=world.ja2) if a.case_id == case.id] == []
    named = [a for a in await loop.list_alerts(actor=world.ja) if a.case_id == case.id]
    assert {a.case_reference for a in named} == {case.reference}
    desk = [
        r for r in await _notices(SystemNotice.RISK_POLICE_ALERT) if r["recipient_user"] is None
    ]
    assert [r["payload"]["case_reference"] for r in desk] == ["—"]
