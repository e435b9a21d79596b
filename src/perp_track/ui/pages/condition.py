"""Changing a condition's status from the case page: met, breached, adapted, waived, resumed.
Two steps, as for a measure: the first post says what will happen, the second does it."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from perp_track.auth.rules import ActingUser, Role
from perp_track.cases import services as case_services
from perp_track.cases.schemas import CaseRead
from perp_track.clock import Clock
from perp_track.errors import NotFound
from perp_track.measures import conditions
from perp_track.measures.condition_rules import CONDITION_TRANSITIONS, is_ban
from perp_track.measures.errors import ConditionError
from perp_track.measures.schemas import ConditionRead, ConditionTransitionIn, MeasureRead
from perp_track.ui import form_page, forms
from perp_track.ui.form_page import Submitted
from perp_track.ui.i18n import N_, gettext
from perp_track.ui.pages.auth import flash, see_other
from perp_track.ui.templating import page, page_language
from perp_track.web import requires

# What a step sets in motion, said on the confirmation (DOMAIN §4).
BAN_BREACH = N_(
    "A breached contact or residence ban is urgent: the referring police officer and the "
    "victim's SAPV contact are told at once."
)
PROGRAMME_END = N_("The programme provider's referral ends with this status.")


async def condition_in_case(
    actor: ActingUser, condition_id: int
) -> tuple[CaseRead, MeasureRead, ConditionRead]:
    """The case file, measure and condition of a condition this actor may see (else 404)."""
    _, _, case_row = await conditions.scoped_condition(actor, condition_id)
    case = await case_services.read_case(actor=actor, case_id=case_row["id"])
    for measure in case.measures:
        for condition in measure.conditions:
            if condition.id == condition_id:
                return case, measure, condition
    raise NotFound(ConditionError.NOT_FOUND, condition_id=condition_id)


def _target(condition: ConditionRead, event: str) -> str | None:
    for t in CONDITION_TRANSITIONS:
        if t.source == condition.status and str(t.event) == event:
            return str(t.target)
    return None


class ConditionPages(Controller):
    path = "/conditions"
    guards = [requires(Role.JUSTICE_ASSISTANT, Role.SUPERVISOR)]

    async def _form(
        self,
        request: Request,
        actor: ActingUser,
        condition_id: int,
        *,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        confirming: bool = False,
        status_code: int = 200,
    ) -> Template:
        case, measure, condition = await condition_in_case(actor, condition_id)
        values = values or {}
        chosen = values.get("event", "")
        consequence = None
        if chosen == "breach" and is_ban(condition.kind):
            consequence = BAN_BREACH
        elif chosen in {"meet", "breach"} and condition.kind == "programme":
            consequence = PROGRAMME_END
        context: dict[str, Any] = {
            "case": case,
            "measure": measure,
            "condition": condition,
            "values": values,
            "errors": errors or {},
            "confirming": confirming,
            "consequence": consequence,
            "target": _target(condition, chosen),
        }
        return await page(request, "conditions/transition.html", status_code=status_code, **context)

    @get("/{condition_id:int}/transition")
    async def transition_form(
        self, request: Request, condition_id: FromPath[int], actor: NamedDependency[ActingUser]
    ) -> Template:
        return await self._form(request, actor, condition_id)

    @post("/{condition_id:int}/transition")
    async def transition(
        self,
        request: Request,
        condition_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        case, _, condition = await condition_in_case(actor, condition_id)

        async def act(posted: Submitted) -> Template | Redirect:
            data = forms.parse(ConditionTransitionIn, forms.nest(posted.values))
            if data.event not in condition.allowed_events:
                raise forms.FormInvalid({"event": forms.NOT_ALLOWED})
            if not posted.confirmed:
                return await self._form(
                    request, actor, condition_id, values=posted.values, confirming=True
                )
            await conditions.transition_condition(
                actor=actor, condition_id=condition_id, data=data, clock=clock
            )
            await flash(
                request,
                gettext(page_language(request), "The condition was updated."),
                target="measures",
            )
            return see_other(f"/cases/{case.id}#measures")

        async def again(values: dict[str, str], errors: dict[str, str], status: int) -> Template:
            return await self._form(
                request, actor, condition_id, values=values, errors=errors, status_code=status
            )

        return await form_page.submit(request, act, again, on_field=False)
