"""Supervisors set the risk tiers themselves: add a tier (its code, rank, names and what it
sets), rename one, remove one nothing uses. Each in two steps, as GOV.UK asks of a change that
matters: check your answers, then confirm. What a tier sets is changed on the risk pages
(pages/risk.py)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.errors import Conflict
from perp_track.risk import rules
from perp_track.risk import services as risk
from perp_track.risk import views as risk_views
from perp_track.risk.schemas import TierCreate, TierRename
from perp_track.ui import form_page, forms
from perp_track.ui.form_page import Submitted, service_errors
from perp_track.ui.i18n import gettext
from perp_track.ui.pages.auth import flash, see_other
from perp_track.ui.templating import page, page_language
from perp_track.web import requires

NAME_FIELDS = tuple(f"names.{lang}" for lang in rules.TIER_LANGUAGES)
NEW_FIELDS = ("tier", "rank", *NAME_FIELDS, *rules.POLICY_FIELDS)


def _parsed(model: Any, values: dict[str, str], *, settings: bool) -> Any:
    data = forms.nest(values)
    data.setdefault("names", {})
    if settings:
        data["closed_loop"] = values.get("closed_loop") == "on"
    return forms.parse(model, data)


async def _tier(code: str) -> str:
    if code not in await risk_views.policy_map():
        raise NotFoundException()
    return code


class RiskTierPages(Controller):
    guards = [requires(Role.SUPERVISOR, Role.ADMIN)]

    async def _new_form(
        self,
        request: Request,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
        confirming: bool = False,
    ) -> Template:
        policy = await risk.read_policy()
        if "version" not in values:
            top = policy.tiers[-1] if policy.tiers else None
            # Above the highest tier, with what it sets, unless the supervisor says otherwise.
            values = {
                "rank": str(top.rank + 10) if top else "10",
                **{
                    name: "" if getattr(top, name) is None else str(getattr(top, name))
                    for name in rules.POLICY_FIELDS
                    if top is not None
                },
                "closed_loop": "on" if top is not None and top.closed_loop else "",
                **values,
                "version": str(policy.version),
            }
        return await page(
            request,
            "risk/tier_new.html",
            status_code=status_code,
            policy=policy,
            values=values,
            errors=errors,
            confirming=confirming,
            fields=NEW_FIELDS,
        )

    @get("/risk-tiers/new")
    async def new_form(self, request: Request) -> Template:
        return await self._new_form(request, {}, {})

    @post("/risk-tiers/new")
    async def add(
        self, request: Request, actor: NamedDependency[ActingUser], clock: NamedDependency[Clock]
    ) -> Template | Redirect:
        async def act(posted: Submitted) -> Template | Redirect:
            if posted.values.pop("edit", "") == "yes":
                return await self._new_form(request, posted.values, {})
            data = _parsed(TierCreate, posted.values, settings=True)
            await risk.check_new_tier(data)
            if not posted.confirmed:
                return await self._new_form(request, posted.values, {}, confirming=True)
            await risk.add_tier(actor=actor, data=data, clock=clock)
            lang = page_language(request)
            await flash(request, gettext(lang, "Risk tier added."), target=f"tier-{data.tier}")
            return see_other(f"/risk-policy#tier-{data.tier}")

        async def again(values: dict[str, str], errors: dict[str, str], status: int) -> Template:
            return await self._new_form(request, values, errors, status)

        return await form_page.submit(request, act, again, conflict_status=409)

    async def _names_form(
        self,
        request: Request,
        tier: str,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
        confirming: bool = False,
    ) -> Template:
        policy = await risk.read_policy()
        row = next(t for t in policy.tiers if t.tier == tier)
        if "version" not in values:
            values = {
                **{f"names.{lang}": row.names.get(lang, "") for lang in rules.TIER_LANGUAGES},
                "version": str(policy.version),
            }
        return await page(
            request,
            "risk/tier_names.html",
            status_code=status_code,
            tier=tier,
            row=row,
            values=values,
            errors=errors,
            confirming=confirming,
        )

    @get("/risk-tiers/{tier:str}/names")
    async def names_form(self, request: Request, tier: FromPath[str]) -> Template:
        return await self._names_form(request, await _tier(tier), {}, {})

    @post("/risk-tiers/{tier:str}/names")
    async def rename(
        self,
        request: Request,
        tier: FromPath[str],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        code = await _tier(tier)

        async def act(posted: Submitted) -> Template | Redirect:
            if posted.values.pop("edit", "") == "yes":
                return await self._names_form(request, code, posted.values, {})
            data = _parsed(TierRename, posted.values, settings=False)
            if not posted.confirmed:
                return await self._names_form(request, code, posted.values, {}, confirming=True)
            await risk.rename_tier(actor=actor, tier=code, data=data, clock=clock)
            lang = page_language(request)
            await flash(request, gettext(lang, "Risk tier renamed."), target=f"tier-{code}")
            return see_other(f"/risk-policy#tier-{code}")

        async def again(values: dict[str, str], errors: dict[str, str], status: int) -> Template:
            return await self._names_form(request, code, values, errors, status)

        return await form_page.submit(request, act, again, conflict_status=409)

    async def _remove_page(
        self,
        request: Request,
        tier: str,
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        policy = await risk.read_policy()
        uses = await risk.tier_uses(tier)
        name = (await risk_views.policy_map()).name(tier, page_language(request))
        if uses:
            # Why not, in the reader's words: the tier by its name, the first use found.
            code, count = next(iter(uses.items()))
            errors = service_errors(request, Conflict(code, tier=name, count=count), on_field=False)
        return await page(
            request,
            "risk/tier_remove.html",
            status_code=status_code,
            tier=tier,
            policy=policy,
            errors=errors,
            blocked=bool(uses) or len(policy.tiers) == 1,
        )

    @get("/risk-tiers/{tier:str}/remove")
    async def remove_form(self, request: Request, tier: FromPath[str]) -> Template:
        return await self._remove_page(request, await _tier(tier), {})

    @post("/risk-tiers/{tier:str}/remove")
    async def remove(
        self,
        request: Request,
        tier: FromPath[str],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        code = await _tier(tier)
        tiers = await risk_views.policy_map()
        # The name as it was, for the confirmation: once removed, the tier has none.
        name = tiers.name(code, page_language(request))

        async def act(posted: Submitted) -> Template | Redirect:
            version = int(posted.values.get("version") or 0) or 1
            await risk.remove_tier(actor=actor, tier=code, version=version, clock=clock)
            lang = page_language(request)
            await flash(request, gettext(lang, "Risk tier %(name)s removed.", name=name))
            return see_other("/risk-policy")

        async def again(values: dict[str, str], errors: dict[str, str], status: int) -> Template:
            return await self._remove_page(request, code, errors, status)

        return await form_page.submit(request, act, again, conflict_status=409, on_field=False)
