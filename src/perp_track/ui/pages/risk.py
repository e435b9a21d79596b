"""The risk pages: the justice assistant reassesses a case's risk (from the case page's Change
link), supervisors read and change the risk policy tier by tier, and the police zone and the SAPV
contact answer their alerts and safety checks."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from perp_track.auth.rules import ActingUser, Role
from perp_track.cases import services as case_services
from perp_track.clock import Clock
from perp_track.errors import Conflict, Invalid, NotFound
from perp_track.risk import loop as risk_loop
from perp_track.risk import rules
from perp_track.risk import services as risk
from perp_track.risk import views as risk_views
from perp_track.risk.rules import AlertOutcome, AlertStep
from perp_track.risk.schemas import (
    AlertDone,
    ReassessmentCreate,
    RiskPolicyUpdate,
    TierPolicyIn,
)
from perp_track.ui import forms
from perp_track.ui.error_messages import form_errors
from perp_track.ui.form_page import service_errors
from perp_track.ui.i18n import gettext
from perp_track.ui.pages.auth import flash, see_other
from perp_track.ui.templating import page, page_language
from perp_track.web import requires

# The outcomes each kind of alert offers: the police record what the zone did, the SAPV contact
# what she found with the victim.
OUTCOMES = {
    "police_alert": [AlertOutcome.POLICE_ACTION_TAKEN, AlertOutcome.NO_ACTION_NEEDED],
    "safety_check": [
        AlertOutcome.VICTIM_SAFE,
        AlertOutcome.SAFETY_PLAN_UPDATED,
        AlertOutcome.VICTIM_UNREACHABLE,
        AlertOutcome.NO_ACTION_NEEDED,
    ],
}


class ReassessPages(Controller):
    guards = [requires(Role.JUSTICE_ASSISTANT, Role.SUPERVISOR)]

    async def _form(
        self,
        request: Request,
        actor: ActingUser,
        case_id: int,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        case = await case_services.read_case(actor=actor, case_id=case_id)
        history = await risk.risk_history(actor=actor, case_id=case_id)
        tiers = await risk_views.policy_map()
        now = tiers.sort_rank(history.level)
        return await page(
            request,
            "risk/reassess.html",
            status_code=status_code,
            case=case,
            history=history,
            levels=list(tiers),
            lower=[code for code, row in tiers.items() if row.rank < now],
            values=values or {"level": str(history.level)},
            errors=errors or {},
        )

    @get("/cases/{case_id:int}/risk")
    async def reassess_form(
        self, request: Request, case_id: FromPath[int], actor: NamedDependency[ActingUser]
    ) -> Template:
        return await self._form(request, actor, case_id)

    @post("/cases/{case_id:int}/risk")
    async def reassess(
        self,
        request: Request,
        case_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        flat = forms.values(await request.form())
        data: dict[str, Any] = dict(flat)
        if not data.get("reason", "").strip():
            data.pop("reason", None)
        try:
            parsed = forms.parse(ReassessmentCreate, data)
            await risk.reassess(
                actor=actor,
                case_id=case_id,
                level=parsed.level,
                reason=parsed.reason,
                version=parsed.version,
                clock=clock,
            )
        except forms.FormInvalid as exc:
            return await self._form(request, actor, case_id, flat, exc.errors, 422)
        except Invalid as exc:
            # A lowered level without its reason: the error belongs to the reason field.
            # (an unknown tier on the level's)
            errors = service_errors(request, exc, on_field=True)
            return await self._form(request, actor, case_id, flat, errors, 422)
        except Conflict as exc:
            return await self._form(request, actor, case_id, flat, form_errors(request, exc), 409)
        lang = page_language(request)
        await flash(request, gettext(lang, "Risk level saved."), target="risk")
        return see_other(f"/cases/{case_id}#risk")


class RiskPolicyPages(Controller):
    guards = [requires(Role.SUPERVISOR, Role.ADMIN)]

    @get("/risk-policy")
    async def policy(self, request: Request) -> Template:
        return await page(
            request, "risk/policy.html", policy=await risk.read_policy(), fields=rules.POLICY_FIELDS
        )

    async def _tier_form(
        self,
        request: Request,
        tier: str,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        policy = await risk.read_policy()
        row = next(t for t in policy.tiers if t.tier == tier)
        current = {
            name: "" if getattr(row, name) is None else str(getattr(row, name))
            for name in rules.POLICY_FIELDS
        }
        current["closed_loop"] = "on" if row.closed_loop else ""
        return await page(
            request,
            "risk/tier.html",
            status_code=status_code,
            tier=tier,
            policy=policy,
            values=values if values is not None else current,
            errors=errors or {},
        )

    @get("/risk-policy/{tier:str}")
    async def tier_form(self, request: Request, tier: FromPath[str]) -> Template:
        return await self._tier_form(request, await _tier(tier))

    @post("/risk-policy/{tier:str}")
    async def change_tier(
        self,
        request: Request,
        tier: FromPath[str],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        level = await _tier(tier)
        flat = forms.values(await request.form())
        policy = await risk.read_policy()
        changed: dict[str, Any] = {
            name: (flat.get(name, "").strip() or None) for name in rules.POLICY_FIELDS
        }
        changed["closed_loop"] = flat.get("closed_loop") == "on"
        try:
            tiers = [
                forms.parse(TierPolicyIn, {"tier": str(level), **changed})
                if row.tier == level
                else TierPolicyIn(**row.model_dump(include=set(TierPolicyIn.model_fields)))
                for row in policy.tiers
            ]
            update = RiskPolicyUpdate(tiers=tiers, version=int(flat.get("version") or 0) or 1)
            await risk.update_policy(actor=actor, data=update, clock=clock)
        except forms.FormInvalid as exc:
            return await self._tier_form(request, level, flat, exc.errors, 422)
        except (Invalid, Conflict) as exc:
            return await self._tier_form(request, level, flat, form_errors(request, exc), 422)
        lang = page_language(request)
        await flash(request, gettext(lang, "Risk policy changed."), target=f"tier-{level}")
        return see_other(f"/risk-policy#tier-{level}")


async def _tier(value: str) -> str:
    """A tier in force, by its code in the address; else the page is not found."""
    if value not in await risk_views.policy_map():
        raise NotFoundException()
    return value


class AlertPages(Controller):
    guards = [requires(Role.POLICE_OFFICER, Role.SAPV_CONTACT)]

    async def _list(
        self,
        request: Request,
        actor: ActingUser,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        failed: int | None = None,
        status_code: int = 200,
    ) -> Template:
        return await page(
            request,
            "risk/alerts.html",
            status_code=status_code,
            alerts=await risk_loop.list_alerts(actor=actor, open_only=True),
            outcomes=OUTCOMES,
            errors=errors or {},
            values=values or {},
            failed=failed,
        )

    @get("/alerts")
    async def alerts(self, request: Request, actor: NamedDependency[ActingUser]) -> Template:
        return await self._list(request, actor)

    @post("/alerts/{alert_id:int}/{step:str}")
    async def step(
        self,
        request: Request,
        alert_id: FromPath[int],
        step: FromPath[str],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        if step not in set(AlertStep):
            raise NotFoundException()
        flat = forms.values(await request.form())
        lang = page_language(request)
        try:
            if step == AlertStep.ACKNOWLEDGE:
                await risk_loop.step_alert(
                    actor=actor,
                    alert_id=alert_id,
                    step=AlertStep.ACKNOWLEDGE,
                    version=int(flat.get("version") or 0),
                    clock=clock,
                )
                message = gettext(lang, "Acknowledged: the justice house sees that you have it.")
            else:
                done = forms.parse(AlertDone, flat)
                await risk_loop.step_alert(
                    actor=actor,
                    alert_id=alert_id,
                    step=AlertStep.DONE,
                    version=done.version,
                    outcome=done.outcome,
                    note=done.note,
                    clock=clock,
                )
                message = gettext(lang, "Done: the justice assistant is told the outcome.")
        except forms.FormInvalid as exc:
            return await self._list(request, actor, exc.errors, flat, alert_id, 422)
        except NotFound as exc:
            raise NotFoundException() from exc
        except (Invalid, Conflict) as exc:
            return await self._list(request, actor, form_errors(request, exc), flat, alert_id, 422)
        await flash(request, message)
        return see_other("/alerts")
