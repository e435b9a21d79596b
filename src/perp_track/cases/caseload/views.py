"""The reads behind a caseload: one justice assistant's (or one house's) open cases, their
measures in force, their open summons. Plain parametrised SQL on PostgreSQL, the same reads as
Piccolo queries on SQLite; every test runs on both."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from piccolo.columns.combination import Combinable

from perp_track import db
from perp_track.auth.rules import ActingUser, Role
from perp_track.cases.access import HIDDEN_SQL, visible
from perp_track.cases.errors import CaseError
from perp_track.cases.rules import CaseStatus
from perp_track.cases.tables import Case
from perp_track.errors import Forbidden
from perp_track.measures.rules import IN_FORCE_STATUSES, MeasureKind, ReportKind
from perp_track.measures.tables import AuthorityReport, Measure
from perp_track.risk import views as risk_views
from perp_track.risk.rules import Tiers
from perp_track.summons.rules import SummonsStatus
from perp_track.summons.tables import Summons


def scope_of(actor: ActingUser, ja_id: int | None) -> tuple[str, int]:
    """('ja', id) for one assistant's cases, ('house', id) for a supervisor's whole team."""
    if actor.role is Role.JUSTICE_ASSISTANT:
        if ja_id not in (None, actor.id):
            raise Forbidden(CaseError.OWN_CASELOAD)
        return "ja", actor.id
    if actor.role in {Role.SUPERVISOR, Role.ADMIN}:
        return ("ja", ja_id) if ja_id is not None else ("house", actor.organisation_id)
    raise Forbidden(CaseError.CASELOAD_FOR_STAFF)


def caseload_queries(actor: ActingUser, ja_id: int | None, search: str | None) -> dict[str, Any]:
    """The three reads behind a caseload, as Piccolo queries (SQLite)."""
    scope, key = scope_of(actor, ja_id)
    if scope == "ja":
        case_where: Combinable = (Case.assigned_ja == key) & (
            Case.justice_house == actor.organisation_id
        )
        via_case: Any = lambda table: table.case.assigned_ja == key  # noqa: E731
    else:
        case_where = Case.justice_house == key
        via_case = lambda table: table.case.justice_house == key  # noqa: E731
    # A restricted case is on the caseload of the people named on it only.
    case_where = case_where & (Case.status == CaseStatus.OPEN) & visible(Case.id, actor)
    scoped = via_case
    via_case = lambda table: scoped(table) & visible(table.case, actor)  # noqa: E731
    if search:
        needle = _needle(search)
        # SQLite's LIKE already ignores case (ASCII); PostgreSQL needs ILIKE.
        op = "ilike" if db.is_postgres() else "like"
        columns: list[Any] = [
            Case.reference,
            Case.perpetrator.last_name,
            Case.perpetrator.first_name,
            Case.police_report_number,
            Case.police_reference,
        ]
        matches = [getattr(column, op)(needle) for column in columns]
        case_where = case_where & (matches[0] | matches[1] | matches[2] | matches[3] | matches[4])
    cases = Case.select(
        Case.id,
        Case.reference,
        Case.risk_level,
        Case.opened_at,
        Case.assigned_ja,
        Case.perpetrator.first_name.as_alias("first_name"),
        Case.perpetrator.last_name.as_alias("last_name"),
    ).where(case_where)
    open_case = Measure.case.status == CaseStatus.OPEN
    measures = Measure.select(
        Measure.id,
        Measure.case,
        Measure.kind,
        Measure.status,
        Measure.starts_on,
        Measure.ends_on,
        Measure.next_report_due,
        Measure.hearing_on,
        Measure.updated_at,
    ).where(via_case(Measure) & open_case & Measure.status.is_in(list(IN_FORCE_STATUSES)))
    summons = Summons.select(
        Summons.id,
        Summons.case,
        Summons.scheduled_at,
        Summons.duration_minutes,
        Summons.modality,
        Summons.place,
        Summons.interpreter_language,
    ).where(
        via_case(Summons)
        & (Summons.case.status == CaseStatus.OPEN)
        & (Summons.status == SummonsStatus.SCHEDULED)
    )
    return {"cases": cases, "measures": measures, "summons": summons}


# PostgreSQL: the same three reads as plain parametrised SQL. Building Piccolo's join queries
# and processing its rows cost more than the queries themselves (bench/README.md); the
# SQLite path above runs the Piccolo queries, and every test runs on both backends.
_PG_CASE_WHERE = {
    "ja": "c.assigned_ja = $1 AND c.justice_house = $2",
    # The team view passes the house twice, so both scopes keep the same parameter positions.
    "house": "c.justice_house = $1 AND c.justice_house = $2",
}
_PG_CASES = """SELECT c.id, c.reference, c.risk_level, c.opened_at, c.assigned_ja, p.first_name,
       p.last_name
FROM dv_case c JOIN person p ON p.id = c.perpetrator
WHERE {where} AND c.status = 'open' AND {visible}{search}"""
_PG_SEARCH = (
    " AND (c.reference ILIKE $3 OR p.last_name ILIKE $3 OR p.first_name ILIKE $3"
    " OR c.police_report_number ILIKE $3 OR c.police_reference ILIKE $3)"
)
_PG_MEASURES = """SELECT m.id, m."case", m.kind, m.status, m.starts_on, m.ends_on,
       m.next_report_due, m.hearing_on, m.updated_at,
       m.kind IN ('probation', 'autonomous_probation') AND EXISTS (
           SELECT 1 FROM authority_report r WHERE r.measure = m.id AND r.kind = 'intake'
       ) AS intake_done
