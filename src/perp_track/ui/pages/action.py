"""Actions on a summons or a measure: each on its own page, which is also its confirmation."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from perp_track.auth.rules import ActingUser, Role
from perp_track.cases import services as case_services
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.measures import services as measure_services
from perp_track.measures.rules import TRANSITIONS
from perp_track.measures.schemas import MeasureRead, MeasureTransitionIn
from perp_track.summons import services as summons_services
from perp_track.summons import views as summons_views
from perp_track.summons.rules import NEEDS_REASON, Modality, Outcome, RequestedBy
from perp_track.summons.schemas import AttendanceIn, SummonsCancel, SummonsRead, SummonsReschedule
from perp_track.ui import dates, form_page, forms
from perp_track.ui.form_page import Submitted
from perp_track.ui.i18n import gettext
from perp_track.ui.labels import EVENT_CONSEQUENCES
from perp_track.ui.pages.auth import flash, see_other
from perp_track.ui.templating import page, page_language
from perp_track.web import requires

# What each kind of summons action shows and which template holds its form.
_SUMMONS_FORMS = {
    "reschedule": "summons/reschedule.html",
    "cancel": "summons/cancel.html",
    "attendance": "summons/attendance.html",
    "correction": "summons/attendance.html",
}


class SummonsPages(Controller):
    path = "/summons"
    guards = [requires(Role.JUSTICE_ASSISTANT, Role.SUPERVISOR)]

    async def _form(
        self,
        request: Request,
        actor: ActingUser,
        summons: SummonsRead,
        action: str,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        case = await case_services.read_case(actor=actor, case_id=summons.case_id)
        return await page(
            request,
            _SUMMONS_FORMS[action],
            status_code=status_code,
            case=case,
            summons=summons,
            action=action,
            values=values or {},
            errors=errors or {},
            outcomes=list(Outcome),
            needs_reason=[str(o) for o in NEEDS_REASON],
            requesters=list(RequestedBy),
            modalities=list(Modality),
        )

    @get("/{summons_id:int}/{action:str}")
    async def action_form(
        self,
        request: Request,
        summons_id: FromPath[int],
        action: FromPath[str],
        actor: NamedDependency[ActingUser],
    ) -> Template:
        if action not in _SUMMONS_FORMS:
            raise NotFoundException()
        summons = await summons_views.read_summons(actor=actor, summons_id=summons_id)
        return await self._form(request, actor, summons, action)

    @post("/{summons_id:int}/{action:str}")
    async def act(
        self,
        request: Request,
        summons_id: FromPath[int],
        action: FromPath[str],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Template | Redirect:
        if action not in _SUMMONS_FORMS:
            raise NotFoundException()
        summons = await summons_views.read_summons(actor=actor, summons_id=summons_id)
        lang = page_language(request)

        async def act(posted: Submitted) -> Redirect:
            data = forms.nest(posted.values)
            warning = ""
            if action == "reschedule":
                forms.localise_datetime(data, "scheduled_at", settings.tz)
                result = await summons_services.reschedule_summons(
                    actor=actor,
                    summons_id=summons_id,
                    data=forms.parse(SummonsReschedule, data),
                    clock=clock,
                )
                message = gettext(lang, "Summons moved; the old date stays in the history.")
                warning = dates.day_off_warning(
                    result.scheduled_at,
                    language=lang,
                    tz=settings.tz,
                    translate=lambda msgid: gettext(lang, msgid),
                )
            elif action == "cancel":
                result = await summons_services.cancel_summons(
                    actor=actor,
                    summons_id=summons_id,
                    data=forms.parse(SummonsCancel, data),
                    clock=clock,
                )
                message = gettext(lang, "Summons cancelled.")
            else:
                record = (
                    summons_services.record_attendance
                    if action == "attendance"
                    else summons_services.correct_attendance
                )
                result = await record(
                    actor=actor,
                    summons_id=summons_id,
                    data=forms.parse(AttendanceIn, data),
                    clock=clock,
                    missed_threshold=settings.missed_summons_threshold,
                )
                message = gettext(lang, "Attendance recorded.")
            target = f"summons-{result.id}"
            await flash(request, message, target=target)
            if warning:
                await flash(request, warning, "warning", target=target)
            return see_other(f"/cases/{result.case_id}#{target}")

        async def again(values: dict[str, str], errors: dict[str, str], status: int) -> Template:
            return await self._form(request, actor, summons, action, values, errors, status)

        return await form_page.submit(request, act, again, conflict_status=422, on_field=False)


class MeasurePages(Controller):
    path = "/measures"
    guards = [requires(Role.JUSTICE_ASSISTANT, Role.SUPERVISOR)]

    async def _form(
        self,
        request: Request,
        actor: ActingUser,
        measure: MeasureRead,
        *,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        confirming: bool = False,
        status_code: int = 200,
    ) -> Template:
        case = await case_services.read_case(actor=actor, case_id=measure.case_id)
        values = values or {}
        chosen = values.get("event", "")
        context: dict[str, Any] = {
            "case": case,
            "measure": measure,
            "values": values,
            "errors": errors or {},
            "confirming": confirming,
            "consequence": EVENT_CONSEQUENCES.get(chosen),
            "target": _target(measure, chosen),
        }
        return await page(request, "measures/transition.html", status_code=status_code, **context)

    @get("/{measure_id:int}/transition")
    async def transition_form(
        self,
        request: Request,
        measure_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        event: FromQuery[str | None] = None,
    ) -> Template:
        measure = await measure_services.read_measure(actor=actor, measure_id=measure_id)
        return await self._form(request, actor, measure, values={"event": event or ""})

    @post("/{measure_id:int}/transition")
    async def transition(
        self,
        request: Request,
        measure_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        """Two steps: the first post shows what will happen, the second (confirm=yes) does it."""
        measure = await measure_services.read_measure(actor=actor, measure_id=measure_id)

        async def act(posted: Submitted) -> Template | Redirect:
            data = forms.parse(MeasureTransitionIn, forms.nest(posted.values))
            if data.event not in measure.allowed_events:
                raise forms.FormInvalid({"event": forms.NOT_ALLOWED})
            if not posted.confirmed:
                return await self._form(
                    request, actor, measure, values=posted.values, confirming=True
                )
            await measure_services.transition_measure(
                actor=actor, measure_id=measure_id, data=data, clock=clock
            )
            target = f"measure-{measure_id}"
            await flash(
                request, gettext(page_language(request), "The measure was updated."), target=target
            )
            return see_other(f"/cases/{measure.case_id}#{target}")

        async def again(values: dict[str, str], errors: dict[str, str], status: int) -> Template:
            return await self._form(
                request, actor, measure, values=values, errors=errors, status_code=status
            )

        return await form_page.submit(request, act, again, on_field=False)


def _target(measure: MeasureRead, event: str) -> str | None:
    """The status the measure would reach: shown on the confirmation step."""
    for transition in TRANSITIONS:
        if transition.source == measure.status and str(transition.event) == event:
            return str(transition.target)
    return None
