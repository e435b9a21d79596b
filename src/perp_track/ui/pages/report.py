"""Recording, from the case page, what the justice assistant did outside the service: the report
sent to the mandating authority, and the community-service hours a placement attested. The
pages call the same services as `POST /api/measures/{id}/reports` and
`POST /api/conditions/{id}/hours`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from perp_track.auth.rules import ActingUser, Role
from perp_track.cases import services as case_services
from perp_track.cases.schemas import CaseRead
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.errors import Conflict, Invalid, NotFound
from perp_track.measures import conditions, reports
from perp_track.measures import services as measure_services
from perp_track.measures.errors import ConditionError
from perp_track.measures.rules import ConditionKind, MeasureKind, ReportKind
from perp_track.measures.schemas import (
    AuthorityReportIn,
    AuthorityReportRead,
    ConditionHoursIn,
    MeasureRead,
)
from perp_track.ui import forms
from perp_track.ui.error_messages import form_errors
from perp_track.ui.i18n import N_, gettext
from perp_track.ui.pages.auth import flash, see_other
from perp_track.ui.pages.condition import condition_in_case
from perp_track.ui.templating import page, page_language
from perp_track.web import requires

_PROBATION = {MeasureKind.PROBATION, MeasureKind.AUTONOMOUS_PROBATION}
# The kinds of report by their own names ("intake" alone is the intake interview elsewhere).
REPORT_KIND_LABELS = {
    ReportKind.INTAKE: N_("Intake report"),
    ReportKind.PERIODIC: N_("Periodic report"),
    ReportKind.NON_COMPLIANCE: N_("Non-compliance report"),
    ReportKind.FINAL: N_("Final report"),
}


def default_period(
    measure: MeasureRead, earlier: list[AuthorityReportRead], today: date
) -> tuple[date, date]:
    """From the day after the last report's period (or the measure's start) to today."""
    start = measure.starts_on
    if earlier:
        start = max(start, max(r.period_to for r in earlier) + timedelta(days=1))
    return min(start, today), today


async def report_period_start(*, actor: ActingUser, case: CaseRead, today: date) -> date:
    """Where the next compliance report to the authority starts: the day after the last report
    recorded on the case, else the start of its first measure, else today."""
    ends: list[date] = []
    for measure in case.measures:
        ends += [
            r.period_to for r in await reports.list_reports(actor=actor, measure_id=measure.id)
        ]
    if ends:
        return min(max(ends) + timedelta(days=1), today)
    starts = [m.starts_on for m in case.measures]
    return min([*starts, today])


def report_kinds(measure: MeasureRead, earlier: list[AuthorityReportRead]) -> list[ReportKind]:
    kinds = [ReportKind.PERIODIC, ReportKind.NON_COMPLIANCE, ReportKind.FINAL]
    if measure.kind in _PROBATION and not any(r.kind is ReportKind.INTAKE for r in earlier):
        kinds.insert(0, ReportKind.INTAKE)
    return kinds


async def _measure_of(actor: ActingUser, measure_id: int) -> tuple[CaseRead, MeasureRead]:
    measure = await measure_services.read_measure(actor=actor, measure_id=measure_id)
    case = await case_services.read_case(actor=actor, case_id=measure.case_id)
    return case, measure


class AuthorityReportPages(Controller):
    """`/measures/{id}/report`: the report the justice assistant sent, kept in the file; the
    next report falls due from it."""

    path = "/measures"
    guards = [requires(Role.JUSTICE_ASSISTANT, Role.SUPERVISOR)]

    async def _form(
        self,
        request: Request,
        actor: ActingUser,
        measure_id: int,
        today: date,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        case, measure = await _measure_of(actor, measure_id)
        earlier = await reports.list_reports(actor=actor, measure_id=measure_id)
        start, end = default_period(measure, earlier, today)
        kinds = report_kinds(measure, earlier)
        defaults: dict[str, Any] = {
            "kind": kinds[0].value,
            "period_from": start.isoformat(),
            "period_to": end.isoformat(),
            "language": page_language(request),
        }
        return await page(
            request,
            "reports/record.html",
            status_code=status_code,
            case=case,
            measure=measure,
            earlier=earlier,
            kinds=kinds,
            kind_labels=REPORT_KIND_LABELS,
            values={**defaults, **(values or {})},
            errors=errors or {},
        )

    @get("/{measure_id:int}/report")
    async def report_form(
        self,
        request: Request,
        measure_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Template:
        today = clock.now().astimezone(settings.tz).date()
        return await self._form(request, actor, measure_id, today)

    @post("/{measure_id:int}/report")
    async def record_report(
        self,
        request: Request,
        measure_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Template | Redirect:
        today = clock.now().astimezone(settings.tz).date()
        _, measure = await _measure_of(actor, measure_id)
        flat = forms.values(await request.form())
        try:
            data = forms.parse(AuthorityReportIn, forms.nest(flat))
            await reports.record_report(
                actor=actor, measure_id=measure_id, data=data, clock=clock, settings=settings
            )
        except forms.FormInvalid as exc:
            return await self._form(request, actor, measure_id, today, flat, exc.errors, 422)
        except (Invalid, Conflict) as exc:
            errors = form_errors(request, exc)
            if exc.extra.get("field"):
                errors = {str(exc.extra["field"]): errors.pop("__all__")}
            return await self._form(
                request,
                actor,
                measure_id,
                today,
                flat,
                errors,
                409 if isinstance(exc, Conflict) else 422,
            )
        lang = page_language(request)
        await flash(request, gettext(lang, "The report to the mandating authority is recorded."))
        return see_other(f"/cases/{measure.case_id}#measure-{measure_id}")


class HoursPages(Controller):
    """`/conditions/{id}/hours`: community-service hours a placement attested."""

    path = "/conditions"
    guards = [requires(Role.JUSTICE_ASSISTANT, Role.SUPERVISOR)]

    async def _form(
        self,
        request: Request,
        actor: ActingUser,
        condition_id: int,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        case, measure, condition = await condition_in_case(actor, condition_id)
        if condition.kind is not ConditionKind.COMMUNITY_SERVICE:
            raise NotFound(ConditionError.NOT_FOUND, condition_id=condition_id)
        return await page(
            request,
            "conditions/hours.html",
            status_code=status_code,
            case=case,
            measure=measure,
            condition=condition,
            values=values or {},
            errors=errors or {},
        )

    @get("/{condition_id:int}/hours")
    async def hours_form(
        self, request: Request, condition_id: FromPath[int], actor: NamedDependency[ActingUser]
    ) -> Template:
        return await self._form(request, actor, condition_id)

    @post("/{condition_id:int}/hours")
    async def record_hours(
        self,
        request: Request,
        condition_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        case, measure, _ = await condition_in_case(actor, condition_id)
        flat = forms.values(await request.form())
        try:
            data = forms.parse(ConditionHoursIn, forms.nest(flat))
            await conditions.record_hours(
                actor=actor, condition_id=condition_id, data=data, clock=clock
            )
        except forms.FormInvalid as exc:
            return await self._form(request, actor, condition_id, flat, exc.errors, 422)
        except (Invalid, Conflict) as exc:
            errors = form_errors(request, exc)
            if exc.extra.get("field"):
                errors = {str(exc.extra["field"]): errors.pop("__all__")}
            return await self._form(
                request,
                actor,
                condition_id,
                flat,
                errors,
                409 if isinstance(exc, Conflict) else 422,
            )
        await flash(request, gettext(page_language(request), "The hours are recorded."))
        return see_other(f"/cases/{case.id}#measure-{measure.id}")
