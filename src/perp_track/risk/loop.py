"""The closed loop of high-risk non-compliance: a police alert to the referring officer's zone and
a safety check to the victim's SAPV contact, raised in the transaction that records the
non-compliance; each owned, due, acknowledged, done with an outcome, or escalated when unanswered.
And what programme staff observe at a session, whose concern starts the loop."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from perp_track import db
from perp_track.auth.rules import JUSTICE_HOUSE_STAFF, ActingUser, Role
from perp_track.auth.tables import User
from perp_track.cases.access import record_event, scoped_case
from perp_track.cases.rules import EventKind
from perp_track.cases.tables import Case, Person
from perp_track.cases.visibility import hidden_cases
from perp_track.clock import Clock
from perp_track.errors import Conflict, NotFound, RecordError, RiskError
from perp_track.notify.rules import Audience, SystemNotice
from perp_track.notify.services import queue_address_notice, queue_system_notice
from perp_track.orgs.tables import Organisation
from perp_track.risk import rules, views
from perp_track.risk.rules import (
    AlertKind,
    AlertOutcome,
    AlertState,
    AlertStep,
    Trigger,
)
from perp_track.risk.schemas import (
    AlertRead,
)
from perp_track.risk.tables import RiskAlert

# --- the closed loop ---------------------------------------------------------------------------


async def _zone_officers(zone_id: int) -> list[int]:
    rows = await User.select(User.id).where(
        (User.organisation == zone_id) & (User.role == Role.POLICE_OFFICER) & (User.active == True)  # noqa: E712
    )
    return [r["id"] for r in rows]


async def tell_zone(
    *,
    zone_id: int,
    notice: SystemNotice,
    case: dict[str, Any],
    payload: dict[str, Any],
    key: str,
    now: datetime,
) -> None:
    """Every officer of the zone (so it is read when the referring officer is away) and the
    zone's on-duty address, urgently."""
    await queue_system_notice(
        notice=notice,
        user_ids=list(await _zone_officers(zone_id)),
        case_id=case["id"],
        payload=payload,
        key=key,
        now=now,
        urgent=True,
        audience=Audience.REFERRING_OFFICER,
    )
    zone = (
        await Organisation.select(Organisation.email, Organisation.language)
        .where(Organisation.id == zone_id)
        .first()
    )
    if zone and zone["email"]:
        if case.get("restricted"):
            # The desk's address is read by anyone on duty, named on the case or not: the alert
            # goes, the case it is about is asked of the justice house.
            payload = {**payload, "case_reference": "—"}
        await queue_address_notice(
            notice=notice,
            address=zone["email"],
            language=zone["language"],
            case_id=case["id"],
            payload=payload,
            key=f"{key}:zone{zone_id}",
            now=now,
            audience=Audience.REFERRING_OFFICER,
        )


