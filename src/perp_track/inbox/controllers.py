"""Inbox API: my messages and my channel preferences."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.params import JSONBody as Body
from litestar.status_codes import HTTP_200_OK

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.inbox import services as inbox
from perp_track.inbox.schemas import (
    InboxItem,
    InboxPage,
    PreferencesIn,
    PreferencesRead,
)
from perp_track.web import requires

STAFF = tuple(Role)


class InboxController(Controller):
    path = "/api/inbox"
    tags = ["inbox"]
    guards = [requires(*STAFF)]

    @get("", summary="My messages, urgent first, newest first")
    async def list_inbox(
        self,
        actor: NamedDependency[ActingUser],
        unread: Annotated[bool, QueryParameter(description="only unread messages")] = False,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> InboxPage:
        return await inbox.list_inbox(actor=actor, unread_only=unread, limit=limit, offset=offset)

    @post("/{notification_id:int}/read", status_code=HTTP_200_OK, summary="Mark as read")
    async def mark_read(
        self,
        notification_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> InboxItem:
        return await inbox.mark_read(actor=actor, notification_id=notification_id, clock=clock)

    @post(
        "/{notification_id:int}/acknowledge",
        status_code=HTTP_200_OK,
        summary="Acknowledge police feedback (the e-mail's link does the same)",
    )
    async def acknowledge(
        self,
        notification_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> InboxItem:
        return await inbox.acknowledge(actor=actor, notification_id=notification_id, clock=clock)

    @get("/preferences", summary="My channels: in-app, e-mail, daily digest")
    async def preferences(self, actor: NamedDependency[ActingUser]) -> PreferencesRead:
        return await inbox.read_preferences(actor=actor)

    @put("/preferences", summary="Change my channels (urgent messages use every channel)")
    async def set_preferences(
        self,
        data: Body[PreferencesIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> PreferencesRead:
        return await inbox.update_preferences(actor=actor, data=data, clock=clock)
