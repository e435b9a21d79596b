"""Reads for the partners: the police officer's referred cases, the SAPV contact's victims.

Each role has its own scoping function here (the justice house's is cases.services.scoped_case)
and reads through its own projection; what a partner may not know exists answers 404.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from piccolo.columns.combination import Combinable

from perp_track.audit import services as audit
from perp_track.auth.rules import ActingUser, Role
from perp_track.auth.tables import User
from perp_track.cases.access import check_restriction, visible
from perp_track.cases.rules import PersonRole
from perp_track.cases.tables import Case, Person
from perp_track.clock import Clock
from perp_track.errors import Forbidden, NotFound
from perp_track.measures.tables import Condition, Measure
from perp_track.orgs.tables import Organisation
from perp_track.partners import rules
from perp_track.partners.errors import PartnerError
from perp_track.partners.schemas import (
    ComplianceRead,
    ConditionStatusRead,
    MeasureStatusRead,
    PerpetratorForPolice,
    PoliceCasePage,
    PoliceCaseRead,
    SapvCaseRead,
    SapvVictimPage,
    SapvVictimRead,
)
from perp_track.schemas import Ref
from perp_track.summons.tables import Attendance, Summons

PERPETRATOR_FIELDS_FOR_POLICE = ("first_name", "last_name", "birth_date", "address")
VICTIM_FIELDS_FOR_SAPV = (
    "first_name",
    "last_name",
    "language",
    "interpreter_language",
    "phone",
    "email",
)


def _require(actor: ActingUser, role: Role) -> None:
    if actor.role is not role:
        raise Forbidden(PartnerError.OTHER_ROLE)


async def scoped_referred_case(actor: ActingUser, case_id: int) -> dict[str, Any]:
    """A police officer sees the cases they referred, and no other."""
    _require(actor, Role.POLICE_OFFICER)
    row = await Case.select().where(Case.id == case_id).first()
    if row is None or row["referring_officer"] != actor.id:
        raise NotFound(PartnerError.CASE_NOT_FOUND, case_id=case_id)
    await check_restriction(actor, row, NotFound(PartnerError.CASE_NOT_FOUND, case_id=case_id))
    return row


async def scoped_supported_victim(actor: ActingUser, person_id: int) -> dict[str, Any]:
    """A SAPV contact sees the victims they support, and no other person."""
    _require(actor, Role.SAPV_CONTACT)
    row = await Person.select().where(Person.id == person_id).first()
    if row is None or row["role"] != PersonRole.VICTIM or row["sapv_contact"] != actor.id:
        raise NotFound(PartnerError.VICTIM_NOT_FOUND, person_id=person_id)
    return row


async def _refs(user_ids: set[int], org_ids: set[int]) -> tuple[dict[int, Ref], dict[int, Ref]]:
    users = (
        await User.select(User.id, User.full_name).where(User.id.is_in(sorted(user_ids)))
        if user_ids
        else []
    )
    orgs = (
        await Organisation.select(Organisation.id, Organisation.name).where(
            Organisation.id.is_in(sorted(org_ids))
        )
        if org_ids
        else []
    )
    return (
        {u["id"]: Ref(id=u["id"], name=u["full_name"]) for u in users},
        {o["id"]: Ref(id=o["id"], name=o["name"]) for o in orgs},
    )


async def _measures(
    case_ids: list[int], *, protective_only: bool
) -> dict[int, list[MeasureStatusRead]]:
    if not case_ids:
        return {}
    measures = (
        await Measure.select(
            Measure.id,
            Measure.case,
            Measure.kind,
            Measure.status,
            Measure.starts_on,
            Measure.ends_on,
        )
        .where(Measure.case.is_in(case_ids))
        .order_by(Measure.id)
    )
    conditions = (
        await Condition.select(
            Condition.measure,
            Condition.kind,
            Condition.status,
            Condition.starts_on,
            Condition.ends_on,
        )
        .where(Condition.measure.is_in([m["id"] for m in measures]))
        .order_by(Condition.id)
        if measures
        else []
    )
    by_measure: dict[int, list[dict[str, Any]]] = {}
    for c in conditions:
        by_measure.setdefault(c["measure"], []).append(c)
    result: dict[int, list[MeasureStatusRead]] = {}
    for m in measures:
        own = by_measure.get(m["id"], [])
        if protective_only:
            if not rules.is_protective(m["kind"], [c["kind"] for c in own]):
                continue
            own = [c for c in own if c["kind"] in rules.PROTECTIVE_CONDITIONS]
        result.setdefault(m["case"], []).append(
            MeasureStatusRead.model_validate(
                {**m, "conditions": [ConditionStatusRead.model_validate(c) for c in own]}
            )
        )
    return result


async def _compliance(case_ids: list[int], now: datetime) -> dict[int, ComplianceRead]:
    if not case_ids:
        return {}
    summons = await Summons.select(Summons.case, Summons.status, Summons.scheduled_at).where(
        Summons.case.is_in(case_ids)
    )
    sessions = await Attendance.select(
        Attendance.id, Attendance.case, Attendance.outcome, Attendance.corrects
    ).where(Attendance.case.is_in(case_ids) & Attendance.session.is_not_null())
    measures = await Measure.select(Measure.case, Measure.status).where(
        Measure.case.is_in(case_ids)
    )
    result = {}
    for case_id in case_ids:
        summary = rules.compliance(
            summons_statuses=[
                rules.summons_state(s["status"], s["scheduled_at"], now)
                for s in summons
                if s["case"] == case_id
            ],
            session_outcomes=rules.latest_outcomes(s for s in sessions if s["case"] == case_id),
            measure_statuses=[m["status"] for m in measures if m["case"] == case_id],
        )
        result[case_id] = ComplianceRead.model_validate(summary, from_attributes=True)
    return result


async def _police_reads(
    actor: ActingUser, cases: list[dict[str, Any]], clock: Clock
) -> list[PoliceCaseRead]:
    ids = [c["id"] for c in cases]
    people = {
        p["id"]: p
        for p in (
            await Person.select().where(Person.id.is_in([c["perpetrator"] for c in cases]))
            if cases
            else []
        )
    }
    users, orgs = await _refs(
        {c["assigned_ja"] for c in cases if c["assigned_ja"]}, {c["justice_house"] for c in cases}
    )
    measures = await _measures(ids, protective_only=False)
    compliance = await _compliance(ids, clock.now())
    now = clock.now()
    reads = []
    for case in cases:
        perpetrator = people[case["perpetrator"]]
        await audit.record_person_read(
            actor=actor,
            person=perpetrator,
            case_id=case["id"],
            fields=PERPETRATOR_FIELDS_FOR_POLICE,
            now=now,
            detail="police case view",
        )
        reads.append(
            PoliceCaseRead(
                id=case["id"],
                reference=case["reference"],
                police_report_number=case.get("police_report_number"),
                police_reference=case.get("police_reference"),
                status=case["status"],
                risk_level=case["risk_level"],
                opened_at=case["opened_at"],
                closed_at=case["closed_at"],
                justice_house=orgs[case["justice_house"]],
                assigned_ja=users.get(case["assigned_ja"]) if case["assigned_ja"] else None,
                perpetrator=PerpetratorForPolice.model_validate(perpetrator),
                measures=measures.get(case["id"], []),
                compliance=compliance[case["id"]],
            )
        )
    return reads


def _number_key(text: str | None) -> str:
    """A PV number as an officer types it: "LI.55.L3/4113 2026" finds "LI.55.L3.004113/2026"
    by its letters and digits alone, in any case."""
    return "".join(ch for ch in (text or "").casefold() if ch.isalnum())


async def police_cases(
    *, actor: ActingUser, limit: int, offset: int, clock: Clock, search: str | None = None
) -> PoliceCasePage:
    """The cases this officer referred, newest first, with the feedback they are owed.

    search: part of the police report number (PV), of the zone's reference or of the case
    reference, separators ignored; only among the officer's own referred cases."""
    _require(actor, Role.POLICE_OFFICER)
    where: Combinable = (Case.referring_officer == actor.id) & visible(Case.id, actor)
    key = _number_key(search)
    if key:
        numbers = await Case.select(
            Case.id, Case.reference, Case.police_report_number, Case.police_reference
        ).where(where)
        found = [
            n["id"]
            for n in numbers
            if any(
                key in _number_key(n[name])
                for name in ("police_report_number", "police_reference", "reference")
            )
        ]
        where = where & Case.id.is_in(found or [0])
    total = await Case.count().where(where)
    cases = (
        await Case.select()
        .where(where)
        .order_by(Case.opened_at, ascending=False)
        .order_by(Case.id, ascending=False)
        .limit(limit)
        .offset(offset)
    )
    return PoliceCasePage(
        items=await _police_reads(actor, cases, clock), total=total, limit=limit, offset=offset
    )


