"""Read views of cases: the case file (case, people, measures and conditions, summons and their
attendance, timeline) and the lists of a justice house.

On PostgreSQL the case file is one statement on one connection: the case row with its people,
measures, summons and timeline nested as `json_agg` sub-selects, and the two disclosure-log
entries (the perpetrator and the victim were shown) appended by the same statement, only when
the case is the reader's to see. SQLite runs the plain Piccolo reads; every test runs on both.
"""

from __future__ import annotations

import functools
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from piccolo.columns.combination import Combinable

from perp_track import db
from perp_track.audit import services as audit
from perp_track.audit.rules import VICTIM_FIELDS, current_request_id
from perp_track.auth.rules import JUSTICE_HOUSE_STAFF, ActingUser, Role
from perp_track.auth.tables import User
from perp_track.cases import rules
from perp_track.cases.access import scoped_case, visible
from perp_track.cases.errors import CaseError
from perp_track.cases.schemas import (
    CaseRead,
    CaseSummary,
    EventRead,
    PersonRead,
    VictimRead,
)
from perp_track.cases.tables import Case, CaseEvent, Person
from perp_track.clock import Clock, SystemClock
from perp_track.errors import Forbidden, NotFound
from perp_track.i18n.events import describe
from perp_track.measures import rules as measure_rules
from perp_track.measures.condition_rules import allowed_condition_events
from perp_track.measures.rules import ConditionStatus, MeasureKind, MeasureStatus
from perp_track.measures.services import measures_of_case, transition_actor
from perp_track.orgs.tables import Organisation
from perp_track.schemas import Ref
from perp_track.summons.views import summons_of_case

# What the disclosure log names when a case file is read: every field of a person it shows.
_SHOWN_FIELDS = json.dumps(sorted(VICTIM_FIELDS))

