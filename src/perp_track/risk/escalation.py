"""Escalation of the closed loop: a police alert or a safety check left unanswered past its due
time, or acknowledged and then left undone, goes to the justice house's supervisors and to the
police zone. Once per alert."""

from __future__ import annotations

from datetime import datetime, timedelta

from perp_track import db
from perp_track.auth.rules import Role
from perp_track.auth.tables import User
from perp_track.cases.access import record_event
from perp_track.cases.rules import EventKind
from perp_track.cases.tables import Case
from perp_track.notify.rules import Audience, SystemNotice
from perp_track.notify.services import queue_system_notice
from perp_track.risk import rules, views
from perp_track.risk.loop import tell_zone
from perp_track.risk.rules import AlertState
from perp_track.risk.tables import RiskAlert


async def _supervisors(justice_house: int) -> list[int]:
    rows = await User.select(User.id).where(
        (User.organisation == justice_house)
        & (User.role == Role.SUPERVISOR)
        & (User.active == True)  # noqa: E712
    )
    return [r["id"] for r in rows]


async def candidates(now: datetime) -> list[int]:
    """The alerts not done nor escalated whose due time has passed; the rules decide which of
    them escalate now (an acknowledged one has longer)."""
    rows = await RiskAlert.select(RiskAlert.id).where(
        (RiskAlert.state != AlertState.DONE)
        & RiskAlert.escalated_at.is_null()
        & (RiskAlert.due_at <= now)
    )
    return [r["id"] for r in rows]


async def escalate(*, alert_id: int, now: datetime) -> bool:
    """An alert unanswered past its due time, or acknowledged but not done within its tier's
    response hours of the acknowledgement (and not before its due time), goes to the justice
    house's supervisors and to the zone (every officer and its on-duty address). Once; inside
    its own transaction."""
    async with db.transaction():
        alert = await RiskAlert.select().where(RiskAlert.id == alert_id).first()
        if alert is None:
            return False
        tier = (await views.policy_map()).get(alert["level"])
        # A tier's hours as they are now; the alert's own window if its tier has gone.
        response = (
            timedelta(hours=tier.response_hours)
            if tier is not None
            else alert["due_at"] - alert["created_at"]
        )
        deadline = rules.escalation_deadline(
            state=alert["state"],
            due_at=alert["due_at"],
            acknowledged_at=alert["acknowledged_at"],
            response=response,
        )
        if not rules.escalation_due(deadline=deadline, escalated_at=alert["escalated_at"], now=now):
            return False
        assert deadline is not None
        await RiskAlert.update({RiskAlert.escalated_at: now}).where(RiskAlert.id == alert_id)
        case = await Case.select().where(Case.id == alert["case"]).first()
        assert case is not None
        acknowledged = alert["state"] == AlertState.ACKNOWLEDGED
        data = {
            "alert_id": alert_id,
            "alert_kind": alert["kind"],
            "due_at": deadline.isoformat(),
        }
        if acknowledged:
            data["acknowledged_at"] = alert["acknowledged_at"].isoformat()
        await record_event(
            case=case,
            kind=EventKind.RISK_ALERT_ESCALATED,
            actor=None,
            now=now,
            data=data,
        )
        payload = {
            "case_reference": case["reference"],
            "alert_kind": alert["kind"],
            "trigger": alert["trigger"],
            "due_at": deadline.isoformat(),
            "acknowledged": acknowledged,
        }
        await queue_system_notice(
            notice=SystemNotice.RISK_ALERT_ESCALATED,
            user_ids=list(await _supervisors(case["justice_house"])),
            case_id=case["id"],
            payload=payload,
            key=f"risk_escalated:{alert_id}",
            now=now,
            urgent=True,
            audience=Audience.JUSTICE_ASSISTANT,
        )
        zone = alert["zone"]
        if zone is None and case["referring_officer"] is not None:
            officer = (
                await User.select(User.organisation)
                .where(User.id == case["referring_officer"])
                .first()
            )
            zone = officer["organisation"] if officer else None
        if zone is not None:
            await tell_zone(
                zone_id=zone,
                notice=SystemNotice.RISK_ALERT_ESCALATED,
                case=case,
                payload=payload,
                key=f"risk_escalated:{alert_id}",
                now=now,
            )
    return True