FROM measure m JOIN dv_case c ON c.id = m."case"
WHERE {where} AND c.status = 'open' AND {visible} AND m.status = ANY($3::text[])"""
_PG_SUMMONS = """SELECT s.id, s."case", s.scheduled_at, s.duration_minutes, s.modality, s.place,
       s.interpreter_language
FROM summons s JOIN dv_case c ON c.id = s."case"
WHERE {where} AND c.status = 'open' AND {visible} AND s.status = 'scheduled'"""


def caseload_sql(
    actor: ActingUser, ja_id: int | None, search: str | None
) -> dict[str, tuple[str, list[Any]]]:
    """The PostgreSQL statements behind a caseload, with their arguments (EXPLAINed by bench)."""
    scope, key = scope_of(actor, ja_id)
    where = _PG_CASE_WHERE[scope]
    base: list[Any] = [key, actor.organisation_id]
    # The reader's id is the last parameter of each statement (restricted cases: HIDDEN_SQL).
    cases_args = [*base, _needle(search)] if search else base
    measures_args = [*base, sorted(IN_FORCE_STATUSES)]
    cases_sql = _PG_CASES.format(
        where=where, search=_PG_SEARCH if search else "", visible=_visible(len(cases_args) + 1)
    )
    return {
        "cases": (cases_sql, [*cases_args, actor.id]),
        "measures": (
            _PG_MEASURES.format(where=where, visible=_visible(len(measures_args) + 1)),
            [*measures_args, actor.id],
        ),
        "summons": (_PG_SUMMONS.format(where=where, visible=_visible(3)), [*base, actor.id]),
    }


def _visible(position: int) -> str:
    return HIDDEN_SQL.format(case="c.id", user=f"${position}")


def _needle(search: str | None) -> str:
    return f"%{(search or '').replace('%', '').replace('_', '').strip()}%"


# The risk policy's reassessment clock: the policy and each case's last assessment, read in the
# caseload's own transaction on PostgreSQL.
_PG_POLICY = "SELECT * FROM risk_policy"
_PG_LAST_ASSESSED = (
    'SELECT "case", max(recorded_at) AS recorded_at FROM risk_assessment'
    ' WHERE "case" = ANY($1::int[]) GROUP BY "case"'
)


async def load(
    actor: ActingUser, ja_id: int | None, search: str | None
) -> tuple[list[Any], list[Any], list[Any], set[int], Tiers, dict[int, datetime]]:
    """Rows (mappings) of the open cases, their measures in force, their open summons, the
    measures whose intake report is done, the risk tiers in force, and when each case's risk
    must be reassessed."""
    if db.is_postgres():
        statements = caseload_sql(actor, ja_id, search)
        # One connection and one snapshot (repeatable read, read only): no case is shown with
        # another moment's summons, and no pool round trip per statement.
        async with (
            _connection() as connection,
            connection.transaction(isolation="repeatable_read", readonly=True),
        ):
            cases = await connection.fetch(*_flat(statements["cases"]))
            measures = await connection.fetch(*_flat(statements["measures"]))
            summons = await connection.fetch(*_flat(statements["summons"]))
            policy = await connection.fetch(_PG_POLICY)
            last = await connection.fetch(_PG_LAST_ASSESSED, [c["id"] for c in cases])
        tiers = risk_views.policy_of([dict(row) for row in policy])
        reassess = risk_views.reassessment_due_of(
            cases, tiers, {row["case"]: row["recorded_at"] for row in last}
        )
        # The intake reports come with the measures: no other query, no other connection.
        intake_done = {m["id"] for m in measures if m["intake_done"]}
        return cases, measures, summons, intake_done, tiers, reassess
    queries = caseload_queries(actor, ja_id, search)
    cases = await queries["cases"]
    measures = await queries["measures"]
    summons = await queries["summons"]
    tiers = await risk_views.policy_map()
    reassess = risk_views.reassessment_due_of(
        cases, tiers, await risk_views.last_assessed([c["id"] for c in cases])
    )
    return cases, measures, summons, await _intake_done(measures), tiers, reassess


@asynccontextmanager
async def _connection() -> AsyncIterator[Any]:
    engine: Any = db.engine()
    if getattr(engine, "pool", None) is not None:
        async with engine.pool.acquire() as connection:
            yield connection
        return
    connection = await engine.get_new_connection()  # a command-line run without a pool
    try:
        yield connection
    finally:
        await connection.close()


def _flat(statement: tuple[str, list[Any]]) -> list[Any]:
    return [statement[0], *statement[1]]


async def _intake_done(measures: list[Any]) -> set[int]:
    probation = [
        m["id"]
        for m in measures
        if m["kind"] in {MeasureKind.PROBATION, MeasureKind.AUTONOMOUS_PROBATION}
    ]
    return {
        r["measure"]
        for r in (
            await AuthorityReport.select(AuthorityReport.measure).where(
                AuthorityReport.measure.is_in(probation)
                & (AuthorityReport.kind == ReportKind.INTAKE)
            )
            if probation
            else []
        )
    }