async def raise_loop(
    *,
    case: dict[str, Any],
    trigger: Trigger,
    trigger_key: str,
    now: datetime,
    actor: ActingUser | None,
) -> list[int]:
    """Start the closed loop for non-compliance in a case at or above the threshold tier.

    Call inside the transaction that records the non-compliance: the alerts, the timeline entry
    and the messages land with it, or not at all. Raised once per trigger_key; returns the ids of
    the alerts raised (none below the threshold)."""
    policy = await views.policy_map()
    if not rules.loop_applies(case["risk_level"], policy):
        return []
    if await RiskAlert.exists().where(
        (RiskAlert.case == case["id"]) & (RiskAlert.trigger_key == trigger_key)
    ):
        return []
    tier = policy[case["risk_level"]]
    due = rules.alert_due(now, tier)
    zone_id = None
    if case["referring_officer"] is not None:
        officer = (
            await User.select(User.organisation).where(User.id == case["referring_officer"]).first()
        )
        zone_id = officer["organisation"] if officer else None
    sapv_id = None
    if case["victim"] is not None:
        victim = await Person.select(Person.sapv_contact).where(Person.id == case["victim"]).first()
        sapv_id = victim["sapv_contact"] if victim else None
    common = {
        "case": case["id"],
        "trigger": trigger,
        "trigger_key": trigger_key,
        "level": case["risk_level"],
        "state": AlertState.OPEN,
        "due_at": due,
        "created_at": now,
        "note": "",
        "version": 1,
    }
    alerts: dict[AlertKind, int] = {}
    if zone_id is not None:
        alerts[AlertKind.POLICE_ALERT] = await _insert_alert(
            {
                **common,
                "kind": AlertKind.POLICE_ALERT,
                "zone": zone_id,
                "owner": case["referring_officer"],
            }
        )
    if sapv_id is not None:
        alerts[AlertKind.SAFETY_CHECK] = await _insert_alert(
            {**common, "kind": AlertKind.SAFETY_CHECK, "zone": None, "owner": sapv_id}
        )
    await record_event(
        case=case,
        kind=EventKind.RISK_LOOP_RAISED,
        actor=actor,
        now=now,
        data={
            "trigger": str(trigger),
            "level": case["risk_level"],
            "due_at": due.isoformat(),
            "police_alert": alerts.get(AlertKind.POLICE_ALERT),
            "safety_check": alerts.get(AlertKind.SAFETY_CHECK),
        },
    )
    # The words say what kind of non-compliance, never a session note nor the victim's details.
    payload = {
        "case_reference": case["reference"],
        "trigger": str(trigger),
        "level": case["risk_level"],
        "level_names": policy.names_of(case["risk_level"]),
        "due_at": due.isoformat(),
    }
    if AlertKind.POLICE_ALERT in alerts and zone_id is not None:
        await tell_zone(
            zone_id=zone_id,
            notice=SystemNotice.RISK_POLICE_ALERT,
            case=case,
            payload=payload,
            key=f"risk_alert:{alerts[AlertKind.POLICE_ALERT]}",
            now=now,
        )
    if AlertKind.SAFETY_CHECK in alerts:
        await queue_system_notice(
            notice=SystemNotice.RISK_SAFETY_CHECK,
            user_ids=[sapv_id],
            case_id=case["id"],
            payload=payload,
            key=f"risk_alert:{alerts[AlertKind.SAFETY_CHECK]}",
            now=now,
            urgent=True,
            audience=Audience.SAPV_CONTACT,
        )
    return list(alerts.values())


async def _insert_alert(values: dict[str, Any]) -> int:
    row = RiskAlert(**values)
    await row.save()
    return int(row.id)


def may_handle(actor: ActingUser, alert: dict[str, Any], case: dict[str, Any]) -> bool:
    """A police alert: any officer of its zone. A safety check: its SAPV contact. The case's
    justice house may close either (a supervisor taking over an escalated one)."""
    if actor.role is Role.POLICE_OFFICER:
        return alert["kind"] == AlertKind.POLICE_ALERT and alert["zone"] == actor.organisation_id
    if actor.role is Role.SAPV_CONTACT:
        return alert["kind"] == AlertKind.SAFETY_CHECK and alert["owner"] == actor.id
    return actor.role in JUSTICE_HOUSE_STAFF and case["justice_house"] == actor.organisation_id