# $1 case, $2 the reader's justice house, $3 when, $4 reader, $5 reader's role, $6 the fields
# shown (json), $7 the request, $8 and $9 the events this reader may apply to a measure (by
# status and kind) and to a condition (by status); the disclosure-log entries are reads. The INSERT
# runs only if the case row is found in the reader's house: a case out of scope is neither shown
# nor logged.
CASE_FILE_SQL = """
WITH c AS (
    SELECT id, reference, status, mandating_authority, authority_reference,
           police_report_number, police_reference, risk_level, language, interpreter_language,
           summary, opened_at, closed_at, version, justice_house,
           assigned_ja, referring_officer, perpetrator, victim, restricted
    FROM dv_case WHERE id = $1 AND justice_house = $2 AND NOT (restricted AND NOT EXISTS (
        SELECT 1 FROM case_access a WHERE a."case" = dv_case.id AND a."user" = $4))
), shown AS (
    INSERT INTO audit_entry (occurred_at, actor_id, actor_role, action, record_type, record_id,
                             case_id, person_id, fields, detail, request_id)
    SELECT $3, $4, $5, 'read', 'person:' || p.role, p.id, c.id, p.id, $6::json,
           'case read', $7
    FROM c JOIN person p ON p.id = c.perpetrator OR p.id = c.victim
    ORDER BY p.id = c.victim, p.id
    RETURNING id
)
SELECT c.justice_house AS house_id, (SELECT count(*) FROM shown) AS shown, json_build_object(
    'id', c.id, 'reference', c.reference, 'status', c.status,
    'mandating_authority', c.mandating_authority, 'authority_reference', c.authority_reference,
    'police_report_number', c.police_report_number, 'police_reference', c.police_reference,
    'risk_level', c.risk_level, 'language', c.language,
    'interpreter_language', c.interpreter_language, 'summary', c.summary,
    'opened_at', c.opened_at, 'closed_at', c.closed_at, 'version', c.version,
    'restricted', c.restricted,
    'justice_house', json_build_object('id', h.id, 'name', h.name),
    'assigned_ja', CASE WHEN ja.id IS NOT NULL
                   THEN json_build_object('id', ja.id, 'name', ja.full_name) END,
    'referring_officer', CASE WHEN ro.id IS NOT NULL
                         THEN json_build_object('id', ro.id, 'name', ro.full_name) END,
    'perpetrator', (
        SELECT json_build_object(
            'id', p.id, 'first_name', p.first_name, 'last_name', p.last_name,
            'birth_date', p.birth_date, 'language', p.language,
            'interpreter_language', p.interpreter_language, 'phone', p.phone, 'email', p.email,
            'address', p.address)
        FROM person p WHERE p.id = c.perpetrator),
    'victim', (
        SELECT json_build_object(
            'id', p.id, 'first_name', p.first_name, 'last_name', p.last_name,
            'birth_date', p.birth_date, 'language', p.language,
            'interpreter_language', p.interpreter_language, 'phone', p.phone, 'email', p.email,
            'address', p.address,
            'sapv_contact', CASE WHEN u.id IS NOT NULL
                            THEN json_build_object('id', u.id, 'name', u.full_name) END)
        FROM person p LEFT JOIN app_user u ON u.id = p.sapv_contact WHERE p.id = c.victim),
    'measures', COALESCE((
        SELECT json_agg(json_build_object(
            'id', m.id, 'case_id', m."case", 'kind', m.kind, 'status', m.status,
            'decided_by', m.decided_by, 'decision_reference', m.decision_reference,
            'decided_on', m.decided_on, 'starts_on', m.starts_on, 'ends_on', m.ends_on,
            'notes', m.notes, 'next_report_due', m.next_report_due, 'hearing_on', m.hearing_on,
            'created_at', m.created_at, 'updated_at', m.updated_at, 'version', m.version,
            'allowed_events', COALESCE($8::json -> (m.status || '|' || m.kind), '[]'),
            'conditions', COALESCE((
                SELECT json_agg(json_build_object(
                    'id', k.id, 'kind', k.kind, 'status', k.status,
                    'description', k.description, 'provider_id', k.provider,
                    'required_sessions', k.required_sessions, 'hours_due', k.hours_due,
                    'hours_done', k.hours_done, 'protected_persons', k.protected_persons,
                    'address', k.address, 'starts_on', k.starts_on, 'ends_on', k.ends_on,
                    'version', k.version, 'interruption', k.interruption,
                    'allowed_events', COALESCE($9::json -> k.status, '[]')) ORDER BY k.id)
                FROM measure_condition k WHERE k.measure = m.id), '[]'))
            ORDER BY m.id)
        FROM measure m WHERE m."case" = c.id), '[]'),
    'summons', COALESCE((
        SELECT json_agg(json_build_object(
            'id', s.id, 'case_id', s."case", 'measure_id', s.measure,
            'scheduled_at', s.scheduled_at, 'duration_minutes', s.duration_minutes,
            'modality', s.modality, 'place', s.place, 'language', s.language,
            'interpreter_language', s.interpreter_language, 'purpose', s.purpose,
            'status', s.status, 'rescheduled_from', s.rescheduled_from,
            'reschedule_reason', s.reschedule_reason,
            'reschedule_requested_by', s.reschedule_requested_by,
            'cancel_reason', s.cancel_reason, 'version', s.version,
            'interpreter', (
                SELECT json_build_object(
                    'id', b.id, 'reference', b.reference, 'interpreter_id', b.interpreter,
                    'interpreter_name', i.full_name, 'sworn', i.sworn, 'language', b.language,
                    'status', b.status)
                FROM interpreter_booking b JOIN interpreter i ON i.id = b.interpreter
                -- the latest booking, unless it was released (interpreters.bookings_of)
                WHERE b.id = (SELECT max(b2.id) FROM interpreter_booking b2
                              WHERE b2.summons = s.id)
                  AND b.status <> 'released'),
            'attendance', COALESCE((
                SELECT json_agg(json_build_object(
                    'id', a.id, 'outcome', a.outcome, 'reason', a.reason,
                    'recorded_by', a.recorded_by, 'recorded_at', a.recorded_at,
                    'corrects', a.corrects) ORDER BY a.recorded_at, a.id)
                FROM attendance a WHERE a.summons = s.id), '[]'))
            ORDER BY s.scheduled_at, s.id)
        FROM summons s WHERE s."case" = c.id), '[]'),
    'timeline', COALESCE((
        SELECT json_agg(json_build_object(
            'id', e.id, 'kind', e.kind, 'occurred_at', e.occurred_at, 'summary', e.summary,
            'data', e.data, 'measure_id', e.measure_id, 'summons_id', e.summons_id,
            'actor', CASE WHEN u.id IS NOT NULL
                     THEN json_build_object('id', u.id, 'name', u.full_name) END)
            ORDER BY e.occurred_at, e.id)
        FROM case_event e LEFT JOIN app_user u ON u.id = e.actor WHERE e."case" = c.id), '[]')
)::text AS doc
FROM c
JOIN organisation h ON h.id = c.justice_house
LEFT JOIN app_user ja ON ja.id = c.assigned_ja
LEFT JOIN app_user ro ON ro.id = c.referring_officer
"""


