"""The compliance report to the mandating authority, per case and period, in FR/NL/EN."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from perp_track.auth.rules import ActingUser
from perp_track.auth.tables import User
from perp_track.cases.access import scoped_case
from perp_track.cases.rules import EventKind
from perp_track.cases.tables import CaseEvent, Person
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.documents.printable import render
from perp_track.errors import Invalid
from perp_track.i18n import events as describe_events
from perp_track.measures.errors import ReportError
from perp_track.measures.facts import load_case_facts
from perp_track.measures.labels import explain
from perp_track.measures.reports import thresholds
from perp_track.measures.tables import AuthorityReport
from perp_track.orgs.tables import Organisation
from perp_track.risk import views as risk_views
from perp_track.summons.tables import Attendance, Summons

MAX_PERIOD_DAYS = 5 * 366 + 1

# What the service itself noted for the justice house (its own reminders and deadlines, the
# victim's contact settings): not for the authority's report.
INTERNAL_EVENTS = frozenset(
    {
        EventKind.SUMMONS_REMINDER,
        EventKind.ATTENDANCE_OVERDUE,
        EventKind.REPORT_DUE,
        EventKind.REPORT_OVERDUE,
        EventKind.PROTECTION_ENDING,
        EventKind.SAFE_CONTACT_UPDATED,
        EventKind.VICTIM_CONSENT_RECORDED,
        EventKind.VICTIM_CONSENT_REVOKED,
        EventKind.VICTIM_NUMBER_CHECK_STARTED,
        EventKind.VICTIM_NUMBER_CHECK_RESENT,
        EventKind.VICTIM_NUMBER_CODE_SHOWN,
        EventKind.VICTIM_NUMBER_WRONG_CODE,
        EventKind.VICTIM_NUMBER_CONFIRMED,
        EventKind.VICTIM_NUMBER_BLOCKED,
        EventKind.VICTIM_UPDATES_PAUSED,
        EventKind.VICTIM_UPDATES_RESUMED,
    }
)


def _bounds(start: date, end: date, settings: Settings) -> tuple[datetime, datetime]:
    tz = settings.tz
    lo = datetime.combine(start, time.min, tzinfo=tz).astimezone(UTC)
    hi = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz).astimezone(UTC)
    return lo, hi


async def compliance_report_html(
    *,
    actor: ActingUser,
    case_id: int,
    period_from: date,
    period_to: date,
    language: str,
    clock: Clock,
    settings: Settings,
) -> str:
    if period_to < period_from:
        raise Invalid(ReportError.PERIOD_REVERSED)
    if (period_to - period_from).days > MAX_PERIOD_DAYS:
        raise Invalid(ReportError.PERIOD_TOO_LONG)
    case = await scoped_case(actor, case_id)
    lo, hi = _bounds(period_from, period_to, settings)
    facts = await load_case_facts(case_id)
    today = clock.now().astimezone(settings.tz).date()
    results = facts.compliance(min(today, period_to), thresholds(settings))
    by_measure = {r.measure_id: r for r in results}
    by_condition = {c.condition_id: c for r in results for c in r.conditions}
    measures = [
        {
            **m,
            "level": by_measure[m["id"]].level if m["id"] in by_measure else None,
            "conditions": [
                {
                    **c,
                    "level": by_condition[c["id"]].level if c["id"] in by_condition else None,
                    "reasons": [
                        explain(reason, language)
                        for reason in (
                            by_condition[c["id"]].reasons if c["id"] in by_condition else ()
                        )
                    ],
                }
                for c in facts.conditions
                if c["measure"] == m["id"]
            ],
        }
        for m in facts.measures
    ]
    perpetrator = await Person.select().where(Person.id == case["perpetrator"]).first()
    ja = (
        await User.select(User.full_name).where(User.id == case["assigned_ja"]).first()
        if case["assigned_ja"]
        else None
    )
    house = await Organisation.select().where(Organisation.id == case["justice_house"]).first()
    summons = (
        await Summons.select()
        .where(
            (Summons.case == case_id) & (Summons.scheduled_at >= lo) & (Summons.scheduled_at < hi)
        )
        .order_by(Summons.scheduled_at)
    )
    programme = await _programme_rows(case_id, lo, hi)
    attendance = sorted(
        [
            {"at": s["scheduled_at"], "what": "summons", "outcome": s["status"]}
            for s in summons
            if s["status"] not in {"rescheduled", "cancelled"}
        ]
        + programme,
        key=lambda r: r["at"],
    )
    rows = (
        await CaseEvent.select(CaseEvent.occurred_at, CaseEvent.kind, CaseEvent.data)
        .where(
            (CaseEvent.case == case_id)
            & (CaseEvent.occurred_at >= lo)
            & (CaseEvent.occurred_at < hi)
        )
        .order_by(CaseEvent.occurred_at)
        .order_by(CaseEvent.id)
        .output(load_json=True)
    )
    kinds = {c["id"]: str(c["kind"]) for c in facts.conditions}
    tiers = await risk_views.policy_map()
    tier_names = {code: tiers.name(code, language) for code in tiers}
    events = [
        {
            "occurred_at": e["occurred_at"],
            "title": describe_events.title(e["kind"], language),
            "text": describe_events.describe(
                e, language, tz=settings.tz, condition_kinds=kinds, tier_names=tier_names
            ),
        }
        for e in rows
        if e["kind"] not in INTERNAL_EVENTS
    ]
    ids = [m["id"] for m in facts.measures]
    assessments = (
        await AuthorityReport.select()
        .where(
            AuthorityReport.measure.is_in(ids)
            & (AuthorityReport.period_to >= period_from)
            & (AuthorityReport.period_from <= period_to)
        )
        .order_by(AuthorityReport.submitted_at)
        if ids
        else []
    )
    return render(
        "reports/compliance.html",
        language=language,
        tz=settings.tz,
        case=case,
        house=house,
        ja=ja,
        perpetrator=perpetrator,
        period_from=period_from,
        period_to=period_to,
        measures=measures,
        attendance=attendance,
        events=events,
        assessments=assessments,
        printed_at=clock.now(),
    )


async def _programme_rows(case_id: int, lo: datetime, hi: datetime) -> list[dict[str, Any]]:
    rows = (
        await Attendance.select(
            Attendance.id,
            Attendance.session,
            Attendance.condition,
            Attendance.outcome,
            Attendance.session.starts_at.as_alias("starts_at"),
        )
        .where(
            (Attendance.case == case_id)
            & Attendance.session.is_not_null()
            & (Attendance.session._.starts_at >= lo)
            & (Attendance.session._.starts_at < hi)
        )
        .order_by(Attendance.id)
    )
    latest: dict[tuple[int, int], dict[str, Any]] = {}
    for r in rows:
        latest[(r["session"], r["condition"])] = r  # ordered by id: the last one stands
    return [
        {"at": r["starts_at"], "what": "session", "outcome": r["outcome"]} for r in latest.values()
    ]
