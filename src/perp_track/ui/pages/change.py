"""Change pages for the facts of a running case, reached by the "Change" links of the case page:
the perpetrator's contact details, the justice assistant who holds the case (a supervisor's
call), the referring police officer; and for a running measure: a condition added, the measure
ended early with its reason. Each page calls the same service as the API and has the form-page
shape of ui.form_page."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from perp_track.auth.rules import ActingUser, Role
from perp_track.cases import changes
from perp_track.cases import services as case_services
from perp_track.cases.schemas import (
    PERPETRATOR_FACTS,
    CaseRead,
    PerpetratorChange,
    ReassignIn,
    ReferringOfficerIn,
)
from perp_track.clock import Clock
from perp_track.i18n.errors import validation_message
from perp_track.measures import conditions
from perp_track.measures import services as measure_services
from perp_track.measures.rules import ConditionKind, MeasureEvent
from perp_track.measures.schemas import ConditionAdd, MeasureRead, MeasureTransitionIn
from perp_track.ui import form_page, forms
from perp_track.ui import services as ui_services
from perp_track.ui.form_page import Submitted
from perp_track.ui.i18n import N_, gettext
from perp_track.ui.pages.auth import flash, see_other
from perp_track.ui.templating import page, page_language
from perp_track.web import requires

CASE_STAFF = (Role.JUSTICE_ASSISTANT, Role.SUPERVISOR)
# The ends a measure may be brought to before its date, in the order the page offers them.
EARLY_ENDS = (MeasureEvent.COMPLETE, MeasureEvent.LIFT, MeasureEvent.FAIL)
EARLY_END_HINTS = {
    MeasureEvent.COMPLETE: N_("Every condition is met before the end date."),
    MeasureEvent.LIFT: N_("The authority withdrew or lifted the measure."),
    MeasureEvent.FAIL: N_("The measure ends on the non-compliance reported."),
}
PERPETRATOR_SAVED = {
    "phone": N_("His new number is saved; messages waiting for him go to it."),
    "email": N_("His e-mail address is saved."),
    "address": N_("His new address is saved; the referring police officer is told."),
    "language": N_("His language is saved; messages waiting for him are written in it."),
}
LANGUAGES = ("fr", "nl", "de", "en")


def _perpetrator_values(case: CaseRead, fact: str) -> dict[str, str]:
    return {fact: str(getattr(case.perpetrator, fact) or "")}


def _condition_field(field: str) -> str:
    """The service counts the conditions it was given ("conditions.0.address"); this page has
    the one, named "condition.address"."""
    if field == "condition":  # nothing filled in: the first question is the kind
        return "condition.kind"
    parts = field.split(".")
    if len(parts) == 3 and parts[0] == "conditions":
        return f"condition.{parts[2]}"
    return field


class CaseChangePages(Controller):
    path = "/cases/{case_id:int}"
    guards = [requires(*CASE_STAFF)]

    async def _perpetrator_form(
        self,
        request: Request,
        case: CaseRead,
        fact: str,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        return await page(
            request,
            "changes/perpetrator.html",
            status_code=status_code,
            case=case,
            fact=fact,
            values=values,
            errors=errors,
            languages=LANGUAGES,
        )

    @get("/perpetrator/{fact:str}")
    async def perpetrator_form(
        self,
        request: Request,
        case_id: FromPath[int],
        fact: FromPath[str],
        actor: NamedDependency[ActingUser],
    ) -> Template:
        if fact not in PERPETRATOR_FACTS:
            raise NotFoundException()
        case = await case_services.read_case(actor=actor, case_id=case_id)
        return await self._perpetrator_form(
            request, case, fact, _perpetrator_values(case, fact), {}
        )

    @post("/perpetrator/{fact:str}")
    async def change_perpetrator(
        self,
        request: Request,
        case_id: FromPath[int],
        fact: FromPath[str],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        if fact not in PERPETRATOR_FACTS:
            raise NotFoundException()
        case = await case_services.read_case(actor=actor, case_id=case_id)

        async def act(posted: Submitted) -> Redirect:
            # Only this page's fact and the version: another fact never rides along.
            data = {k: v for k, v in forms.nest(posted.values).items() if k in (fact, "version")}
            if fact not in data:
                raise forms.FormInvalid({fact: validation_message("missing")})
            await changes.change_perpetrator(
                actor=actor, case_id=case_id, data=forms.parse(PerpetratorChange, data), clock=clock
            )
            lang = page_language(request)
            await flash(request, gettext(lang, PERPETRATOR_SAVED[fact]), target="person")
            return see_other(f"/cases/{case_id}#person")

        async def again(values: dict[str, str], errors: dict[str, str], status: int) -> Template:
            return await self._perpetrator_form(request, case, fact, values, errors, status)

        return await form_page.submit(request, act, again)

    async def _officer_form(
        self,
        request: Request,
        case: CaseRead,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        return await page(
            request,
            "changes/referring_officer.html",
            status_code=status_code,
            case=case,
            values=values,
            errors=errors,
            officers=await ui_services.police_officer_choices(),
        )

    @get("/referring-officer")
    async def officer_form(
        self, request: Request, case_id: FromPath[int], actor: NamedDependency[ActingUser]
    ) -> Template:
        case = await case_services.read_case(actor=actor, case_id=case_id)
        current = case.referring_officer.id if case.referring_officer else ""
        return await self._officer_form(request, case, {"referring_officer_id": str(current)}, {})

    @post("/referring-officer")
    async def change_officer(
        self,
        request: Request,
        case_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        case = await case_services.read_case(actor=actor, case_id=case_id)

        async def act(posted: Submitted) -> Redirect:
            data = forms.parse(ReferringOfficerIn, forms.nest(posted.values))
            await changes.change_referring_officer(
                actor=actor, case_id=case_id, data=data, clock=clock
            )
            lang = page_language(request)
            message = gettext(lang, "The new referring police officer is recorded and told.")
            await flash(request, message, target="mandate")
            return see_other(f"/cases/{case_id}#mandate")

        async def again(values: dict[str, str], errors: dict[str, str], status: int) -> Template:
            return await self._officer_form(request, case, values, errors, status)

        return await form_page.submit(request, act, again)


class AssignmentPages(Controller):
    """Giving a case to another justice assistant is the supervisor's call (DOMAIN §2)."""

    path = "/cases/{case_id:int}/assignment"
    guards = [requires(Role.SUPERVISOR)]

    async def _form(
        self,
        request: Request,
        actor: ActingUser,
        case: CaseRead,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        choices = await ui_services.form_choices(actor=actor)
        return await page(
            request,
            "changes/assignment.html",
            status_code=status_code,
            case=case,
            values=values,
            errors=errors,
            assistants=choices.justice_assistants,
        )

    @get("/")
    async def assignment_form(
        self, request: Request, case_id: FromPath[int], actor: NamedDependency[ActingUser]
    ) -> Template:
        case = await case_services.read_case(actor=actor, case_id=case_id)
        current = case.assigned_ja.id if case.assigned_ja else ""
        return await self._form(request, actor, case, {"assigned_ja_id": str(current)}, {})

    @post("/")
    async def reassign(
        self,
        request: Request,
        case_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        case = await case_services.read_case(actor=actor, case_id=case_id)

        async def act(posted: Submitted) -> Redirect:
            data = forms.parse(ReassignIn, forms.nest(posted.values))
            await changes.reassign_case(actor=actor, case_id=case_id, data=data, clock=clock)
            lang = page_language(request)
            message = gettext(lang, "The case is assigned; the justice assistant is told.")
            await flash(request, message, target="mandate")
            return see_other(f"/cases/{case_id}#mandate")

        async def again(values: dict[str, str], errors: dict[str, str], status: int) -> Template:
            return await self._form(request, actor, case, values, errors, status)

        return await form_page.submit(request, act, again)


async def _measure_in_case(actor: ActingUser, measure_id: int) -> tuple[CaseRead, MeasureRead]:
    measure = await measure_services.read_measure(actor=actor, measure_id=measure_id)
    case = await case_services.read_case(actor=actor, case_id=measure.case_id)
    return case, measure


class MeasureChangePages(Controller):
    path = "/measures/{measure_id:int}"
    guards = [requires(*CASE_STAFF)]

    async def _condition_form(
        self,
        request: Request,
        actor: ActingUser,
        measure_id: int,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        case, measure = await _measure_in_case(actor, measure_id)
        choices = await ui_services.form_choices(actor=actor)
        return await page(
            request,
            "changes/condition.html",
            status_code=status_code,
            case=case,
            measure=measure,
            values=values,
            errors={_condition_field(k): v for k, v in errors.items()},
            condition_kinds=list(ConditionKind),
            providers=choices.programme_providers,
        )

    @get("/conditions/new")
    async def condition_form(
        self, request: Request, measure_id: FromPath[int], actor: NamedDependency[ActingUser]
    ) -> Template:
        return await self._condition_form(request, actor, measure_id, {}, {})

    @post("/conditions/new")
    async def add_condition(
        self,
        request: Request,
        measure_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        async def act(posted: Submitted) -> Redirect:
            data = forms.parse(ConditionAdd, forms.nest(posted.values))
            measure = await conditions.add_condition(
                actor=actor,
                measure_id=measure_id,
                data=data.condition,
                version=data.version,
                clock=clock,
            )
            target = f"measure-{measure.id}"
            lang = page_language(request)
            await flash(request, gettext(lang, "Condition added."), target=target)
            return see_other(f"/cases/{measure.case_id}#{target}")

        async def again(values: dict[str, str], errors: dict[str, str], status: int) -> Template:
            return await self._condition_form(request, actor, measure_id, values, errors, status)

        return await form_page.submit(request, act, again)

    async def _close_form(
        self,
        request: Request,
        actor: ActingUser,
        measure_id: int,
        values: dict[str, str],
        errors: dict[str, str],
        *,
        confirming: bool = False,
        status_code: int = 200,
    ) -> Template:
        case, measure = await _measure_in_case(actor, measure_id)
        ends = [e for e in EARLY_ENDS if e in measure.allowed_events]
        return await page(
            request,
            "changes/close.html",
            status_code=status_code,
            case=case,
            measure=measure,
            values=values,
            errors=errors,
            ends=ends,
            hints=EARLY_END_HINTS,
            confirming=confirming,
        )

    @get("/close")
    async def close_form(
        self, request: Request, measure_id: FromPath[int], actor: NamedDependency[ActingUser]
    ) -> Template:
        return await self._close_form(request, actor, measure_id, {}, {})

    @post("/close")
    async def close(
        self,
        request: Request,
        measure_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        """Two steps, as every closing: check your answers, then confirm."""
        _, measure = await _measure_in_case(actor, measure_id)

        async def act(posted: Submitted) -> Template | Redirect:
            if posted.values.pop("edit", "") == "yes":
                # "Change" on the check step: the form again, filled in as it was.
                return await self._close_form(request, actor, measure_id, posted.values, {})
            data = forms.parse(MeasureTransitionIn, forms.nest(posted.values))
            if data.event not in EARLY_ENDS or data.event not in measure.allowed_events:
                raise forms.FormInvalid({"event": forms.NOT_ALLOWED})
            if not posted.confirmed:
                return await self._close_form(
                    request, actor, measure_id, posted.values, {}, confirming=True
                )
            await measure_services.transition_measure(
                actor=actor, measure_id=measure_id, data=data, clock=clock
            )
            target = f"measure-{measure_id}"
            lang = page_language(request)
            await flash(request, gettext(lang, "The measure is closed."), target=target)
            return see_other(f"/cases/{measure.case_id}#{target}")

        async def again(values: dict[str, str], errors: dict[str, str], status: int) -> Template:
            return await self._close_form(
                request, actor, measure_id, values, errors, status_code=status
            )

        return await form_page.submit(request, act, again)