async def read_case(*, actor: ActingUser, case_id: int, clock: Clock | None = None) -> CaseRead:
    """The case file, if the case is the actor's to see (otherwise 404), with the people shown
    put on their disclosure log."""
    shown_at = (clock or SystemClock()).now()
    if db.is_postgres():
        return _told(await _read_case_pg(actor, case_id, shown_at))
    return _told(await _read_case_piccolo(actor, case_id, shown_at))


def _told(case: CaseRead) -> CaseRead:
    """Each timeline entry's `summary`: what describe() says of its kind and data, in English;
    an old row that could not be read back keeps the sentence it was recorded with."""
    kinds = {c.id: str(c.kind) for m in case.measures for c in m.conditions}
    for event in case.timeline:
        told = describe({"kind": event.kind, "data": event.data}, "en", condition_kinds=kinds)
        event.summary = told or event.summary
    return case


def case_file_args(actor: ActingUser, case_id: int, now: datetime) -> list[Any]:
    """The arguments of CASE_FILE_SQL for this reader (the benchmark runs the same)."""
    return [
        case_id,
        actor.organisation_id,
        now,
        actor.id,
        str(actor.role),
        _SHOWN_FIELDS,
        current_request_id.get(),
        *allowed_event_tables(transition_actor(actor)),
    ]


async def _read_case_pg(actor: ActingUser, case_id: int, now: datetime) -> CaseRead:
    if actor.role not in JUSTICE_HOUSE_STAFF:
        raise NotFound(CaseError.NOT_FOUND, case_id=case_id)
    async with connection() as conn:
        row = await conn.fetchrow(CASE_FILE_SQL, *case_file_args(actor, case_id, now))
    if row is None:
        # Unknown, another house's, or restricted without the reader: the kernel says which
        # (and notes a refused attempt on a restricted case).
        await scoped_case(actor, case_id)
        raise NotFound(CaseError.NOT_FOUND, case_id=case_id)
    if not rules.may_run_case(
        role=actor.role,
        actor_organisation=actor.organisation_id,
        case_justice_house=row["house_id"],
    ):
        raise NotFound(CaseError.NOT_FOUND, case_id=case_id)
    return case_read_from_row(row, actor)


def case_read_from_row(row: Any, actor: ActingUser) -> CaseRead:
    """The response model from CASE_FILE_SQL's document: parsed and validated in one call."""
    return CaseRead.model_validate_json(row["doc"])


@functools.cache
def allowed_event_tables(who: measure_rules.Actor) -> tuple[str, str]:
    """The transition tables as seen by one kind of actor, as JSON for CASE_FILE_SQL ($8, $9):
    the events allowed on a measure by "status|kind", on a condition by status."""
    measures = {
        f"{status}|{kind}": measure_rules.allowed_events(status, who, kind)
        for status in MeasureStatus
        for kind in MeasureKind
    }
    conditions = {status: allowed_condition_events(status, who) for status in ConditionStatus}
    return json.dumps(measures), json.dumps(conditions)


@asynccontextmanager
async def connection() -> AsyncIterator[Any]:
    """The connection of the transaction under way, else one from the pool (one per read)."""
    engine: Any = db.engine()
    current = engine.current_transaction.get()
    if current is not None:
        yield current.connection
        return
    if getattr(engine, "pool", None) is not None:
        async with engine.pool.acquire() as conn:
            yield conn
        return
    conn = await engine.get_new_connection()  # a command-line run without a pool
    try:
        yield conn
    finally:
        await conn.close()


async def _refs(user_ids: set[int]) -> dict[int, Ref]:
    if not user_ids:
        return {}
    rows = await User.select(User.id, User.full_name).where(User.id.is_in(list(user_ids)))
    return {r["id"]: Ref(id=r["id"], name=r["full_name"]) for r in rows}


async def _read_case_piccolo(actor: ActingUser, case_id: int, shown_at: datetime) -> CaseRead:
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
        police_report_number=case.get("police_report_number"),
        police_reference=case.get("police_reference"),
        risk_level=case["risk_level"],
        language=case["language"],
        interpreter_language=case["interpreter_language"],
        summary=case["summary"],
        opened_at=case["opened_at"],
        closed_at=case["closed_at"],
        version=case["version"],
        restricted=bool(case["restricted"]),
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
    where: Combinable = (Case.justice_house == actor.organisation_id) & visible(Case.id, actor)
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
