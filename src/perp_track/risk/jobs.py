"""Time-driven work the risk policy sets: escalation of unanswered alerts, the SAPV contact's
status updates, the justice assistant's call before a summons, and the reassessment clock."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from perp_track import db
from perp_track.cases.access import record_event
from perp_track.cases.rules import CaseStatus, EventKind
from perp_track.cases.tables import Case, CaseEvent, Person
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.jobs.rules import JobSpec
from perp_track.jobs.services import once
from perp_track.measures.rules import IN_FORCE_STATUSES
from perp_track.measures.tables import Measure
from perp_track.notify.rules import Audience, Channel, SystemNotice
from perp_track.notify.services import queue_system_notice
from perp_track.risk import escalation, rules, views
from perp_track.summons.rules import SummonsStatus
from perp_track.summons.tables import Summons


async def escalate_unanswered(clock: Clock, settings: Settings) -> str:
    now = clock.now()
    escalated = 0
    for alert_id in await escalation.candidates(now):
        escalated += await escalation.escalate(alert_id=alert_id, now=now)
    return f"{escalated} unanswered or undone alerts escalated"


async def _open_cases() -> list[dict[str, Any]]:
    return list(
        await Case.select(
            Case.id,
            Case.reference,
            Case.risk_level,
            Case.opened_at,
            Case.victim,
            Case.assigned_ja,
            Case.referring_officer,
            Case.perpetrator,
            Case.justice_house,
        ).where(Case.status == CaseStatus.OPEN)
    )


async def _last_status_updates(case_ids: list[int]) -> dict[int, datetime]:
    if not case_ids:
        return {}
    rows = await CaseEvent.select(CaseEvent.case, CaseEvent.occurred_at).where(
        CaseEvent.case.is_in(case_ids) & (CaseEvent.kind == EventKind.SAPV_STATUS_SENT)
    )
    last: dict[int, datetime] = {}
    for row in rows:
        if row["case"] not in last or row["occurred_at"] > last[row["case"]]:
            last[row["case"]] = row["occurred_at"]
    return last


async def sapv_status_updates(clock: Clock, settings: Settings) -> str:
    """The victim's SAPV contact hears the case's status as often as its tier says; raising the
    tier brings the next update forward at once (it runs from the last one sent)."""
    now = clock.now()
    policy = await views.policy_map()
    cases = [c for c in await _open_cases() if c["victim"] is not None]
    last = await _last_status_updates([c["id"] for c in cases])
    sent = 0
    for case in cases:
        due = rules.sapv_update_due(
            last=last.get(case["id"]),
            since=case["opened_at"],
            policy=policy.get(case["risk_level"]),
        )
        if due is None or due > now:
            continue
        sent += await _send_status(
            case["id"], due, now, settings, policy.names_of(case["risk_level"])
        )
    return f"{sent} SAPV status updates queued"


async def _send_status(
    case_id: int, due: datetime, now: datetime, settings: Settings, level_names: dict[str, str]
) -> int:
    async with db.transaction():
        if not await once(f"sapv_status:{case_id}:{due.isoformat()}", now):
            return 0
        case = await Case.select().where(Case.id == case_id).first()
        assert case is not None
        victim = await Person.select(Person.sapv_contact).where(Person.id == case["victim"]).first()
        if victim is None or victim["sapv_contact"] is None:
            return 0
        today = now.astimezone(settings.tz).date()
        # What the SAPV contact may know: the measures and their end, never the perpetrator's
        # address nor anything said in a session.
        measures = [
            {"kind": m["kind"], "status": m["status"], "ends_on": m["ends_on"].isoformat()}
            for m in await Measure.select(Measure.kind, Measure.status, Measure.ends_on)
            .where(
                (Measure.case == case_id)
                & Measure.status.is_in(sorted(IN_FORCE_STATUSES))
                & (Measure.ends_on >= today)
            )
            .order_by(Measure.ends_on)
        ]
        event_id = await record_event(
            case=case,
            kind=EventKind.SAPV_STATUS_SENT,
            actor=None,
            now=now,
            data={"level": case["risk_level"], "measures": len(measures)},
        )
        await queue_system_notice(
            notice=SystemNotice.SAPV_STATUS_UPDATE,
            user_ids=[victim["sapv_contact"]],
            case_id=case_id,
            payload={
                "case_reference": case["reference"],
                "level": case["risk_level"],
                "level_names": level_names,
                "measures": measures,
            },
            key=f"sapv_status:{event_id}",
            now=now,
            audience=Audience.SAPV_CONTACT,
        )
        return 1


async def call_tasks(clock: Clock, settings: Settings) -> str:
    """At the tiers that ask for it, the justice assistant is given the task of calling the
    perpetrator some days before his summons (from REMINDER_HOUR that day)."""
    now = clock.now()
    policy = await views.policy_map()
    days = max((p.call_task_days or 0 for p in policy.values()), default=0)
    if not days:
        return "no tier asks for calls"
    rows = await Summons.select(
        Summons.id,
        Summons.case,
        Summons.measure,
        Summons.scheduled_at,
        Summons.case.risk_level.as_alias("risk_level"),
    ).where(
        (Summons.status == SummonsStatus.SCHEDULED)
        & (Summons.scheduled_at > now)
        & (Summons.scheduled_at <= now + timedelta(days=days + 1))
    )
    told = 0
    for row in rows:
        day = rules.call_task_due(
            row["scheduled_at"], policy.get(row["risk_level"]), tz=settings.tz
        )
        if day is None:
            continue
        if now < datetime.combine(day, time(settings.reminder_hour), tzinfo=settings.tz):
            continue
        async with db.transaction():
            if not await once(f"risk_call_task:{row['id']}", now):
                continue
            case = await Case.select().where(Case.id == row["case"]).first()
            assert case is not None
            await record_event(
                case=case,
                kind=EventKind.RISK_CALL_TASK,
                actor=None,
                now=now,
                data={"scheduled_at": row["scheduled_at"].isoformat(), "level": row["risk_level"]},
                measure_id=row["measure"],
                summons_id=row["id"],
            )
            await queue_system_notice(
                notice=SystemNotice.RISK_CALL_TASK,
                user_ids=[case["assigned_ja"]],
                case_id=case["id"],
                payload={
                    "case_reference": case["reference"],
                    "scheduled_at": row["scheduled_at"].isoformat(),
                    "level": row["risk_level"],
                    "level_names": policy.names_of(row["risk_level"]),
                },
                key=f"risk_call_task:{row['id']}",
                now=now,
                audience=Audience.JUSTICE_ASSISTANT,
                channels=(Channel.IN_APP,),
            )
            told += 1
    return f"{told} call tasks given"


async def reassessment_reminders(clock: Clock, settings: Settings) -> str:
    """A risk not reassessed by its tier's deadline: the justice assistant is told, once per
    deadline (the deadline is on the caseload and the dashboard too)."""
    now = clock.now()
    cases = await _open_cases()
    policy = await views.policy_map()
    due = await views.reassessment_due(cases)
    by_id = {c["id"]: c for c in cases}
    told = 0
    for case_id, at in due.items():
        if at > now:
            continue
        async with db.transaction():
            if not await once(f"risk_reassess:{case_id}:{at.isoformat()}", now):
                continue
            case = by_id[case_id]
            told += bool(
                await queue_system_notice(
                    notice=SystemNotice.RISK_REASSESSMENT_DUE,
                    user_ids=[case["assigned_ja"]],
                    case_id=case_id,
                    payload={
                        "case_reference": case["reference"],
                        "level": case["risk_level"],
                        "level_names": policy.names_of(case["risk_level"]),
                        "due_at": at.isoformat(),
                    },
                    key=f"risk_reassess:{case_id}:{at.isoformat()}",
                    now=now,
                    audience=Audience.JUSTICE_ASSISTANT,
                    channels=(Channel.IN_APP,),
                )
            )
    return f"{told} justice assistants told of a reassessment due"


def jobs(settings: Settings) -> list[JobSpec]:
    return [
        JobSpec(
            name="risk.escalation",
            func=escalate_unanswered,
            every=timedelta(minutes=5),
            stale_after=timedelta(minutes=30),
            description="Alerts unanswered or left undone in time: supervisors and zone",
        ),
        JobSpec(
            name="risk.sapv_status",
            func=sapv_status_updates,
            every=timedelta(hours=1),
            stale_after=timedelta(hours=6),
            description="The case's status to the victim's SAPV contact, as often as its tier says",
        ),
        JobSpec(
            name="risk.call_tasks",
            func=call_tasks,
            every=timedelta(minutes=15),
            stale_after=timedelta(hours=2),
            description="Ask the justice assistant to call before a summons (high tiers)",
        ),
        JobSpec(
            name="risk.reassessment_due",
            func=reassessment_reminders,
            every=timedelta(hours=1),
            stale_after=timedelta(hours=6),
            description="Tell the justice assistant of a risk reassessment due",
        ),
    ]
