"""Every user's in-app inbox: read, and acknowledge police feedback."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.notify import inbox
from perp_track.ui.auth_pages import flash, see_other
from perp_track.ui.i18n import gettext
from perp_track.ui.templating import page, page_language
from perp_track.web import requires

PAGE_SIZE = 20


class InboxPages(Controller):
    guards = [requires(*tuple(Role))]

    @get("/inbox")
    async def list_messages(
        self,
        request: Request,
        actor: NamedDependency[ActingUser],
        unread: Annotated[bool, QueryParameter()] = False,
        page_number: Annotated[int, QueryParameter(name="page", ge=1, le=10_000)] = 1,
    ) -> Template:
        found = await inbox.list_inbox(
            actor=actor,
            unread_only=unread,
            limit=PAGE_SIZE,
            offset=(page_number - 1) * PAGE_SIZE,
        )
        return await page(
            request,
            "inbox/list.html",
            inbox=found,
            unread_only=unread,
            page_number=page_number,
            pages=max(1, -(-found.total // PAGE_SIZE)),
        )

    @post("/inbox/{notification_id:int}/read")
    async def mark_read(
        self,
        request: Request,
        notification_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Redirect:
        await inbox.mark_read(actor=actor, notification_id=notification_id, clock=clock)
        await flash(request, gettext(page_language(request), "Message marked as read."))
        return see_other(f"/inbox#message-{notification_id}")

    @post("/inbox/{notification_id:int}/acknowledge")
    async def acknowledge(
        self,
        request: Request,
        notification_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Redirect:
        await inbox.acknowledge(actor=actor, notification_id=notification_id, clock=clock)
        await inbox.mark_read(actor=actor, notification_id=notification_id, clock=clock)
        await flash(
            request,
            gettext(
                page_language(request),
                "Feedback acknowledged: the justice house knows you have read it.",
            ),
        )
        return see_other(f"/inbox#message-{notification_id}")
