"""Reminder evaluations: create, pause, resume, end; assign a person to an arm at their first
summons; the arm's reminders for the reminder job. Results are in views.py."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from piccolo.query.functions.aggregate import Count

from perp_track import db
from perp_track.audit import services as audit
from perp_track.audit.rules import Action as AuditAction
from perp_track.auth.rules import ActingUser, Role
from perp_track.cases.rules import PersonRole
from perp_track.cases.tables import Person
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.errors import Conflict, Forbidden, NotFound, RecordError
from perp_track.evaluations import rules, wording
from perp_track.evaluations.errors import EvaluationError
from perp_track.evaluations.rules import Action, ArmPlan, EvaluationStatus, State
from perp_track.evaluations.schemas import (
    ArmRead,
    EvaluationChange,
    EvaluationCreate,
    EvaluationRead,
)
from perp_track.evaluations.tables import EvaluationArm, EvaluationAssignment, ReminderEvaluation
from perp_track.summons.tables import Summons

_RECORD = "reminder_evaluation"
_CHUNK = 5000


def check_supervisor(actor: ActingUser) -> None:
    if actor.role not in {Role.SUPERVISOR, Role.ADMIN}:
        raise Forbidden(EvaluationError.FOR_SUPERVISORS)


def state_of(row: dict[str, Any], now: datetime) -> State:
    return rules.state(
        row["status"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        ended_at=row["ended_at"],
        now=now,
    )


async def scoped_evaluation(actor: ActingUser, evaluation_id: int) -> dict[str, Any]:
    """The evaluation, if it is of the actor's justice house; otherwise 404."""
    check_supervisor(actor)
    row = await ReminderEvaluation.select().where(ReminderEvaluation.id == evaluation_id).first()
    if row is None or row["justice_house"] != actor.organisation_id:
        raise NotFound(EvaluationError.NOT_FOUND, evaluation_id=evaluation_id)
    return row


