"""The police officer's pages: each case they referred, its measures and a compliance summary
(the feedback the TACTICS focus groups found missing), and the red list of their zone. Never
programme content."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Template

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.partners import services as partners
from perp_track.redlist import services as redlist
from perp_track.ui.templating import page
from perp_track.web import requires

PAGE_SIZE = 20
CSV = "text/csv; charset=utf-8"


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

    @get("/red-list")
    async def red_list(
        self,
        request: Request,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Template:
        """The live list the API serves: each read is on the audit trail, as there."""
        zone = await redlist.officer_zone(actor)
        red = await redlist.red_list(zone_id=zone, clock=clock, tz=settings.tz, reader=actor)
        return await page(request, "police/red_list.html", red=red)

    @get("/red-list.csv")
    async def red_list_csv(
        self,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Response[str]:
        """The API's CSV, through the session: the same read, the same audit entry."""
        zone = await redlist.officer_zone(actor)
        red = await redlist.red_list(zone_id=zone, clock=clock, tz=settings.tz, reader=actor)
        return Response(
            content=redlist.as_csv(red),
            media_type=CSV,
            headers={"Content-Disposition": 'attachment; filename="red-list.csv"'},
        )
