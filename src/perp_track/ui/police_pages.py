"""The police officer's cases: each case they referred, its measures and a compliance summary
(the feedback the TACTICS focus groups found missing). Never programme content."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Template

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.partners import services as partners
from perp_track.ui.templating import page
from perp_track.web import requires

PAGE_SIZE = 20


class PolicePages(Controller):
    guards = [requires(Role.POLICE_OFFICER)]

    @get("/referred")
    async def referred(
        self,
        request: Request,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        page_number: Annotated[int, QueryParameter(name="page", ge=1, le=10_000)] = 1,
    ) -> Template:
        found = await partners.police_cases(
            actor=actor, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE, clock=clock
        )
        return await page(
            request,
            "police/referred.html",
            found=found,
            page_number=page_number,
            pages=max(1, -(-found.total // PAGE_SIZE)),
        )
