"""Cases: open, read, list; the timeline every other domain appends to."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from piccolo.columns.combination import Combinable

from perp_track import db
from perp_track.audit import services as audit
from perp_track.audit.rules import VICTIM_FIELDS, Action
from perp_track.auth.rules import ActingUser, Role
from perp_track.auth.tables import User
from perp_track.cases import rules
from perp_track.cases.rules import EventKind, PersonRole
from perp_track.cases.schemas import (
    CaseCreate,
    CaseRead,
    CaseSummary,
    EventRead,
    PersonIn,
    PersonRead,
    VictimRead,
)
from perp_track.cases.tables import Case, CaseEvent, Person
from perp_track.clock import Clock, SystemClock
from perp_track.errors import CaseError, Forbidden, Invalid, NotFound
from perp_track.notify.rules import Notice
from perp_track.notify.services import queue_notice, queue_notice_many
from perp_track.orgs.tables import Organisation
from perp_track.schemas import Ref


async def scoped_case(actor: ActingUser, case_id: int) -> dict[str, Any]:
    """The case row, if this actor may run it; otherwise 404 (they may not know it exists)."""
    row = await Case.select().where(Case.id == case_id).first()
    if row is None or not rules.may_run_case(
        role=actor.role,
        actor_organisation=actor.organisation_id,
        case_justice_house=row["justice_house"],
    ):
        raise NotFound(CaseError.NOT_FOUND, case_id=case_id)
    return row


async def record_event(
    *,
    case: dict[str, Any],
    kind: EventKind,
    actor: ActingUser | None,
    now: datetime,
    data: dict[str, Any] | None = None,
    summary: str = "",
    measure_id: int | None = None,
    summons_id: int | None = None,
    notices: list[tuple[Notice, dict[str, Any]]] | None = None,
    not_after: datetime | None = None,
) -> int:
    """Append to the case timeline and queue who must be told. Call inside the transaction.

    The event is its kind and its data: what the pages, documents and export say of it is built
    from them (perp_track.i18n.events), so data must carry everything a reader needs. summary is
    an optional English line kept for the API's clients; nothing reads it back."""
    event = CaseEvent(
        case=case["id"],
        kind=kind,
        actor=actor.id if actor else None,
        occurred_at=now,
        summary=summary,
        data=data or {},
        measure_id=measure_id,
        summons_id=summons_id,
    )
    await event.save()
    # Every change to a case passes here: one place puts it on the audit trail.
    await audit.append(
        actor=actor,
        action=Action.WRITE,
        record_type="case_event",
        record_id=int(event.id),
        case_id=int(case["id"]),
        fields=sorted((data or {}).keys()),
        now=now,
        detail=f"{kind}"
        + (f" measure {measure_id}" if measure_id else "")
        + (f" summons {summons_id}" if summons_id else ""),
    )
    for notice, payload in notices or []:
        await queue_notice(
            notice=notice,
            case=case,
            event_id=event.id,
            payload={"case_reference": case["reference"], **payload},
            now=now,
            not_after=not_after,
        )
    return int(event.id)


@dataclass(frozen=True, slots=True)
class NewEvent:
    """One timeline entry of a batch (see record_events)."""

    case: dict[str, Any]
    summary: str
    data: dict[str, Any]
    measure_id: int | None = None
    summons_id: int | None = None
    payload: dict[str, Any] | None = None
    not_after: datetime | None = None


async def record_events(
    *, kind: EventKind, notice: Notice | None, events: list[NewEvent], now: datetime
) -> list[int]:
    """`record_event` for a batch of system events of one kind (no actor), in bulk.

    Call inside the transaction; the timeline entries and their outbox rows land together.
    """
    if not events:
        return []
    ids = await db.insert_many_ids(
        CaseEvent,
        [
            {
                "case": e.case["id"],
                "kind": kind,
                "actor": None,
                "occurred_at": now,
                "summary": e.summary,
                "data": e.data,
                "measure_id": e.measure_id,
                "summons_id": e.summons_id,
            }
            for e in events
        ],
    )
    # One audit entry for the batch (a system job's writes, by event id range): an entry per
    # event would serialise thousands of reminders on the chain's lock.
    await audit.append(
        actor=None,
        action=Action.WRITE,
        record_type="case_event",
        record_id=ids[0],
        now=now,
        detail=f"{kind} x{len(ids)}: events {ids[0]}..{ids[-1]}",
    )
    if notice is not None:
        await queue_notice_many(
            notice=notice,
            items=[
                (
                    e.case,
                    event_id,
                    {"case_reference": e.case["reference"], **(e.payload or {})},
                    e.not_after,
                )
                for e, event_id in zip(events, ids, strict=True)
            ],
            now=now,
        )
    return ids


