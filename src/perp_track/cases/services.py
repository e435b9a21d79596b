"""Cases: open one. The reads (the case file, the lists) are in views.py; the kernel every
domain appends through (scoped_case, record_event) is in access.py."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from perp_track import db
from perp_track.auth.rules import ActingUser, Role
from perp_track.auth.tables import User
from perp_track.cases import rules
from perp_track.cases.access import NewEvent, record_event, record_events, scoped_case
from perp_track.cases.errors import CaseError
from perp_track.cases.rules import EventKind, PersonRole
from perp_track.cases.schemas import CaseCreate, CaseRead, PersonIn
from perp_track.cases.tables import Case, Person
from perp_track.cases.views import list_cases, read_case
from perp_track.clock import Clock
from perp_track.errors import Forbidden, Invalid
from perp_track.orgs.tables import Organisation
from perp_track.risk import services as risk
from perp_track.risk import views as risk_views

# The kernel and the reads, where callers have always found them.
__all__ = [
    "NewEvent",
    "list_cases",
    "open_case",
    "read_case",
    "record_event",
    "record_events",
    "scoped_case",
]


async def _user_in_role(
    user_id: int, role: Role | set[Role], what: str, *, field: str | None = None
) -> dict[str, Any]:
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
            **({"field": field} if field else {}),
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
        # The police's initial level is one of the tiers in force.
        (await risk_views.policy_map()).require(data.risk_level, field="risk_level")
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
            police_report_number=data.police_report_number,
            police_reference=data.police_reference,
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
            now=now,
            data={"risk_level": data.risk_level},
        )
        await risk.record_initial(case=row, now=now)
    return await read_case(actor=actor, case_id=int(case.id), clock=clock)
