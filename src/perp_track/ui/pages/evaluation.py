"""The supervisor's reminder evaluations: the list, a new one with its arms, pause, resume, end,
and the results with their chart, tables and CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.errors import Conflict, DomainError, Invalid
from perp_track.evaluations import services, views, wording
from perp_track.evaluations.rules import (
    MAX_ARMS,
    NO_SHOW,
    STANDARD_WORDING,
    Action,
    Category,
)
from perp_track.evaluations.schemas import EvaluationChange, EvaluationCreate, ResultsRead
from perp_track.ui import forms
from perp_track.ui.error_messages import error_text
from perp_track.ui.i18n import N_, gettext, translations
from perp_track.ui.interval_chart import Bar, interval_chart
from perp_track.ui.pages.auth import flash, see_other
from perp_track.ui.templating import page, page_language
from perp_track.web import requires

_DONE = {
    Action.PAUSE: N_("Evaluation paused: nobody new is assigned until you resume it."),
    Action.RESUME: N_("Evaluation resumed: new people are assigned again."),
    Action.END: N_(
        "Evaluation ended: nobody new is assigned; new summons get the usual reminders."
    ),
}
# The wordings shipped in notifications/; a variant added there without code shows its name.
WORDING_LABELS = {
    STANDARD_WORDING: N_("Standard: the appointment, what an absence leads to, and a plan"),
    "plain": N_("Plain: the appointment only"),
    "consequences": N_("The appointment and what an absence leads to, without the plan"),
}
CHART_TITLE = N_("No-show rate per arm, with its confidence interval")
_ARM_FIELDS = ("name", "share", "reminder_days", "send_hour", "wording")


def _arm_rows(flat: dict[str, str], *, add: bool) -> int:
    asked = flat.get("arm_rows", "")
    shown = int(asked) if asked.isdigit() else 2
    for key, value in flat.items():
        parts = key.split(".")
        named = len(parts) == 3 and parts[0] == "arms" and parts[2] in ("name", "share")
        if value and named and parts[1].isdigit():
            shown = max(shown, int(parts[1]) + 1)
    return max(2, min(MAX_ARMS, shown + (1 if add else 0)))


def _form_data(flat: dict[str, str], rows: int, settings: Settings) -> dict[str, Any]:
    """The posted form as the API's EvaluationCreate: times in the office's zone, each arm's
    days from "7, 3, 1", its morning box, blank arm rows left out."""
    data = forms.nest(
        {k: v for k, v in flat.items() if not k.startswith("arms.") and k != "arm_rows"}
    )
    forms.localise_datetime(data, "starts_at", settings.tz)
    forms.localise_datetime(data, "ends_at", settings.tz)
    arms: list[dict[str, Any]] = []
    for i in range(rows):
        prefix = f"arms.{i}."
        if not any(flat.get(prefix + f, "").strip() for f in ("name", "share")):
            continue
        arm: dict[str, Any] = {
            f: flat[prefix + f].strip() for f in _ARM_FIELDS if flat.get(prefix + f, "").strip()
        }
        days = flat.get(prefix + "reminder_days", "")
        arm["reminder_days"] = [d.strip() for d in days.replace(";", ",").split(",") if d.strip()]
        arm["morning"] = flat.get(prefix + "morning") == "true"
        arms.append(arm)
    data["arms"] = arms
    return data


def _errors_by_field(errors: dict[str, str]) -> dict[str, str]:
    """pydantic names a day of the list (arms.0.reminder_days.1): the page has one field."""
    fixed: dict[str, str] = {}
    for key, message in errors.items():
        parts = key.split(".")
        if len(parts) == 4 and parts[0] == "arms" and parts[2] == "reminder_days":
            key = ".".join(parts[:3])
        fixed.setdefault(key, message)
    return fixed


def _arm_defaults(index: int, share: str = "") -> dict[str, str]:
    """A new arm starts as today's reminders: 7, 3 and 1 days before at 10:00, and the morning."""
    return {
        f"arms.{index}.share": share,
        f"arms.{index}.reminder_days": "7,3,1",
        f"arms.{index}.morning": "true",
        f"arms.{index}.send_hour": "10",
        f"arms.{index}.wording": STANDARD_WORDING,
    }


def _defaults() -> dict[str, str]:
    return {"arm_rows": "2", **_arm_defaults(0, "50"), **_arm_defaults(1, "50")}


def _chart(results: ResultsRead, lang: str) -> str:
    word = translations(lang).gettext
    overall = results.breakdowns[0]
    bars = [
        Bar(
            name=arm.name,
            value=arm.rates[NO_SHOW].rate,
            low=arm.rates[NO_SHOW].low,
            high=arm.rates[NO_SHOW].high,
        )
        for arm in overall.arms
    ]
    return interval_chart(title=word(CHART_TITLE), bars=bars)


