"""Case pages of the justice house: the list, a case, opening one, adding measures and summons."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from perp_track.auth.rules import ActingUser, Role
from perp_track.cases import services as case_services
from perp_track.cases.duplicates import possible_duplicates
from perp_track.cases.rules import Authority
from perp_track.cases.schemas import CaseCreate
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.errors import Conflict, Invalid
from perp_track.i18n.errors import validation_message
from perp_track.interpreters import bookings
from perp_track.interpreters import services as interpreter_register
from perp_track.measures import reports
from perp_track.measures import services as measure_services
from perp_track.measures.rules import ConditionKind, MeasureKind
from perp_track.measures.schemas import MeasureCreate
from perp_track.notify import case_log
from perp_track.risk import loop as risk_loop
from perp_track.risk import services as risk_services
from perp_track.risk import views as risk_views
from perp_track.summons import services as summons_services
from perp_track.summons.rules import Modality
from perp_track.summons.schemas import SummonsCreate
from perp_track.ui import dates, forms
from perp_track.ui import services as ui_services
from perp_track.ui.error_messages import field_errors, form_errors
from perp_track.ui.i18n import gettext
from perp_track.ui.measure_form import (
    CONDITION_ROWS,
    condition_rows,
    drop_empty_conditions,
    field_of_row,
    rows_in,
)
from perp_track.ui.pages.auth import flash, see_other
from perp_track.ui.pages.case_find import list_context
from perp_track.ui.pages.report import report_period_start
from perp_track.ui.templating import page, page_language, partial
from perp_track.web import requires

PAGE_SIZE = 25


def _interpreter_choice(flat: dict[str, str], data: dict[str, Any]) -> None:
    """The schedule form's "needs an interpreter": without the box ticked, no booking; with it,
    an interpreter must be chosen."""
    if flat.get("interpreter_needed") != "yes":
        data.pop("interpreter_id", None)
    elif not data.get("interpreter_id"):
        raise forms.FormInvalid({"interpreter_id": validation_message("missing")})
    data.pop("interpreter_needed", None)


def _case_data(flat: dict[str, str]) -> dict[str, Any]:
    data = forms.nest(flat)
    victim = data.get("victim")
    # No victim name given: a case without a known victim (the form's victim part is optional).
    if isinstance(victim, dict) and not (victim.get("first_name") or victim.get("last_name")):
        data.pop("victim")
    return data


class CasePages(Controller):
    guards = [requires(Role.JUSTICE_ASSISTANT, Role.SUPERVISOR)]

    @get("/cases")
    async def list_cases(
        self,
        request: Request,
        actor: NamedDependency[ActingUser],
        mine: Annotated[bool, QueryParameter()] = True,
        page_number: Annotated[int, QueryParameter(name="page", ge=1, le=10_000)] = 1,
    ) -> Template:
        context = await list_context(actor, mine=mine, page_number=page_number)
        if request.headers.get("hx-request") and request.headers.get("hx-target") == "case-list":
            return partial(
                request, "cases/_rows.html", tiers=await risk_views.policy_map(), **context
            )
        return await page(
            request, "cases/list.html", reference="", found=None, errors={}, **context
        )

    @get("/cases/new")
    async def new_case(self, request: Request, actor: NamedDependency[ActingUser]) -> Template:
        return await self._case_form(request, actor, {}, {})

    async def _case_form(
        self,
        request: Request,
        actor: ActingUser,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
        duplicates: list[Any] | None = None,
        focus: str = "",
    ) -> Template:
        return await page(
            request,
            "cases/new.html",
            status_code=status_code,
            values=values,
            errors=errors,
            duplicates=duplicates or [],
            choices=await ui_services.form_choices(actor=actor),
            authorities=list(Authority),
            focus=focus,
        )

    @post("/cases/new")
    async def open_case(
        self,
        request: Request,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        form = await request.form()
        flat = forms.values(form)
        go_on = flat.pop("duplicate", None) == "go-on"
        if form.get("change"):
            # A "Change" button of the check page: the form again, everything kept.
            return await self._case_form(request, actor, flat, {}, focus=str(form["change"]))
        try:
            data = forms.parse(CaseCreate, _case_data(flat))
            if form.get("step") != "create":
                if not go_on:
                    matches = await possible_duplicates(actor=actor, data=data)
                    if matches:
                        return await self._case_form(
                            request, actor, flat, {}, 200, duplicates=matches
                        )
                # Check your answers before anything is saved.
                return await page(
                    request,
                    "cases/check.html",
                    values=flat,
                    data=data,
                    go_on=go_on,
                    choices=await ui_services.form_choices(actor=actor),
                )
            case = await case_services.open_case(actor=actor, data=data, clock=clock)
        except forms.FormInvalid as exc:
            return await self._case_form(request, actor, flat, exc.errors, 422)
        except (Invalid, Conflict) as exc:
            return await self._case_form(request, actor, flat, form_errors(request, exc), 422)
        lang = page_language(request)
        await flash(request, gettext(lang, "Case %(ref)s opened.", ref=case.reference))
        return see_other(f"/cases/{case.id}")

    @get("/cases/{case_id:int}")
    async def case_page(
        self,
        request: Request,
        case_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Template:
        case = await case_services.read_case(actor=actor, case_id=case_id)
        now = clock.now()
        compliance = await reports.case_compliance(
            actor=actor,
            case_id=case_id,
            clock=clock,
            settings=settings,
            language=page_language(request),
        )
        deadlines = await reports.case_deadlines(
            actor=actor, case_id=case_id, clock=clock, settings=settings
        )
        return await page(
            request,
            "cases/detail.html",
            case=case,
            now=now,
            compliance=compliance,
            condition_compliance={
                c.condition_id: c for m in compliance.measures for c in m.conditions
            },
            measure_compliance={m.measure_id: m for m in compliance.measures},
            timeline_conditions={c.id: c.kind for m in case.measures for c in m.conditions},
            deadlines=sorted(deadlines, key=lambda d: d.due_on),
            notifications=await case_log.notifications_of_case(actor=actor, case_id=case_id),
            today=now.astimezone(settings.tz).date(),
            report_from=await report_period_start(
                actor=actor, case=case, today=now.astimezone(settings.tz).date()
            ),
            past_open=[
                s.id for s in case.summons if s.status == "scheduled" and s.scheduled_at <= now
            ],
            risk=await risk_services.risk_history(actor=actor, case_id=case_id),
            risk_alerts=await risk_loop.case_alerts(actor=actor, case_id=case_id),
        )

    @get("/cases/{case_id:int}/measures/new")
    async def new_measure(
        self, request: Request, case_id: FromPath[int], actor: NamedDependency[ActingUser]
    ) -> Template:
        case = await case_services.read_case(actor=actor, case_id=case_id)
        return await self._measure_form(request, actor, case, {}, {})

    async def _measure_form(
        self,
        request: Request,
        actor: ActingUser,
        case: Any,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
        *,
        add_condition: bool = False,
        focus: str = "",
    ) -> Template:
        return await page(
            request,
            "measures/new.html",
            focus=focus,
            status_code=status_code,
            case=case,
            values=values,
            errors=errors,
            kinds=list(MeasureKind),
            condition_kinds=list(ConditionKind),
            # Every row an error names is shown, so that the summary's link reaches its field.
            rows=range(max(condition_rows(values, add=add_condition), rows_in(errors))),
            max_rows=CONDITION_ROWS,
            choices=await ui_services.form_choices(actor=actor),
        )

    @post("/cases/{case_id:int}/measures/new")
    async def add_measure(
        self,
        request: Request,
        case_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        case = await case_services.read_case(actor=actor, case_id=case_id)
        form = await request.form()
        flat = forms.values(form)
        if flat.pop("add_condition", ""):
            # "Add another condition": the form again with one more block; nothing is saved.
            return await self._measure_form(request, actor, case, flat, {}, add_condition=True)
        if form.get("change"):
            # A "Change" button of the check page: the form again, everything kept.
            return await self._measure_form(
                request, actor, case, flat, {}, focus=str(form["change"])
            )
        shown = {k: v for k, v in flat.items() if k != "condition_rows"}
        try:
            data = forms.parse(MeasureCreate, forms.nest(drop_empty_conditions(shown)))
            if form.get("step") != "create":
                # Check your answers before anything is saved.
                return await page(
                    request,
                    "measures/check.html",
                    case=case,
                    values=flat,
                    data=data,
                    rows=[i for i in range(CONDITION_ROWS) if flat.get(f"conditions.{i}.kind")],
                    choices=await ui_services.form_choices(actor=actor),
                )
            added = await measure_services.add_measure(
                actor=actor, case_id=case_id, data=data, clock=clock
            )
        except forms.FormInvalid as exc:
            return await self._measure_form(request, actor, case, flat, exc.errors, 422)
        except (Invalid, Conflict) as exc:
            errors = form_errors(request, exc)
            field = field_of_row(flat, exc)
            if field:
                errors[field] = errors.pop("__all__")
                row, _, name = field.rpartition(".")
                if name == "address" and not flat.get(f"{row}.kind"):
                    # The address a residence ban protects, asked for in a new place-ban row.
                    flat[f"{row}.kind"] = ConditionKind.PLACE_BAN.value
            return await self._measure_form(request, actor, case, flat, errors, 422)
        target = f"measure-{added.id}"
        await flash(request, gettext(page_language(request), "Measure added."), target=target)
        return see_other(f"/cases/{case_id}#{target}")

    @get("/cases/{case_id:int}/summons/new")
    async def new_summons(
        self, request: Request, case_id: FromPath[int], actor: NamedDependency[ActingUser]
    ) -> Template:
        case = await case_services.read_case(actor=actor, case_id=case_id)
        return await self._summons_form(request, case, {}, {})

    async def _summons_form(
        self,
        request: Request,
        case: Any,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        language = await bookings.language_needed(
            {
                "justice_house": case.justice_house.id,
                "interpreter_language": case.interpreter_language,
                "language": case.language,
            },
            None,
        )
        return await page(
            request,
            "summons/new.html",
            status_code=status_code,
            case=case,
            values=values,
            errors=errors,
            modalities=list(Modality),
            interpreter_language=language,
            interpreters=await interpreter_register.list_interpreters(
                actor=request.user, language=language, active_only=True
            )
            if language
            else [],
        )

    @post("/cases/{case_id:int}/summons/new")
    async def schedule_summons(
        self,
        request: Request,
        case_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Template | Redirect:
        case = await case_services.read_case(actor=actor, case_id=case_id)
        flat = forms.values(await request.form())
        try:
            data = forms.nest(flat)
            forms.localise_datetime(data, "scheduled_at", settings.tz)
            _interpreter_choice(flat, data)
            summons = forms.parse(SummonsCreate, data)
            scheduled = await summons_services.schedule_summons(
                actor=actor, case_id=case_id, data=summons, clock=clock
            )
        except forms.FormInvalid as exc:
            return await self._summons_form(request, case, flat, exc.errors, 422)
        except (Invalid, Conflict) as exc:
            return await self._summons_form(request, case, flat, field_errors(request, exc), 422)
        lang = page_language(request)
        target = f"summons-{scheduled.id}"
        await flash(request, gettext(lang, "Summons scheduled."), target=target)
        warning = dates.day_off_warning(
            summons.scheduled_at,
            language=lang,
            tz=settings.tz,
            translate=lambda msgid: gettext(lang, msgid),
        )
        if warning:
            await flash(request, warning, "warning", target=target)
        return see_other(f"/cases/{case_id}#{target}")
