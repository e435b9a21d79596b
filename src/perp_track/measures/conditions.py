"""Conditions of a measure: add one, move it along its lifecycle, count community-service hours,
record a programme's interruption. Every change is on the case timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from perp_track import db
from perp_track.auth.rules import ActingUser, Role
from perp_track.cases.access import check_restriction, record_event, scoped_case
from perp_track.cases.rules import EventKind
from perp_track.cases.tables import Case, Person
from perp_track.clock import Clock
from perp_track.errors import Conflict, Invalid, NotFound, RecordError
from perp_track.measures import rules
from perp_track.measures.checks import check_condition, check_providers
from perp_track.measures.condition_rules import (
    ConditionEvent,
    is_ban,
    meet_shortfall,
    next_condition_status,
)
from perp_track.measures.errors import ConditionError
from perp_track.measures.facts import ATTENDED, latest_programme_outcomes, programme_counts
from perp_track.measures.rules import ConditionKind, ConditionStatus, Interruption, MeasureStatus
from perp_track.measures.schemas import (
    ConditionCreate,
    ConditionHoursIn,
    ConditionTransitionIn,
    MeasureRead,
)
from perp_track.measures.services import (
    check_version,
    condition_row,
    read_measure,
    scoped_measure,
    transition_actor,
)
from perp_track.measures.tables import Condition, Measure
from perp_track.notify.rules import Notice
from perp_track.risk import loop as risk
from perp_track.risk.rules import Trigger
from perp_track.summons.tables import Attendance


async def scoped_condition(actor: ActingUser, condition_id: int) -> tuple[dict, dict, dict]:
    """The condition, its measure and its case, if this actor may act on it; else 404.

    Programme staff reach only the referrals made to their own organisation.
    """
    condition = await Condition.select().where(Condition.id == condition_id).first()
    if condition is None:
        raise NotFound(ConditionError.NOT_FOUND, condition_id=condition_id)
    if actor.role is Role.PROGRAMME_STAFF:
        if condition["provider"] != actor.organisation_id:
            raise NotFound(ConditionError.NOT_FOUND, condition_id=condition_id)
        measure = await Measure.select().where(Measure.id == condition["measure"]).first()
        assert measure is not None
        case = await Case.select().where(Case.id == measure["case"]).first()
        assert case is not None
        await check_restriction(
            actor, case, NotFound(ConditionError.NOT_FOUND, condition_id=condition_id)
        )
        return condition, measure, case
    try:
        measure, case = await scoped_measure(actor, condition["measure"])
    except NotFound:
        raise NotFound(ConditionError.NOT_FOUND, condition_id=condition_id) from None
    return condition, measure, case


async def add_condition(
    *, actor: ActingUser, measure_id: int, data: ConditionCreate, version: int, clock: Clock
) -> MeasureRead:
    """A condition added later (e.g. when the authority adapts the conditions)."""
    now = clock.now()
    check_condition(data)
    async with db.transaction():
        measure, case = await scoped_measure(actor, measure_id)
        check_version("measure", measure, version)
        if MeasureStatus(measure["status"]) in rules.CLOSED_STATUSES:
            raise Conflict(ConditionError.MEASURE_CLOSED)
        if data.ends_on and data.ends_on > measure["ends_on"]:
            raise Invalid(ConditionError.ENDS_AFTER_MEASURE, field="conditions.0.ends_on")
        await check_providers([data])
        await Condition.insert(condition_row(measure_id, data, now))
        await _bump(measure, now)
        notices = []
        if data.kind in rules.PROTECTIVE_CONDITIONS:
            notices.append(
                (
                    Notice.PROTECTIVE_MEASURE_OPENED,
                    {"measure_kind": measure["kind"], "ends_on": measure["ends_on"].isoformat()},
                )
            )
        await record_event(
            case=case,
            kind=EventKind.CONDITION_ADDED,
            actor=actor,
            now=now,
            data={"kind": data.kind},
            measure_id=measure_id,
            notices=notices,
        )
    return await read_measure(actor=actor, measure_id=measure_id)


async def sessions_attended(condition_id: int) -> int:
    """Programme sessions attended (or attended late), as the latest record of each says."""
    rows = await Attendance.select(
        Attendance.id, Attendance.condition, Attendance.session, Attendance.outcome
    ).where((Attendance.condition == condition_id) & Attendance.session.is_not_null())
    counts = programme_counts(latest_programme_outcomes(rows)).get(condition_id)
    return sum(counts[o] for o in ATTENDED) if counts else 0


async def _bump(measure: dict[str, Any], now: datetime) -> None:
    """A change to a condition is a change to its measure: the measure's version moves on."""
    updated = (
        await Measure.update({Measure.version: measure["version"] + 1, Measure.updated_at: now})
        .where((Measure.id == measure["id"]) & (Measure.version == measure["version"]))
        .returning(Measure.id)
    )
    if not updated:
        raise Conflict(RecordError.CHANGED_MEANWHILE, record="measure")