async def police_case(*, actor: ActingUser, case_id: int, clock: Clock) -> PoliceCaseRead:
    case = await scoped_referred_case(actor, case_id)
    return (await _police_reads(actor, [case], clock))[0]


async def _sapv_reads(
    actor: ActingUser, victims: list[dict[str, Any]], clock: Clock
) -> list[SapvVictimRead]:
    victim_ids = [v["id"] for v in victims]
    cases = (
        await Case.select(
            Case.id,
            Case.reference,
            Case.status,
            Case.opened_at,
            Case.justice_house,
            Case.assigned_ja,
            Case.victim,
        )
        .where(Case.victim.is_in(victim_ids) & visible(Case.id, actor))
        .order_by(Case.id)
        if victim_ids
        else []
    )
    users, orgs = await _refs(
        {c["assigned_ja"] for c in cases if c["assigned_ja"]}, {c["justice_house"] for c in cases}
    )
    measures = await _measures([c["id"] for c in cases], protective_only=True)
    now = clock.now()
    reads = []
    for victim in victims:
        own = [c for c in cases if c["victim"] == victim["id"]]
        await audit.record_person_read(
            actor=actor,
            person=victim,
            case_id=own[0]["id"] if len(own) == 1 else None,
            fields=VICTIM_FIELDS_FOR_SAPV,
            now=now,
            detail="SAPV victim view",
        )
        reads.append(
            SapvVictimRead(
                **{f: victim[f] for f in ("id", *VICTIM_FIELDS_FOR_SAPV)},
                cases=[
                    SapvCaseRead(
                        id=c["id"],
                        reference=c["reference"],
                        status=c["status"],
                        opened_at=c["opened_at"],
                        justice_house=orgs[c["justice_house"]],
                        assigned_ja=users.get(c["assigned_ja"]) if c["assigned_ja"] else None,
                        protective_measures=measures.get(c["id"], []),
                    )
                    for c in own
                ],
            )
        )
    return reads


async def sapv_victims(
    *, actor: ActingUser, limit: int, offset: int, clock: Clock
) -> SapvVictimPage:
    """The victims this SAPV contact supports, with what protects them and until when."""
    _require(actor, Role.SAPV_CONTACT)
    where = (Person.role == PersonRole.VICTIM) & (Person.sapv_contact == actor.id)
    total = await Person.count().where(where)
    victims = await Person.select().where(where).order_by(Person.id).limit(limit).offset(offset)
    return SapvVictimPage(
        items=await _sapv_reads(actor, victims, clock), total=total, limit=limit, offset=offset
    )


async def sapv_victim(*, actor: ActingUser, person_id: int, clock: Clock) -> SapvVictimRead:
    victim = await scoped_supported_victim(actor, person_id)
    return (await _sapv_reads(actor, [victim], clock))[0]