class EvaluationPages(Controller):
    path = "/evaluations"
    guards = [requires(Role.SUPERVISOR, Role.ADMIN)]

    @get("/")
    async def list_page(
        self, request: Request, actor: NamedDependency[ActingUser], clock: NamedDependency[Clock]
    ) -> Template:
        found = await services.list_evaluations(actor=actor, clock=clock)
        return await page(request, "evaluations/list.html", evaluations=found)

    async def _form(
        self,
        request: Request,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
        *,
        add_arm: bool = False,
    ) -> Template:
        rows = _arm_rows(values, add=add_arm)
        errored = [int(k.split(".")[1]) + 1 for k in errors if k.startswith("arms.")]
        return await page(
            request,
            "evaluations/new.html",
            status_code=status_code,
            values=values,
            errors=errors,
            rows=range(max(rows, *errored) if errored else rows),
            max_rows=MAX_ARMS,
            wordings=wording.available(),
            wording_labels=WORDING_LABELS,
        )

    @get("/new")
    async def new(self, request: Request, actor: NamedDependency[ActingUser]) -> Template:
        services.check_supervisor(actor)
        return await self._form(request, _defaults(), {})

    @post("/new")
    async def create(
        self,
        request: Request,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Template | Redirect:
        flat = forms.values(await request.form())
        if flat.pop("add_arm", ""):
            # "Add another arm": the form again with one more arm; nothing is saved.
            added = _arm_rows(flat, add=False)
            if added < MAX_ARMS:
                flat = {**_arm_defaults(added), **flat, "arm_rows": str(added + 1)}
            return await self._form(request, flat, {}, add_arm=False)
        rows = _arm_rows(flat, add=False)
        try:
            data = forms.parse(EvaluationCreate, _form_data(flat, rows, settings))
            created = await services.create_evaluation(actor=actor, data=data, clock=clock)
        except forms.FormInvalid as exc:
            return await self._form(request, flat, _errors_by_field(exc.errors), 422)
        except (Invalid, Conflict) as exc:
            field = str(exc.params.get("field") or "__all__")
            message = error_text(page_language(request), exc)
            return await self._form(request, flat, {field: message}, 422)
        lang = page_language(request)
        await flash(request, gettext(lang, "Evaluation created."))
        return see_other(f"/evaluations/{created.id}")

    @get("/{evaluation_id:int}")
    async def detail(
        self,
        request: Request,
        evaluation_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template:
        evaluation = await services.read_evaluation(
            actor=actor, evaluation_id=evaluation_id, clock=clock
        )
        results = await views.evaluation_results(
            actor=actor, evaluation_id=evaluation_id, clock=clock
        )
        return await page(
            request,
            "evaluations/detail.html",
            evaluation=evaluation,
            results=results,
            chart=_chart(results, page_language(request)),
            categories=list(Category),
            no_show=NO_SHOW,
            wording_labels=WORDING_LABELS,
        )

    @get("/{evaluation_id:int}/results.csv")
    async def results_csv(
        self,
        evaluation_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Response[str]:
        results = await views.evaluation_results(
            actor=actor, evaluation_id=evaluation_id, clock=clock
        )
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(views.CSV_HEADER)
        writer.writerows(views.csv_rows(results))
        return Response(
            content=out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": (
                    f'attachment; filename="perp-track-evaluation-{evaluation_id}.csv"'
                )
            },
        )

    async def _confirm(
        self,
        request: Request,
        actor: ActingUser,
        clock: Clock,
        evaluation_id: int,
        action: Action,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        evaluation = await services.read_evaluation(
            actor=actor, evaluation_id=evaluation_id, clock=clock
        )
        return await page(
            request,
            "evaluations/confirm.html",
            status_code=status_code,
            evaluation=evaluation,
            action=action,
            allowed=action in evaluation.allowed_actions,
            errors=errors or {},
        )

    @get("/{evaluation_id:int}/{action:str}")
    async def confirm(
        self,
        request: Request,
        evaluation_id: FromPath[int],
        action: FromPath[str],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template:
        if action not in set(Action):
            raise NotFoundException()
        return await self._confirm(request, actor, clock, evaluation_id, Action(action))

    @post("/{evaluation_id:int}/{action:str}")
    async def act(
        self,
        request: Request,
        evaluation_id: FromPath[int],
        action: FromPath[str],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        if action not in set(Action):
            raise NotFoundException()
        chosen = Action(action)
        flat = forms.values(await request.form())
        try:
            data = forms.parse(EvaluationChange, forms.nest(flat))
            await services.change_evaluation(
                actor=actor, evaluation_id=evaluation_id, action=chosen, data=data, clock=clock
            )
        except forms.FormInvalid as exc:
            return await self._confirm(
                request, actor, clock, evaluation_id, chosen, exc.errors, 422
            )
        except (Invalid, Conflict) as exc:
            errors = {"__all__": _said(request, exc)}
            return await self._confirm(request, actor, clock, evaluation_id, chosen, errors, 409)
        await flash(request, gettext(page_language(request), _DONE[chosen]))
        return see_other(f"/evaluations/{evaluation_id}")


def _said(request: Request, exc: DomainError) -> str:
    return error_text(page_language(request), exc)