async def _scoped_alert(actor: ActingUser, alert_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    alert = await RiskAlert.select().where(RiskAlert.id == alert_id).first()
    case = await Case.select().where(Case.id == alert["case"]).first() if alert else None
    if alert is None or case is None or not may_handle(actor, alert, case):
        raise NotFound(RiskError.ALERT_NOT_FOUND, alert_id=alert_id)
    return alert, case


async def step_alert(
    *,
    actor: ActingUser,
    alert_id: int,
    step: AlertStep,
    version: int,
    clock: Clock,
    outcome: AlertOutcome | None = None,
    note: str = "",
) -> int:
    """Acknowledge an alert, or record it done with its outcome; on the case timeline. The
    justice assistant is told the outcome."""
    now = clock.now()
    async with db.transaction():
        alert, case = await _scoped_alert(actor, alert_id)
        rules.check_version("alert", alert["version"], version)
        target = rules.alert_step(alert["state"], step, outcome)
        values: dict[Any, Any] = {RiskAlert.state: target, RiskAlert.version: alert["version"] + 1}
        if step is AlertStep.ACKNOWLEDGE:
            values |= {RiskAlert.acknowledged_at: now, RiskAlert.acknowledged_by: actor.id}
        else:
            values |= {
                RiskAlert.done_at: now,
                RiskAlert.done_by: actor.id,
                RiskAlert.outcome: outcome,
                RiskAlert.note: note.strip(),
            }
            if alert["acknowledged_at"] is None:
                values |= {RiskAlert.acknowledged_at: now, RiskAlert.acknowledged_by: actor.id}
        updated = (
            await RiskAlert.update(values)
            .where((RiskAlert.id == alert_id) & (RiskAlert.version == alert["version"]))
            .returning(RiskAlert.id)
        )
        if not updated:
            raise Conflict(RecordError.CHANGED_MEANWHILE, record="alert")
        kind = (
            EventKind.RISK_ALERT_ACKNOWLEDGED
            if step is AlertStep.ACKNOWLEDGE
            else EventKind.RISK_ALERT_DONE
        )
        data: dict[str, Any] = {"alert_id": alert_id, "alert_kind": alert["kind"]}
        if outcome is not None:
            data |= {"outcome": str(outcome), "note": note.strip()}
        await record_event(
            case=case,
            kind=kind,
            actor=actor,
            now=now,
            data=data,
        )
        if outcome is not None:
            await queue_system_notice(
                notice=SystemNotice.RISK_ALERT_CLOSED,
                user_ids=[case["assigned_ja"]],
                case_id=case["id"],
                payload={
                    "case_reference": case["reference"],
                    "alert_kind": alert["kind"],
                    "outcome": str(outcome),
                },
                key=f"risk_alert_done:{alert_id}",
                now=now,
                audience=Audience.JUSTICE_ASSISTANT,
            )
    return int(alert_id)


async def _restricted_for(actor: ActingUser) -> set[int]:
    """The restricted cases the actor is not named on."""
    return {r["id"] for r in await hidden_cases(actor.id)}


def _as_seen_by(
    actor: ActingUser, rows: list[dict[str, Any]], hidden: set[int]
) -> list[dict[str, Any]]:
    """An alert of a restricted case the reader is not named on: the police and the SAPV contact
    still see it and answer it (the victim's safety comes first, as on the red list), without
    the case reference; the justice house's staff do not see it at all, as they do not see the
    case."""
    seen = []
    for row in rows:
        if row["case"] in hidden:
            if actor.role in JUSTICE_HOUSE_STAFF:
                continue
            row = {**row, "case_reference": None}
        seen.append(row)
    return seen


def alert_read(row: dict[str, Any]) -> AlertRead:
    return AlertRead(
        **{k: v for k, v in row.items() if k not in {"case", "zone", "owner"}},
        case_id=row["case"],
        zone_id=row["zone"],
        owner_id=row["owner"],
    )


async def list_alerts(*, actor: ActingUser, open_only: bool = True) -> list[AlertRead]:
    """The alerts the caller owns: the zone's police alerts for an officer, the safety checks
    of an SAPV contact, every alert of the house's cases for its staff."""
    if actor.role is Role.POLICE_OFFICER:
        where: Any = (RiskAlert.kind == AlertKind.POLICE_ALERT) & (
            RiskAlert.zone == actor.organisation_id
        )
    elif actor.role is Role.SAPV_CONTACT:
        where = (RiskAlert.kind == AlertKind.SAFETY_CHECK) & (RiskAlert.owner == actor.id)
    elif actor.role in JUSTICE_HOUSE_STAFF:
        where = RiskAlert.case.is_in(
            Case.select(Case.id).where(Case.justice_house == actor.organisation_id)
        )
    else:
        return []
    rows = await views.alerts_where(where, open_only=open_only)
    return [alert_read(r) for r in _as_seen_by(actor, rows, await _restricted_for(actor))]


async def read_alert(*, actor: ActingUser, alert_id: int) -> AlertRead:
    await _scoped_alert(actor, alert_id)
    row = await views.alert(alert_id)
    assert row is not None
    seen = _as_seen_by(actor, [row], await _restricted_for(actor))
    if not seen:
        raise NotFound(RiskError.ALERT_NOT_FOUND, alert_id=alert_id)
    return alert_read(seen[0])


async def case_alerts(*, actor: ActingUser, case_id: int) -> list[AlertRead]:
    """The loop of one case (newest first), for its justice house."""
    await scoped_case(actor, case_id)
    return [alert_read(r) for r in await views.alerts_of_case(case_id)]
