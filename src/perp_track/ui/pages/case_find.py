"""Find a case of the justice house by its reference (the "Find a case" page's search).

The reference is posted, never put in the address: a case reference is part of a criminal file,
and addresses end up in logs and browser histories."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from perp_track.auth.rules import ActingUser, Role
from perp_track.cases import lookup
from perp_track.cases import services as case_services
from perp_track.cases.rules import reference_needle
from perp_track.ui.i18n import N_
from perp_track.ui.pages.auth import see_other
from perp_track.ui.returns import with_return
from perp_track.ui.templating import page
from perp_track.web import requires

PAGE_SIZE = 25
NOT_A_REFERENCE = N_(
    "Type a case reference, e.g. LIE-2026-00012, or its number, e.g. 12:"
    " letters, digits and dashes."
)


async def list_context(actor: ActingUser, *, mine: bool, page_number: int) -> dict[str, Any]:
    """The list of cases under the search: mine, or all of the house."""
    items, total = await case_services.list_cases(
        actor=actor, mine=mine, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE
    )
    return {
        "cases": items,
        "total": total,
        "mine": mine,
        "page_number": page_number,
        "pages": max(1, -(-total // PAGE_SIZE)),
    }


class CaseFindPages(Controller):
    guards = [requires(Role.JUSTICE_ASSISTANT, Role.SUPERVISOR)]

    @post("/cases/find")
    async def find_case(
        self, request: Request, actor: NamedDependency[ActingUser]
    ) -> Template | Redirect:
        form = await request.form()
        typed = str(form.get("reference") or "").strip()[:64]
        mine = form.get("mine") != "false"
        if reference_needle(typed) is None:
            return await page(
                request,
                "cases/list.html",
                status_code=422,
                reference=typed,
                found=None,
                errors={"reference": NOT_A_REFERENCE},
                **await list_context(actor, mine=mine, page_number=1),
            )
        found = await lookup.find_by_reference(actor=actor, text=typed)
        exact = [f for f in found if f["reference"] == "".join(typed.split()).upper()]
        if len(exact) == 1:
            # The very case: open it, and let its confirmation lead back to the list.
            back = "/cases?mine=" + ("true" if mine else "false")
            return see_other(with_return(f"/cases/{exact[0]['id']}", back))
        return await page(
            request,
            "cases/list.html",
            reference=typed,
            found=found[: lookup.MAX_FOUND],
            more=len(found) > lookup.MAX_FOUND,
            errors={},
            **await list_context(actor, mine=mine, page_number=1),
        )
