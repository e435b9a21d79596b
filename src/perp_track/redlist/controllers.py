from __future__ import annotations

from datetime import timedelta

from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.redlist import services
from perp_track.redlist.rules import ZoneFeed
from perp_track.redlist.schemas import (
    RedList,
    RedListTokenCreate,
    RedListTokenIssued,
    RedListTokenRead,
)
from perp_track.web import requires, requires_zone_feed

CSV = "text/csv; charset=utf-8"


def _csv(body: str) -> Response[str]:
    return Response(
        content=body,
        media_type=CSV,
        headers={"Content-Disposition": 'attachment; filename="red-list.csv"'},
    )


class RedListFeedController(Controller):
    """What the zone's communication centre polls, with its red-list token."""

    path = "/api/redlist/feed"
    tags = ["red list"]
    guards = [requires_zone_feed()]

    @get("/", summary="Addresses under a ban in force today in my zone (JSON)")
    async def feed(
        self, request: Request, clock: NamedDependency[Clock], settings: NamedDependency[Settings]
    ) -> RedList:
        feed: ZoneFeed = request.user
        return await services.red_list(
            zone_id=feed.zone_id, clock=clock, tz=settings.tz, reader=feed
        )

    @get("/csv", summary="The same, as CSV", media_type=CSV)
    async def feed_csv(
        self, request: Request, clock: NamedDependency[Clock], settings: NamedDependency[Settings]
    ) -> Response[str]:
        feed: ZoneFeed = request.user
        red = await services.red_list(
            zone_id=feed.zone_id, clock=clock, tz=settings.tz, reader=feed
        )
        return _csv(services.as_csv(red))


class PoliceRedListController(Controller):
    path = "/api/police/red-list"
    tags = ["red list"]
    guards = [requires(Role.POLICE_OFFICER)]

    @get("/", summary="The red list of my zone (JSON)")
    async def red_list(
        self,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> RedList:
        zone = await services.officer_zone(actor)
        return await services.red_list(zone_id=zone, clock=clock, tz=settings.tz, reader=actor)

    @get("/csv", summary="The red list of my zone (CSV)", media_type=CSV)
    async def red_list_csv(
        self,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Response[str]:
        zone = await services.officer_zone(actor)
        red = await services.red_list(zone_id=zone, clock=clock, tz=settings.tz, reader=actor)
        return _csv(services.as_csv(red))


class RedListTokenController(Controller):
    path = "/api/redlist/tokens"
    tags = ["red list"]
    guards = [requires(Role.ADMIN)]

    @post("/", summary="Issue a red-list token for a zone's communication centre (shown once)")
    async def issue(
        self,
        data: JSONBody[RedListTokenCreate],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> RedListTokenIssued:
        return await services.issue_token(
            actor=actor,
            data=data,
            ttl=timedelta(days=settings.red_list_token_ttl_days),
            clock=clock,
        )

    @get("/", summary="Red-list tokens, newest first")
    async def list_tokens(self, actor: NamedDependency[ActingUser]) -> list[RedListTokenRead]:
        return await services.list_tokens(actor=actor)

    @delete("/{token_id:int}", summary="Revoke a red-list token")
    async def revoke(
        self,
        token_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> None:
        await services.revoke_token(actor=actor, token_id=token_id, clock=clock)