async def _user_in_role(user_id: int, role: Role | set[Role], what: str) -> dict[str, Any]:
    roles = {role} if isinstance(role, Role) else role
    row = (
        await User.select(User.id, User.role, User.organisation, User.active)
        .where(User.id == user_id)
        .first()
    )
    if row is None or row["role"] not in roles or not row["active"]:
        raise Invalid(
            CaseError.NOT_ACTIVE_IN_ROLE,
            what=what,
            user_id=user_id,
            roles=" or ".join(sorted(roles)),
        )
    return row


async def _insert_person(data: PersonIn, role: PersonRole, now: datetime, **extra: Any) -> int:
    person = Person(
        role=role,
        first_name=data.first_name,
        last_name=data.last_name,
        birth_date=data.birth_date,
        language=data.language,
        interpreter_language=data.interpreter_language,
        phone=data.phone,
        email=data.email,
        address=data.address,
        created_at=now,
        **extra,
    )
    await person.save()
    return int(person.id)


async def open_case(*, actor: ActingUser, data: CaseCreate, clock: Clock) -> CaseRead:
    if actor.role not in {Role.JUSTICE_ASSISTANT, Role.SUPERVISOR}:
        raise Forbidden(CaseError.OPENED_BY_STAFF)
    now = clock.now()
    assigned = data.assigned_ja_id or (actor.id if actor.role is Role.JUSTICE_ASSISTANT else None)
    async with db.transaction():
        if assigned is not None:
            ja = await _user_in_role(assigned, Role.JUSTICE_ASSISTANT, "justice assistant")
            if ja["organisation"] != actor.organisation_id:
                raise Invalid(CaseError.ASSISTANT_ELSEWHERE)
        if data.referring_officer_id is not None:
            await _user_in_role(data.referring_officer_id, Role.POLICE_OFFICER, "police officer")
        if data.victim and data.victim.sapv_contact_id is not None:
            await _user_in_role(data.victim.sapv_contact_id, Role.SAPV_CONTACT, "SAPV contact")
        if data.victim and data.victim.phone and data.victim.phone == data.perpetrator.phone:
            raise Invalid(CaseError.SHARED_PHONE)
        perpetrator_id = await _insert_person(data.perpetrator, PersonRole.PERPETRATOR, now)
        victim_id = None
        if data.victim:
            victim_id = await _insert_person(
                data.victim,
                PersonRole.VICTIM,
                now,
                sapv_contact=data.victim.sapv_contact_id,
            )
        case = Case(
            reference=f"tmp-{uuid.uuid4().hex[:24]}",
            justice_house=actor.organisation_id,
            mandating_authority=data.mandating_authority,
            authority_reference=data.authority_reference,
            referring_officer=data.referring_officer_id,
            assigned_ja=assigned,
            perpetrator=perpetrator_id,
            victim=victim_id,
            risk_level=data.risk_level,
            language=data.language,
            interpreter_language=data.interpreter_language,
            summary=data.summary,
            opened_at=now,
            created_by=actor.id,
        )
        await case.save()
        house = (
            await Organisation.select(Organisation.code)
            .where(Organisation.id == actor.organisation_id)
            .first()
        )
        # The id makes the reference unique without a counter to race on.
        reference = rules.case_reference(now.year, int(case.id), house["code"] if house else None)
        await Case.update({Case.reference: reference}).where(Case.id == case.id)
        row = await Case.select().where(Case.id == case.id).first()
        assert row is not None
        await record_event(
            case=row,
            kind=EventKind.CASE_OPENED,
            actor=actor,
            summary="Case opened on a mandate from the "
            + data.mandating_authority.replace("_", " "),
            now=now,
            data={"risk_level": data.risk_level},
        )
    return await read_case(actor=actor, case_id=int(case.id), clock=clock)


async def _refs(user_ids: set[int]) -> dict[int, Ref]:
    if not user_ids:
        return {}
    rows = await User.select(User.id, User.full_name).where(User.id.is_in(list(user_ids)))
    return {r["id"]: Ref(id=r["id"], name=r["full_name"]) for r in rows}


