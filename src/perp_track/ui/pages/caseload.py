"""The caseload: filters and sort in the address (no personal data there), a search by name or
reference only through a POST form, so that a name never lands in a URL, a log or a history."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Template

from perp_track.auth.rules import ActingUser, Role
from perp_track.cases.caseload import services as caseload
from perp_track.cases.caseload.schemas import DESCENDING_FIRST, Attention, CaseloadSort
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.errors import Invalid
from perp_track.ui.form_page import service_errors
from perp_track.ui.i18n import N_
from perp_track.ui.templating import page
from perp_track.web import requires

PAGE_SIZE = 25
SEARCH_TOO_SHORT = N_("Type at least 2 characters of a name or a reference.")


def _choice(enum: Any, raw: str | None) -> Any:
    try:
        return enum(raw) if raw else None
    except ValueError:
        return None


class CaseloadPages(Controller):
    guards = [requires(Role.JUSTICE_ASSISTANT, Role.SUPERVISOR)]

    async def _render(
        self,
        request: Request,
        actor: ActingUser,
        clock: Clock,
        settings: Settings,
        *,
        risk: str | None,
        attention: str | None,
        needing: bool,
        sort: str | None,
        order: str | None,
        page_number: int,
        search: str | None,
    ) -> Template:
        chosen_sort = _choice(CaseloadSort, sort) or CaseloadSort.RISK
        # The column's usual direction unless the reader asked for the other one.
        descending = {"asc": False, "desc": True}.get(order or "", chosen_sort in DESCENDING_FIRST)
        errors: dict[str, str] = {}
        status_code = 200
        try:
            found = await caseload.caseload(
                actor=actor,
                now=clock.now(),
                settings=settings,
                search=search or None,
                risk=risk or None,
                attention=_choice(Attention, attention),
                needing_attention=needing,
                sort=chosen_sort,
                descending=descending,
                limit=PAGE_SIZE,
                offset=(page_number - 1) * PAGE_SIZE,
            )
        except Invalid as exc:
            # An unknown tier is named on its field, in the page's language; else the search.
            errors = (
                service_errors(request, exc, on_field=True)
                if exc.extra.get("field") == "risk"
                else {"search": SEARCH_TOO_SHORT}
            )
            status_code = 422
            found = await caseload.caseload(
                actor=actor,
                now=clock.now(),
                settings=settings,
                sort=chosen_sort,
                descending=descending,
                limit=PAGE_SIZE,
            )
        return await page(
            request,
            "caseload/list.html",
            status_code=status_code,
            found=found,
            filters={
                "risk": risk or "",
                "attention": attention or "",
                "needing": "yes" if needing else "",
                "sort": chosen_sort.value,
                "order": "desc" if descending else "asc",
            },
            search=search or "",
            errors=errors,
            page_number=page_number,
            pages=max(1, -(-found.total // PAGE_SIZE)),
            attentions=list(Attention),
            sorts=list(CaseloadSort),
            descending_first=[s.value for s in DESCENDING_FIRST],
        )

    @get("/caseload")
    async def caseload_page(
        self,
        request: Request,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
        risk: Annotated[str | None, QueryParameter(max_length=32)] = None,
        attention: Annotated[str | None, QueryParameter(max_length=32)] = None,
        needing: Annotated[bool, QueryParameter()] = False,
        sort: Annotated[str | None, QueryParameter(max_length=16)] = None,
        order: Annotated[str | None, QueryParameter(max_length=4)] = None,
        page_number: Annotated[int, QueryParameter(name="page", ge=1, le=10_000)] = 1,
    ) -> Template:
        return await self._render(
            request,
            actor,
            clock,
            settings,
            risk=risk,
            attention=attention,
            needing=needing,
            sort=sort,
            order=order,
            page_number=page_number,
            search=None,
        )

    @post("/caseload")
    async def search(
        self,
        request: Request,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Template:
        form = await request.form()
        search = str(form.get("search") or "").strip()[:100]
        return await self._render(
            request,
            actor,
            clock,
            settings,
            risk=str(form.get("risk") or "") or None,
            attention=str(form.get("attention") or "") or None,
            needing=form.get("needing") == "yes",
            sort=str(form.get("sort") or "") or None,
            order=str(form.get("order") or "") or None,
            page_number=1,
            search=search or None,
        )
