"""Measures and their conditions: add, read, move through the transition table."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from perp_track import db
from perp_track.audit import services as audit
from perp_track.auth.rules import ActingUser, Role
from perp_track.cases.access import record_event, scoped_case
from perp_track.cases.rules import EventKind
from perp_track.clock import Clock, SystemClock
from perp_track.errors import Conflict, Invalid, NotFound, RecordError
from perp_track.measures import rules
from perp_track.measures.checks import (
    check_ban_address,
    check_condition,
    check_providers,
    is_protective,
)
from perp_track.measures.condition_rules import allowed_condition_events
from perp_track.measures.errors import ConditionError, MeasureError
from perp_track.measures.rules import (
    DEFAULT_POLICY,
    ConditionKind,
    ConditionStatus,
    MeasureEvent,
    MeasureKind,
    MeasurePolicy,
    MeasureStatus,
)
from perp_track.measures.schemas import (
    ConditionCreate,
    ConditionRead,
    MeasureCreate,
    MeasureRead,
    MeasureTransitionIn,
    MeasureUpdate,
)
from perp_track.measures.tables import Condition, Measure
from perp_track.notify.rules import Notice


def transition_actor(actor: ActingUser | None) -> rules.Actor:
    if actor is None:
        return rules.Actor.SYSTEM
    if actor.role is Role.SUPERVISOR:
        return rules.Actor.SUPERVISOR
    if actor.role is Role.PROGRAMME_STAFF:
        return rules.Actor.PROGRAMME_STAFF
    return rules.Actor.JUSTICE_ASSISTANT


def check_version(what: str, row: dict[str, Any], expected: int | None) -> None:
    """Optimistic locking: a person acts on the version they read; a stale one is refused."""
    if expected is not None and expected != row["version"]:
        raise Conflict(
            RecordError.CHANGED_SINCE_READ,
            record=what,
            version=expected,
            current_version=row["version"],
        )


def _measure_read(
    row: dict[str, Any], conditions: list[dict[str, Any]], actor: ActingUser | None
) -> MeasureRead:
    who = transition_actor(actor)
    return MeasureRead.model_validate(
        {
            **row,
            "case_id": row["case"],
            "allowed_events": rules.allowed_events(
                MeasureStatus(row["status"]), who, MeasureKind(row["kind"])
            ),
            "conditions": [
                ConditionRead.model_validate(
                    {
                        **c,
                        "provider_id": c["provider"],
                        "allowed_events": allowed_condition_events(
                            ConditionStatus(c["status"]), who
                        ),
                    }
                )
                for c in conditions
            ],
        }
    )


async def measures_of_case(*, actor: ActingUser, case_id: int) -> list[MeasureRead]:
    measures = await Measure.select().where(Measure.case == case_id).order_by(Measure.id)
    conditions = (
        await Condition.select()
        .where(Condition.measure.is_in([m["id"] for m in measures]))
        .order_by(Condition.id)
        if measures
        else []
    )
    by_measure: dict[int, list[dict[str, Any]]] = {}
    for c in conditions:
        by_measure.setdefault(c["measure"], []).append(c)
    return [_measure_read(m, by_measure.get(m["id"], []), actor) for m in measures]


async def add_measure(
    *,
    actor: ActingUser,
    case_id: int,
    data: MeasureCreate,
    clock: Clock,
    policy: MeasurePolicy = DEFAULT_POLICY,
) -> MeasureRead:
    now = clock.now()
    for index, condition in enumerate(data.conditions):
        check_condition(condition, index)
    if data.decided_on > data.starts_on:
        raise Invalid(MeasureError.STARTS_BEFORE_DECISION)
    ends_on = rules.end_date(data.kind, data.starts_on, data.ends_on, policy.durations)
    for condition in data.conditions:
        if condition.ends_on and condition.ends_on > ends_on:
            raise Invalid(ConditionError.ENDS_AFTER_MEASURE)
    conditions = list(data.conditions)
    given = {c.kind for c in conditions}
    for general in rules.GENERAL_CONDITIONS[data.kind]:
        if general not in given:
            conditions.append(ConditionCreate(kind=general))
    async with db.transaction():
        case = await scoped_case(actor, case_id)
        if case["status"] != "open":
            raise Conflict(MeasureError.CASE_NOT_OPEN)
        await check_ban_address(data.kind, list(data.conditions), case)
        await check_providers(conditions)
        measure = Measure(
            case=case_id,
            kind=data.kind,
            status=rules.initial_status(
                data.kind, has_justice_assistant=case["assigned_ja"] is not None
            ),
            decided_by=data.decided_by,
            decision_reference=data.decision_reference,
            decided_on=data.decided_on,
            starts_on=data.starts_on,
            ends_on=ends_on,
            original_ends_on=ends_on,
            next_report_due=policy.first_report_due(data.kind, data.starts_on),
            notes=data.notes,
            created_at=now,
            updated_at=now,
        )
        await measure.save()
        if conditions:
            await Condition.insert(*[condition_row(int(measure.id), c, now) for c in conditions])
        notices: list[tuple[Notice, dict[str, Any]]] = []
        if is_protective(data.kind, conditions):
            notices.append(
                (
                    Notice.PROTECTIVE_MEASURE_OPENED,
                    {"measure_kind": data.kind, "ends_on": ends_on.isoformat()},
                )
            )
        await record_event(
            case=case,
            kind=EventKind.MEASURE_ADDED,
            actor=actor,
            now=now,
            data={"kind": data.kind, "ends_on": ends_on.isoformat()},
            measure_id=int(measure.id),
            notices=notices,
        )
    return await read_measure(actor=actor, measure_id=int(measure.id))


def condition_row(measure_id: int, c: ConditionCreate, now: datetime) -> Condition:
    return Condition(
        measure=measure_id,
        kind=c.kind,
        description=c.description,
        provider=c.provider_id,
        required_sessions=c.required_sessions,
        hours_due=c.hours_due,
        protected_persons=c.protected_persons,
        address=c.address,
        starts_on=c.starts_on,
        ends_on=c.ends_on,
        created_at=now,
        updated_at=now,
    )


async def scoped_measure(actor: ActingUser, measure_id: int) -> tuple[dict, dict]:
    measure = await Measure.select().where(Measure.id == measure_id).first()
    if measure is None:
        raise NotFound(MeasureError.NOT_FOUND, measure_id=measure_id)
    try:
        case = await scoped_case(actor, measure["case"])
    except NotFound:
        raise NotFound(MeasureError.NOT_FOUND, measure_id=measure_id) from None
    return measure, case


async def read_measure(
    *, actor: ActingUser, measure_id: int, clock: Clock | None = None
) -> MeasureRead:
    measure, case = await scoped_measure(actor, measure_id)
    conditions = (
        await Condition.select().where(Condition.measure == measure_id).order_by(Condition.id)
    )
    await audit.record_condition_read(
        actor=actor,
        case=case,
        measure_id=measure_id,
        conditions=conditions,
        now=(clock or SystemClock()).now(),
    )
    return _measure_read(measure, conditions, actor)


def _notice_for(kind: MeasureKind, event: MeasureEvent, target: MeasureStatus) -> Notice | None:
    """Which DOMAIN §4 row a transition falls under."""
    ban = kind is MeasureKind.TEMPORARY_RESIDENCE_BAN
    if event is MeasureEvent.EXTEND:
        if ban:
            return Notice.BAN_EXTENDED
        if kind is MeasureKind.RELEASE_UNDER_CONDITIONS:
            return Notice.ADP_RENEWED
        return None
    if event is MeasureEvent.REPORT_NON_COMPLIANCE:
        return Notice.NON_COMPLIANCE_REPORTED
    if event in {
        MeasureEvent.ADAPT_CONDITIONS,
        MeasureEvent.REQUEST_REVOCATION,
        MeasureEvent.ISSUE_WARRANT,
        MeasureEvent.REFER_FOR_PROSECUTION,
    }:
        return Notice.AUTHORITY_DECISION
    if ban and event is MeasureEvent.LIFT:
        return Notice.BAN_LIFTED
    if ban and event is MeasureEvent.EXPIRE:
        return Notice.BAN_EXPIRED
    if target in rules.CLOSED_STATUSES:
        return Notice.MEASURE_CLOSED
    return None


async def apply_transition(
    *,
    actor: ActingUser | None,
    measure: dict[str, Any],
    case: dict[str, Any],
    event: MeasureEvent,
    reason: str,
    now: datetime,
    expected_version: int | None = None,
    new_ends_on: date | None = None,
    policy: MeasurePolicy = DEFAULT_POLICY,
) -> MeasureStatus:
    """Move a measure along the table, inside the caller's transaction.

    A person (actor given) must send the version they read; the system acts on what it just read.
    """
    status = MeasureStatus(measure["status"])
    kind = MeasureKind(measure["kind"])
    target = rules.next_status(status, event, transition_actor(actor), kind)
    if actor is not None and expected_version is None:
        raise Invalid(RecordError.VERSION_MISSING, record="measure")
    check_version("measure", measure, expected_version)
    values: dict[Any, Any] = {
        Measure.status: target,
        Measure.updated_at: now,
        Measure.version: measure["version"] + 1,
    }
    if target in rules.CLOSED_STATUSES:
        values[Measure.next_report_due] = None
    ends_on = measure["ends_on"]
    if event is MeasureEvent.EXTEND:
        if new_ends_on is None:
            raise Invalid(MeasureError.EXTENSION_NEEDS_END)
        rules.extension_end(kind, measure["starts_on"], ends_on, new_ends_on, policy)
        values[Measure.ends_on] = ends_on = new_ends_on
    elif new_ends_on is not None:
        raise Invalid(MeasureError.END_ONLY_FOR_EXTENSION)
    updated = (
        await Measure.update(values)
        .where((Measure.id == measure["id"]) & (Measure.version == measure["version"]))
        .returning(Measure.id)
    )
    if not updated:
        raise Conflict(RecordError.CHANGED_MEANWHILE, record="measure")
    notice = _notice_for(MeasureKind(measure["kind"]), event, target)
    payload = {
        "measure_kind": measure["kind"],
        "status": target,
        "event": event,
        "ends_on": ends_on.isoformat(),
    }
    await record_event(
        case=case,
        kind=EventKind.MEASURE_TRANSITION,
        actor=actor,
        now=now,
        data={
            "from": status,
            "to": target,
            "event": event,
            "reason": reason,
            "by": transition_actor(actor),
            **({"ends_on": ends_on.isoformat()} if event is MeasureEvent.EXTEND else {}),
        },
        measure_id=measure["id"],
        notices=[(notice, payload)] if notice else [],
    )
    return target


async def transition_measure(
    *,
    actor: ActingUser,
    measure_id: int,
    data: MeasureTransitionIn,
    clock: Clock,
    policy: MeasurePolicy = DEFAULT_POLICY,
) -> MeasureRead:
    async with db.transaction():
        measure, case = await scoped_measure(actor, measure_id)
        await apply_transition(
            actor=actor,
            measure=measure,
            case=case,
            event=data.event,
            reason=data.reason,
            now=clock.now(),
            expected_version=data.version,
            new_ends_on=data.ends_on,
            policy=policy,
        )
    return await read_measure(actor=actor, measure_id=measure_id)


async def update_measure(
    *, actor: ActingUser, measure_id: int, data: MeasureUpdate, clock: Clock
) -> MeasureRead:
    """Notes and the next hearing date; the lifecycle moves only through transitions."""
    now = clock.now()
    async with db.transaction():
        measure, case = await scoped_measure(actor, measure_id)
        check_version("measure", measure, data.version)
        if MeasureStatus(measure["status"]) in rules.CLOSED_STATUSES:
            raise Conflict(MeasureError.CLOSED)
        values: dict[Any, Any] = {Measure.updated_at: now, Measure.version: measure["version"] + 1}
        changed: dict[str, Any] = {}
        if data.notes is not None:
            values[Measure.notes] = changed["notes"] = data.notes
        if "hearing_on" in data.model_fields_set:
            if data.hearing_on is not None and data.hearing_on < measure["starts_on"]:
                raise Invalid(MeasureError.HEARING_BEFORE_START)
            values[Measure.hearing_on] = data.hearing_on
            changed["hearing_on"] = data.hearing_on.isoformat() if data.hearing_on else None
        if not changed:
            raise Invalid(MeasureError.NOTHING_TO_CHANGE)
        updated = (
            await Measure.update(values)
            .where((Measure.id == measure_id) & (Measure.version == measure["version"]))
            .returning(Measure.id)
        )
        if not updated:
            raise Conflict(RecordError.CHANGED_MEANWHILE, record="measure")
        await record_event(
            case=case,
            kind=EventKind.MEASURE_UPDATED,
            actor=actor,
            now=now,
            data={k: v for k, v in changed.items() if k != "notes"},
            measure_id=measure_id,
        )
    return await read_measure(actor=actor, measure_id=measure_id)


__all__ = [
    "ConditionKind",
    "add_measure",
    "apply_transition",
    "measures_of_case",
    "read_measure",
    "transition_measure",
    "update_measure",
]