async def read_case(*, actor: ActingUser, case_id: int, clock: Clock | None = None) -> CaseRead:
    from perp_track.measures.services import measures_of_case
    from perp_track.summons.services import summons_of_case

    case = await scoped_case(actor, case_id)
    person_ids = [case["perpetrator"]] + ([case["victim"]] if case["victim"] else [])
    people = {p["id"]: p for p in await Person.select().where(Person.id.is_in(person_ids))}
    events = (
        await CaseEvent.select()
        .where(CaseEvent.case == case_id)
        .order_by(CaseEvent.occurred_at)
        .order_by(CaseEvent.id)
        .output(load_json=True)
    )
    victim = people.get(case["victim"]) if case["victim"] else None
    # The people shown go on their disclosure log (the victim's read is the one that matters).
    shown_at = (clock or SystemClock()).now()
    for person in (people[case["perpetrator"]], victim):
        if person is not None:
            await audit.record_person_read(
                actor=actor,
                person=person,
                case_id=case_id,
                fields=VICTIM_FIELDS,
                now=shown_at,
                detail="case read",
            )
    user_ids = {
        uid
        for uid in (
            case["assigned_ja"],
            case["referring_officer"],
            victim["sapv_contact"] if victim else None,
            *(e["actor"] for e in events),
        )
        if uid is not None
    }
    refs = await _refs(user_ids)
    house = (
        await Organisation.select(Organisation.id, Organisation.name)
        .where(Organisation.id == case["justice_house"])
        .first()
    )
    assert house is not None
    return CaseRead(
        id=case["id"],
        reference=case["reference"],
        status=case["status"],
        mandating_authority=case["mandating_authority"],
        authority_reference=case["authority_reference"],
        risk_level=case["risk_level"],
        language=case["language"],
        interpreter_language=case["interpreter_language"],
        summary=case["summary"],
        opened_at=case["opened_at"],
        closed_at=case["closed_at"],
        version=case["version"],
        justice_house=Ref(id=house["id"], name=house["name"]),
        assigned_ja=refs.get(case["assigned_ja"]) if case["assigned_ja"] else None,
        referring_officer=(
            refs.get(case["referring_officer"]) if case["referring_officer"] else None
        ),
        perpetrator=PersonRead.model_validate(people[case["perpetrator"]]),
        victim=(
            VictimRead.model_validate({**victim, "sapv_contact": refs.get(victim["sapv_contact"])})
            if victim
            else None
        ),
        measures=await measures_of_case(actor=actor, case_id=case_id),
        summons=await summons_of_case(case_id=case_id),
        timeline=[
            EventRead.model_validate({**e, "actor": refs.get(e["actor"]) if e["actor"] else None})
            for e in events
        ],
    )


async def list_cases(
    *, actor: ActingUser, mine: bool, limit: int, offset: int
) -> tuple[list[CaseSummary], int]:
    """The cases of the actor's justice house (only their own with mine=True), newest first."""
    if actor.role not in {Role.JUSTICE_ASSISTANT, Role.SUPERVISOR, Role.ADMIN}:
        raise Forbidden(CaseError.LIST_FOR_STAFF)
    where: Combinable = Case.justice_house == actor.organisation_id
    if mine:
        where = where & (Case.assigned_ja == actor.id)
    total = await Case.count().where(where)
    rows = (
        await Case.select(
            Case.id,
            Case.reference,
            Case.status,
            Case.risk_level,
            Case.mandating_authority,
            Case.opened_at,
            Case.assigned_ja,
            Case.perpetrator.first_name,
            Case.perpetrator.last_name,
        )
        .where(where)
        .order_by(Case.opened_at, ascending=False)
        .order_by(Case.id, ascending=False)
        .limit(limit)
        .offset(offset)
    )
    refs = await _refs({r["assigned_ja"] for r in rows if r["assigned_ja"]})
    return [
        CaseSummary(
            id=r["id"],
            reference=r["reference"],
            status=r["status"],
            risk_level=r["risk_level"],
            mandating_authority=r["mandating_authority"],
            opened_at=r["opened_at"],
            perpetrator_name=f"{r['perpetrator.first_name']} {r['perpetrator.last_name']}",
            assigned_ja=refs.get(r["assigned_ja"]) if r["assigned_ja"] else None,
        )
        for r in rows
    ], total
