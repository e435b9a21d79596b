"""The police officer's pages: each case they referred, its measures and a compliance summary
(the feedback the TACTICS focus groups found missing), and the red list of their zone. Never
programme content."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Annotated

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Template

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.partners import services as partners
from perp_track.redlist import services as redlist
from perp_track.redlist.schemas import RedList, RedListEntry
from perp_track.risk import views as risk_views
from perp_track.ui import forms
from perp_track.ui.templating import page
from perp_track.web import requires

PAGE_SIZE = 20
CSV = "text/csv; charset=utf-8"
# The red list's orders: the ban that ends first (a patrol plans around it), the highest risk,
# or the address (to find a street).
RED_LIST_SORTS = ("ends", "risk", "address")
_LAST_DAY = date.max


def _folded(text: str) -> str:
    """'Liège' and 'liege' alike: the search ignores case and accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def sift_red_list(
    entries: list[RedListEntry], *, search: str, sort: str, rank_of: Callable[[str], int]
) -> list[RedListEntry]:
    """The entries whose address holds every word searched (a street, a municipality, a postcode),
    in the order asked for. rank_of: a tier's rank (risk.rules.Tiers.sort_rank), higher first."""
    words = _folded(search).split()
    kept = [e for e in entries if all(w in _folded(e.address) for w in words)]
    if sort == "risk":
        # The risk policy's red-list priority first, then the ban that ends first.
        return sorted(
            kept,
            key=lambda e: (e.priority, -rank_of(e.risk_level), e.ends_on or _LAST_DAY),
        )
    if sort == "address":
        return sorted(kept, key=lambda e: _folded(e.address))
    return sorted(kept, key=lambda e: (e.ends_on or _LAST_DAY, -rank_of(e.risk_level)))


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
        return await self._referred(request, actor, clock, page_number=page_number, search="")

    @post("/referred")
    async def referred_search(
        self,
        request: Request,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template:
        """The PV number is searched in the form, not the address: it stays out of logs."""
        flat = forms.values(await request.form())
        search = flat.get("search", "").strip()[:64]
        page_text = flat.get("page", "1")
        page_number = int(page_text) if page_text.isdigit() and 0 < int(page_text) <= 10_000 else 1
        return await self._referred(request, actor, clock, page_number=page_number, search=search)

    async def _referred(
        self,
        request: Request,
        actor: ActingUser,
        clock: Clock,
        *,
        page_number: int,
        search: str,
    ) -> Template:
        found = await partners.police_cases(
            actor=actor,
            limit=PAGE_SIZE,
            offset=(page_number - 1) * PAGE_SIZE,
            clock=clock,
            search=search or None,
        )
        return await page(
            request,
            "police/referred.html",
            found=found,
            page_number=page_number,
            pages=max(1, -(-found.total // PAGE_SIZE)),
            search=search,
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
        return await self._red_list_page(request, red, search="", sort="risk")

    @post("/red-list")
    async def red_list_search(
        self,
        request: Request,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Template:
        """The search is sent in the form, not the address: addresses stay out of logs."""
        flat = forms.values(await request.form())
        search = flat.get("search", "").strip()[:100]
        sort = flat.get("sort", "risk")
        zone = await redlist.officer_zone(actor)
        red = await redlist.red_list(zone_id=zone, clock=clock, tz=settings.tz, reader=actor)
        return await self._red_list_page(
            request, red, search=search, sort=sort if sort in RED_LIST_SORTS else "risk"
        )

    async def _red_list_page(
        self, request: Request, red: RedList, *, search: str, sort: str
    ) -> Template:
        return await page(
            request,
            "police/red_list.html",
            red=red,
            entries=sift_red_list(
                red.entries,
                search=search,
                sort=sort,
                rank_of=(await risk_views.policy_map()).sort_rank,
            ),
            search=search,
            sort=sort,
        )

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