async def _arms(evaluation_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    rows = (
        await EvaluationArm.select()
        .where(EvaluationArm.evaluation.is_in(evaluation_ids or [-1]))
        .order_by(EvaluationArm.position)
    )
    found: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(row["evaluation"], []).append(row)
    return found


async def _assigned(evaluation_ids: list[int]) -> dict[int, int]:
    """People assigned, per arm id."""
    rows = (
        await EvaluationAssignment.select(EvaluationAssignment.arm, Count())
        .where(EvaluationAssignment.evaluation.is_in(evaluation_ids or [-1]))
        .group_by(EvaluationAssignment.arm)
    )
    return {int(r["arm"]): int(r["count"]) for r in rows}


def _read(
    row: dict[str, Any], arms: list[dict[str, Any]], assigned: dict[int, int], now: datetime
) -> EvaluationRead:
    current = state_of(row, now)
    arm_reads = [
        ArmRead(
            id=a["id"],
            position=a["position"],
            name=a["name"],
            share=a["share"],
            reminder_days=list(rules.parse_days(a["reminder_days"])),
            morning=a["morning"],
            send_hour=a["send_hour"],
            wording=a["wording"],
            assigned=assigned.get(a["id"], 0),
        )
        for a in arms
    ]
    return EvaluationRead(
        id=row["id"],
        title=row["title"],
        purpose=row["purpose"],
        state=current,
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        ended_at=row["ended_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        version=row["version"],
        arms=arm_reads,
        assigned=sum(a.assigned for a in arm_reads),
        allowed_actions=rules.allowed_actions(current),
    )


async def list_evaluations(*, actor: ActingUser, clock: Clock) -> list[EvaluationRead]:
    check_supervisor(actor)
    rows = (
        await ReminderEvaluation.select()
        .where(ReminderEvaluation.justice_house == actor.organisation_id)
        .order_by(ReminderEvaluation.starts_at, ascending=False)
    )
    ids = [r["id"] for r in rows]
    arms, assigned = await _arms(ids), await _assigned(ids)
    now = clock.now()
    return [_read(r, arms.get(r["id"], []), assigned, now) for r in rows]


async def read_evaluation(*, actor: ActingUser, evaluation_id: int, clock: Clock) -> EvaluationRead:
    row = await scoped_evaluation(actor, evaluation_id)
    arms = await _arms([evaluation_id])
    return _read(row, arms.get(evaluation_id, []), await _assigned([evaluation_id]), clock.now())


async def _open_evaluation(house: int, now: datetime) -> dict[str, Any] | None:
    """The house's evaluation not yet ended, if any: one at a time, so that nobody is ever in
    two arms of two evaluations."""
    rows = await ReminderEvaluation.select().where(
        (ReminderEvaluation.justice_house == house)
        & (ReminderEvaluation.status != EvaluationStatus.ENDED)
        & (ReminderEvaluation.ends_at > now)
    )
    return rows[0] if rows else None


async def create_evaluation(
    *, actor: ActingUser, data: EvaluationCreate, clock: Clock
) -> EvaluationRead:
    check_supervisor(actor)
    now = clock.now()
    rules.check_period(starts_at=data.starts_at, ends_at=data.ends_at, now=now)
    rules.check_arms([(a.name, a.share, a.wording) for a in data.arms], wording.available())
    async with db.transaction():
        house = actor.organisation_id
        running = await _open_evaluation(house, now)
        if running is not None:
            raise Conflict(EvaluationError.ONE_AT_A_TIME, title=running["title"])
        evaluation = ReminderEvaluation(
            justice_house=house,
            title=data.title,
            purpose=data.purpose,
            status=EvaluationStatus.ACTIVE,
            starts_at=max(data.starts_at, now),
            ends_at=data.ends_at,
            seed=secrets.token_hex(32),
            created_by=actor.id,
            created_at=now,
            updated_at=now,
        )
        await evaluation.save()
        evaluation_id = int(evaluation.id)
        await db.insert_many(
            EvaluationArm,
            [
                {
                    "evaluation": evaluation_id,
                    "position": position,
                    "name": arm.name.strip(),
                    "share": arm.share,
                    "reminder_days": rules.days_text(rules.parse_days(arm.reminder_days)),
                    "morning": arm.morning,
                    "send_hour": arm.send_hour,
                    "wording": arm.wording,
                }
                for position, arm in enumerate(data.arms)
            ],
        )
        await audit.append(
            actor=actor,
            action=AuditAction.WRITE,
            record_type=_RECORD,
            record_id=evaluation_id,
            fields=["title", "purpose", "starts_at", "ends_at", "arms"],
            detail=f"created with {len(data.arms)} arms",
            now=now,
        )
    return await read_evaluation(actor=actor, evaluation_id=evaluation_id, clock=clock)


async def change_evaluation(
    *,
    actor: ActingUser,
    evaluation_id: int,
    action: Action,
    data: EvaluationChange,
    clock: Clock,
) -> EvaluationRead:
    """Pause, resume or end. Every change is audited, versioned, and checked against the
    transition table."""
    now = clock.now()
    async with db.transaction():
        row = await scoped_evaluation(actor, evaluation_id)
        if data.version != row["version"]:
            raise Conflict(
                RecordError.CHANGED_SINCE_READ,
                record="evaluation",
                version=data.version,
                current_version=row["version"],
            )
        current = state_of(row, now)
        status = rules.transition(current, action)
        if action is Action.RESUME:
            other = await _open_evaluation(row["justice_house"], now)
            if other is not None and other["id"] != evaluation_id:
                raise Conflict(EvaluationError.ONE_AT_A_TIME, title=other["title"])
        values: dict[Any, Any] = {
            ReminderEvaluation.status: status,
            ReminderEvaluation.updated_at: now,
            ReminderEvaluation.version: row["version"] + 1,
        }
        if action is Action.END:
            values[ReminderEvaluation.ended_at] = now
        await ReminderEvaluation.update(values).where(ReminderEvaluation.id == evaluation_id)
        await audit.append(
            actor=actor,
            action=AuditAction.WRITE,
            record_type=_RECORD,
            record_id=evaluation_id,
            fields=["status"] + (["ended_at"] if action is Action.END else []),
            detail=f"{action}: {current} -> {status}",
            now=now,
        )
    return await read_evaluation(actor=actor, evaluation_id=evaluation_id, clock=clock)


async def assign_at_summons(
    *, actor: ActingUser | None, case: dict[str, Any], summons_id: int, now: datetime
) -> int | None:
    """Put the case's perpetrator in an arm of the house's running evaluation, if there is one
    and they are in none yet; return the arm. Call inside the transaction that schedules the
    summons. Only the perpetrator: a victim is never part of an evaluation."""
    evaluation = await _open_evaluation(case["justice_house"], now)
    if evaluation is None or not rules.enrols(state_of(evaluation, now)):
        return None
    person = await Person.select(Person.id, Person.role).where(Person.id == case["perpetrator"])
    if not person or person[0]["role"] != PersonRole.PERPETRATOR:
        return None
    person_id = int(person[0]["id"])
    key = f"{evaluation['id']}:{person_id}"
    if await EvaluationAssignment.exists().where(EvaluationAssignment.key == key):
        return None
    arms = (await _arms([evaluation["id"]])).get(evaluation["id"], [])
    arm_id = rules.pick_arm(evaluation["seed"], person_id, [(a["id"], a["share"]) for a in arms])
    # The key is unique: a second writer at the same instant inserts nothing.
    await db.insert_many(
        EvaluationAssignment,
        [
            {
                "key": key,
                "evaluation": evaluation["id"],
                "arm": arm_id,
                "person": person_id,
                "first_summons": summons_id,
                "assigned_at": now,
            }
        ],
        on_conflict_do_nothing=EvaluationAssignment.key,
    )
    await audit.append(
        actor=actor,
        action=AuditAction.WRITE,
        record_type="evaluation_assignment",
        record_id=evaluation["id"],
        case_id=int(case["id"]),
        person_id=person_id,
        fields=["arm"],
        detail=f"evaluation {evaluation['id']}: arm {arm_id} at summons {summons_id}",
        now=now,
    )
    return arm_id


async def reminder_plans(
    rows: Sequence[dict[str, Any]], *, now: datetime, settings: Settings
) -> dict[int, ArmPlan]:
    """The arm's reminders for each summons (rows with `id`, `created_at`) that an evaluation
    governs, by summons id. A summons is governed when its case's perpetrator was assigned
    before it was made and it was made before the evaluation stopped; any other keeps the
    usual reminders."""
    made = {int(r["id"]): r["created_at"] for r in rows}
    if not made or not await EvaluationAssignment.exists():
        return {}
    ids = list(made)
    person_of: dict[int, int] = {}
    house_of: dict[int, int] = {}
    for start in range(0, len(ids), _CHUNK):
        for r in await Summons.select(
            Summons.id,
            Summons.case.perpetrator.as_alias("person"),
            Summons.case.justice_house.as_alias("house"),
        ).where(Summons.id.is_in(ids[start : start + _CHUNK])):
            person_of[int(r["id"])] = int(r["person"])
            house_of[int(r["id"])] = int(r["house"])
    people = list(set(person_of.values()))
    assignments: list[dict[str, Any]] = []
    for start in range(0, len(people), _CHUNK):
        assignments += await EvaluationAssignment.select(
            EvaluationAssignment.person,
            EvaluationAssignment.assigned_at,
            EvaluationAssignment.arm,
            EvaluationAssignment.evaluation,
        ).where(EvaluationAssignment.person.is_in(people[start : start + _CHUNK]))
    if not assignments:
        return {}
    evaluations = {
        e["id"]: e
        for e in await ReminderEvaluation.select().where(
            ReminderEvaluation.id.is_in(list({a["evaluation"] for a in assignments}))
        )
    }
    arms = {
        a["id"]: a
        for a in await EvaluationArm.select().where(
            EvaluationArm.id.is_in(list({a["arm"] for a in assignments}))
        )
    }
    by_person: dict[int, list[dict[str, Any]]] = {}
    for a in assignments:
        by_person.setdefault(a["person"], []).append(a)
    plans: dict[int, ArmPlan] = {}
    for summons_id, person in person_of.items():
        for a in by_person.get(person, []):
            evaluation = evaluations[a["evaluation"]]
            stop = rules.effective_end(evaluation["ends_at"], evaluation["ended_at"])
            if evaluation["justice_house"] != house_of[summons_id]:
                continue  # his case at another justice house is not part of it
            if not a["assigned_at"] <= made[summons_id] < stop:
                continue
            arm = arms[a["arm"]]
            plans[summons_id] = ArmPlan(
                evaluation_id=evaluation["id"],
                arm_id=arm["id"],
                days_before=rules.parse_days(arm["reminder_days"]),
                morning=arm["morning"],
                send_hour=arm["send_hour"],
                morning_hour=settings.reminder_morning_hour,
                wording=arm["wording"],
            )
    return plans


def reminder_payload(plan: ArmPlan | None) -> dict[str, Any]:
    """What the reminder's outbox payload carries of the arm: its wording, when not the usual."""
    return {"wording": plan.variant} if plan is not None and plan.variant else {}


async def reminder_horizon(now: datetime) -> datetime:
    """How far ahead the reminder job must look for the arms still in use (their longest
    "days before"); `now` when there is none."""
    rows = await EvaluationArm.select(EvaluationArm.reminder_days).where(
        EvaluationArm.evaluation.ends_at > now - timedelta(days=365)
    )
    longest = max((max(rules.parse_days(r["reminder_days"]), default=0) for r in rows), default=0)
    return now + timedelta(days=longest + 1) if longest else now
