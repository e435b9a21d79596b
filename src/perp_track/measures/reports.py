"""Reports to the mandating authority, and the case's compliance and deadlines as the API
shows them. Recording a report moves the measure's next due date on."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from perp_track import db
from perp_track.auth.rules import ActingUser
from perp_track.cases.access import record_event, scoped_case
from perp_track.cases.rules import EventKind
from perp_track.clock import Clock
from perp_track.compliance.rules import Level, Thresholds, worst
from perp_track.config import Settings
from perp_track.errors import Conflict, Invalid, RecordError
from perp_track.measures import rules
from perp_track.measures.deadlines import Deadline, DeadlineSettings, deadlines
from perp_track.measures.errors import ReportError
from perp_track.measures.facts import CaseFacts, load_case_facts
from perp_track.measures.labels import explain
from perp_track.measures.policy import measure_policy
from perp_track.measures.rules import MeasureKind, MeasureStatus, ReportKind
from perp_track.measures.schemas import (
    AuthorityReportIn,
    AuthorityReportRead,
    CaseComplianceRead,
    ComplianceReasonRead,
    ConditionComplianceRead,
    DeadlineRead,
    MeasureComplianceRead,
)
from perp_track.measures.services import check_version, scoped_measure
from perp_track.measures.tables import AuthorityReport, Measure
from perp_track.notify.tasks import REPORT_TASKS, close_tasks
from perp_track.risk import views as risk_views


def thresholds(settings: Settings) -> Thresholds:
    return Thresholds(
        programme_absences=settings.programme_absence_threshold,
        missed_summons=settings.missed_summons_threshold,
    )


def deadline_settings(settings: Settings, grace_hours: int | None = None) -> DeadlineSettings:
    """grace_hours: the case's risk tier's hours before an unrecorded attendance is overdue (the
    risk policy's attendance_alert_hours); the global setting only where no tier says."""
    return DeadlineSettings(
        due_soon_days=settings.due_soon_days,
        protection_ending_days=settings.protection_ending_days,
        attendance_grace_hours=grace_hours or settings.attendance_grace_hours,
    )


def _reason_read(reason: tuple[str, int, int, str]) -> ComplianceReasonRead:
    code, n, m, word = reason
    return ComplianceReasonRead(code=code, n=n, m=m, word=word or "")


def compliance_of(
    facts: CaseFacts, case_id: int, today: date, settings: Settings, language: str = "en"
) -> CaseComplianceRead:
    results = facts.compliance(today, thresholds(settings))
    kinds = {m["id"]: m for m in facts.measures}
    measures = [
        MeasureComplianceRead(
            measure_id=r.measure_id,
            kind=kinds[r.measure_id]["kind"],
            status=kinds[r.measure_id]["status"],
            level=r.level,
            propose_non_compliance=r.propose_non_compliance,
            reasons=[explain(reason, language) for reason in r.reasons],
            reason_codes=[_reason_read(reason) for reason in r.reasons],
            conditions=[
                ConditionComplianceRead(
                    condition_id=c.condition_id,
                    kind=c.kind,
                    level=c.level,
                    reasons=[explain(reason, language) for reason in c.reasons],
                    reason_codes=[_reason_read(reason) for reason in c.reasons],
                )
                for c in r.conditions
            ],
        )
        for r in results
    ]
    return CaseComplianceRead(
        case_id=case_id,
        level=worst([m.level for m in measures]) if measures else Level.NOT_APPLICABLE,
        propose_non_compliance=any(m.propose_non_compliance for m in measures),
        measures=measures,
    )


def deadlines_of(
    facts: CaseFacts,
    tz: ZoneInfo,
    clock: Clock,
    settings: Settings,
    grace_hours: int | None = None,
) -> list[Deadline]:
    since = {
        m["id"]: m["updated_at"].astimezone(tz).date()
        for m in facts.measures
        if m["status"] == MeasureStatus.NON_COMPLIANCE_REPORTED
    }
    measures, programmes, summons = facts.deadline_inputs(since)
    return deadlines(
        measures=measures,
        programmes=programmes,
        open_summons=summons,
        now=clock.now(),
        tz=tz,
        settings=deadline_settings(settings, grace_hours),
    )


async def case_compliance(
    *, actor: ActingUser, case_id: int, clock: Clock, settings: Settings, language: str = "en"
) -> CaseComplianceRead:
    """The reasons are worded in `language` (the API keeps English; the pages ask for theirs)."""
    await scoped_case(actor, case_id)
    facts = await load_case_facts(case_id, now=clock.now())
    today = clock.now().astimezone(settings.tz).date()
    return compliance_of(facts, case_id, today, settings, language)


async def case_deadlines(
    *, actor: ActingUser, case_id: int, clock: Clock, settings: Settings
) -> list[DeadlineRead]:
    case = await scoped_case(actor, case_id)
    facts = await load_case_facts(case_id)
    hours = (await risk_views.attendance_alert_hours()).get(case["risk_level"])
    return [
        DeadlineRead.model_validate(d, from_attributes=True)
        for d in deadlines_of(facts, settings.tz, clock, settings, hours)
    ]


def _report_read(row: dict[str, Any]) -> AuthorityReportRead:
    return AuthorityReportRead.model_validate({**row, "measure_id": row["measure"]})


async def record_report(
    *,
    actor: ActingUser,
    measure_id: int,
    data: AuthorityReportIn,
    clock: Clock,
    settings: Settings,
) -> AuthorityReportRead:
    """A report sent to the authority: kept, on the timeline, and the next one scheduled."""
    now = clock.now()
    today = now.astimezone(settings.tz).date()
    policy = measure_policy(settings)
    if data.period_to > today:
        raise Invalid(ReportError.FUTURE_PERIOD, field="period_to")
    async with db.transaction():
        measure, case = await scoped_measure(actor, measure_id)
        check_version("measure", measure, data.version)
        kind = MeasureKind(measure["kind"])
        if data.period_from < measure["starts_on"]:
            raise Invalid(ReportError.BEFORE_MEASURE, field="period_from")
        if (
            MeasureStatus(measure["status"]) in rules.CLOSED_STATUSES
            and data.kind != ReportKind.FINAL
        ):
            raise Conflict(ReportError.ONLY_FINAL)
        if data.kind is ReportKind.INTAKE:
            if kind not in {MeasureKind.PROBATION, MeasureKind.AUTONOMOUS_PROBATION}:
                raise Invalid(ReportError.INTAKE_FOR_PROBATION, field="kind")
            if await AuthorityReport.exists().where(
                (AuthorityReport.measure == measure_id)
                & (AuthorityReport.kind == ReportKind.INTAKE)
            ):
                raise Conflict(ReportError.INTAKE_RECORDED)
        row = AuthorityReport(
            measure=measure_id,
            kind=data.kind,
            due_on=measure["next_report_due"],
            period_from=data.period_from,
            period_to=data.period_to,
            assessment=data.assessment,
            language=data.language,
            submitted_by=actor.id,
            submitted_at=now,
        )
        await row.save()
        values: dict[Any, Any] = {Measure.version: measure["version"] + 1, Measure.updated_at: now}
        if data.kind in {ReportKind.INTAKE, ReportKind.PERIODIC}:
            # The next report is due one interval after this one was sent, never before today.
            values[Measure.next_report_due] = policy.next_report_due(kind, today)
        updated = (
            await Measure.update(values)
            .where((Measure.id == measure_id) & (Measure.version == measure["version"]))
            .returning(Measure.id)
        )
        if not updated:
            raise Conflict(RecordError.CHANGED_MEANWHILE, record="measure")
        await record_event(
            case=case,
            kind=EventKind.AUTHORITY_REPORT,
            actor=actor,
            now=now,
            data={
                "report_id": row.id,
                "kind": data.kind,
                "period_from": data.period_from.isoformat(),
                "period_to": data.period_to.isoformat(),
            },
            measure_id=measure_id,
        )
        if data.kind in {ReportKind.INTAKE, ReportKind.PERIODIC}:
            await close_tasks(
                case_id=case["id"], notices=REPORT_TASKS, now=now, measure_id=measure_id
            )
        saved = await AuthorityReport.select().where(AuthorityReport.id == row.id).first()
        assert saved is not None
    return _report_read(saved)


async def list_reports(*, actor: ActingUser, measure_id: int) -> list[AuthorityReportRead]:
    await scoped_measure(actor, measure_id)
    rows = (
        await AuthorityReport.select()
        .where(AuthorityReport.measure == measure_id)
        .order_by(AuthorityReport.submitted_at)
    )
    return [_report_read(r) for r in rows]