async def apply_condition_event(
    *,
    actor: ActingUser | None,
    condition: dict[str, Any],
    case: dict[str, Any],
    event: ConditionEvent,
    reason: str,
    now: datetime,
    interruption: Interruption | None = None,
) -> ConditionStatus:
    """Move a condition along its table inside the caller's transaction; tell who must know."""
    status = ConditionStatus(condition["status"])
    target = next_condition_status(status, event, transition_actor(actor))
    if event is ConditionEvent.MEET:
        shortfall = meet_shortfall(
            ConditionKind(condition["kind"]),
            hours_done=condition["hours_done"],
            hours_due=condition["hours_due"],
            sessions_attended=await sessions_attended(condition["id"]),
            sessions_required=condition["required_sessions"],
        )
        if shortfall:
            code, figures = shortfall
            raise Invalid(code, field="event", **figures)
    values: dict[Any, Any] = {
        Condition.status: target,
        Condition.updated_at: now,
        Condition.version: condition["version"] + 1,
    }
    if interruption is not None:
        values[Condition.interruption] = interruption
    elif event is ConditionEvent.RESUME:
        values[Condition.interruption] = None
    updated = (
        await Condition.update(values)
        .where((Condition.id == condition["id"]) & (Condition.version == condition["version"]))
        .returning(Condition.id)
    )
    if not updated:
        raise Conflict(RecordError.CHANGED_MEANWHILE, record="condition")
    kind = ConditionKind(condition["kind"])
    notices: list[tuple[Notice, dict[str, Any]]] = []
    event_kind = EventKind.CONDITION_TRANSITION
    breach = False
    if interruption is not None:
        # The victim's side hears "programme interrupted" and nothing of its content (DOMAIN §4-5).
        notices.append((Notice.PROGRAMME_INTERRUPTED, {"interruption": "programme_interrupted"}))
        event_kind = EventKind.PROGRAMME_INTERRUPTED
    elif event is ConditionEvent.BREACH and is_ban(kind):
        notices.append((Notice.BAN_BREACH_REPORTED, {"condition_kind": kind}))
        event_kind = EventKind.BAN_BREACH_REPORTED
        breach = True
    elif event is ConditionEvent.MEET and kind is ConditionKind.PROGRAMME:
        event_kind = EventKind.PROGRAMME_COMPLETED
        notices.append((Notice.PROGRAMME_COMPLETED, {"condition_kind": kind}))
    await record_event(
        case=case,
        kind=event_kind,
        actor=actor,
        now=now,
        data={
            "condition_id": condition["id"],
            "from": status,
            "to": target,
            "event": event,
            "reason": reason,
            "by": transition_actor(actor),
            **({"interruption": interruption} if interruption else {}),
        },
        measure_id=condition["measure"],
        notices=notices,
    )
    if breach:
        await risk.raise_loop(
            case=case,
            trigger=Trigger.BAN_BREACH,
            trigger_key=f"breach:{condition['id']}:{now.isoformat()}",
            now=now,
            actor=actor,
        )
    return target


async def transition_condition(
    *, actor: ActingUser, condition_id: int, data: ConditionTransitionIn, clock: Clock
) -> MeasureRead:
    now = clock.now()
    async with db.transaction():
        condition, measure, case = await scoped_condition(actor, condition_id)
        check_version("condition", condition, data.version)
        if MeasureStatus(measure["status"]) in rules.CLOSED_STATUSES:
            raise Conflict(ConditionError.CONDITIONS_CLOSED)
        await apply_condition_event(
            actor=actor,
            condition=condition,
            case=case,
            event=data.event,
            reason=data.reason,
            now=now,
        )
    return await read_measure(actor=actor, measure_id=measure["id"])


async def record_hours(
    *, actor: ActingUser, condition_id: int, data: ConditionHoursIn, clock: Clock
) -> MeasureRead:
    """Community service hours done; reaching the hours due meets the condition."""
    now = clock.now()
    async with db.transaction():
        condition, measure, case = await scoped_condition(actor, condition_id)
        check_version("condition", condition, data.version)
        if condition["kind"] != ConditionKind.COMMUNITY_SERVICE:
            raise Invalid(ConditionError.HOURS_ON_COMMUNITY_SERVICE)
        status = ConditionStatus(condition["status"])
        if status not in {ConditionStatus.PENDING, ConditionStatus.IN_PROGRESS}:
            raise Conflict(ConditionError.NO_MORE_HOURS, status=status)
        done = condition["hours_done"] + data.hours
        due = condition["hours_due"] or 0
        if done > due:
            raise Invalid(ConditionError.TOO_MANY_HOURS, done=done, due=due, field="hours")
        updated = (
            await Condition.update(
                {
                    Condition.hours_done: done,
                    Condition.status: ConditionStatus.IN_PROGRESS,
                    Condition.updated_at: now,
                    Condition.version: condition["version"] + 1,
                }
            )
            .where((Condition.id == condition_id) & (Condition.version == condition["version"]))
            .returning(Condition.id)
        )
        if not updated:
            raise Conflict(RecordError.CHANGED_MEANWHILE, record="condition")
        await record_event(
            case=case,
            kind=EventKind.CONDITION_HOURS,
            actor=actor,
            now=now,
            data={
                "condition_id": condition_id,
                "hours": data.hours,
                "done": done,
                "due": due,
                "reason": data.reason,
            },
            measure_id=measure["id"],
        )
        if done == due:
            fresh = await Condition.select().where(Condition.id == condition_id).first()
            assert fresh is not None
            await apply_condition_event(
                actor=None,
                condition=fresh,
                case=case,
                event=ConditionEvent.MEET,
                reason="All hours due are done",
                now=now,
            )
    return await read_measure(actor=actor, measure_id=measure["id"])


async def interrupt_programme(
    *,
    actor: ActingUser,
    condition_id: int,
    interruption: Interruption,
    reason: str,
    version: int,
    clock: Clock,
) -> dict[str, Any]:
    """Refusal, drop-out or exclusion: the condition is breached and the victim's side is told."""
    now = clock.now()
    async with db.transaction():
        condition, _, case = await scoped_condition(actor, condition_id)
        check_version("referral", condition, version)
        if condition["kind"] != ConditionKind.PROGRAMME:
            raise Invalid(ConditionError.ONLY_PROGRAMME_INTERRUPTED)
        await apply_condition_event(
            actor=actor,
            condition=condition,
            case=case,
            event=ConditionEvent.BREACH,
            reason=reason,
            now=now,
            interruption=interruption,
        )
        row = await Condition.select().where(Condition.id == condition_id).first()
        assert row is not None
    return row


async def record_address_change(
    *, actor: ActingUser, case_id: int, address: str, version: int, clock: Clock
) -> dict[str, Any]:
    """The perpetrator reported a new address: the referring officer is told; the SAPV contact
    and the victim never are (DOMAIN §4). The address is kept off the timeline text."""
    now = clock.now()
    async with db.transaction():
        case = await scoped_case(actor, case_id)
        check_version("case", case, version)
        updated = (
            await Case.update({Case.version: case["version"] + 1})
            .where((Case.id == case_id) & (Case.version == case["version"]))
            .returning(Case.id)
        )
        if not updated:
            raise Conflict(RecordError.CHANGED_MEANWHILE, record="case")
        await Person.update({Person.address: address}).where(Person.id == case["perpetrator"])
        await record_event(
            case=case,
            kind=EventKind.PERPETRATOR_ADDRESS_CHANGED,
            actor=actor,
            now=now,
            notices=[(Notice.PERPETRATOR_ADDRESS_CHANGED, {"address": address})],
        )
        row = await Case.select().where(Case.id == case_id).first()
        assert row is not None
    return row
