"""Notification API: a victim's safe-contact profile (SAPV), the inbox, channel preferences."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.params import JSONBody as Body
from litestar.status_codes import HTTP_200_OK

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.notify import inbox, profiles
from perp_track.notify.schemas import (
    ConsentIn,
    InboxItem,
    InboxPage,
    NumberActionIn,
    NumberCodeRead,
    PreferencesIn,
    PreferencesRead,
    SafeContactRead,
    SafeContactUpdate,
)
from perp_track.web import requires

STAFF = tuple(Role)


class SafeContactController(Controller):
    path = "/api/victims"
    tags = ["victim safe contact"]
    guards = [requires(Role.SAPV_CONTACT)]

    @get("", summary="The victims I support, with whether each may receive SMS and why not")
    async def list_victims(self, actor: NamedDependency[ActingUser]) -> list[SafeContactRead]:
        return await profiles.list_victims(actor=actor)

    @get("/{victim_id:int}/safe-contact", summary="A victim's safe-contact profile")
    async def read(
        self,
        victim_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> SafeContactRead:
        return await profiles.read_profile(actor=actor, victim_id=victim_id, clock=clock)

    @put("/{victim_id:int}/safe-contact", summary="Change her safe hours, detail level, ...")
    async def update(
        self,
        victim_id: FromPath[int],
        data: Body[SafeContactUpdate],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> SafeContactRead:
        return await profiles.update_profile(
            actor=actor, victim_id=victim_id, data=data, clock=clock
        )

    @post(
        "/{victim_id:int}/consent",
        status_code=HTTP_200_OK,
        summary="Record her consent to SMS (also lifts an earlier STOP)",
    )
    async def consent(
        self,
        victim_id: FromPath[int],
        data: Body[ConsentIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> SafeContactRead:
        return await profiles.record_consent(
            actor=actor, victim_id=victim_id, data=data, clock=clock, secret_key=settings.secret_key
        )

    @post(
        "/{victim_id:int}/consent/revoke",
        status_code=HTTP_200_OK,
        summary="Revoke her consent: nothing more is sent, waiting messages are withdrawn",
    )
    async def revoke(
        self,
        victim_id: FromPath[int],
        data: Body[ConsentIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> SafeContactRead:
        return await profiles.revoke_consent(
            actor=actor, victim_id=victim_id, data=data, clock=clock
        )

    @post(
        "/{victim_id:int}/number/code",
        status_code=HTTP_200_OK,
        summary="The code that confirms her number, to give her in person (each read audited)",
    )
    async def number_code(
        self,
        victim_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> NumberCodeRead:
        return await profiles.show_number_code(
            actor=actor, victim_id=victim_id, clock=clock, secret_key=settings.secret_key
        )

    @post(
        "/{victim_id:int}/number/resend",
        status_code=HTTP_200_OK,
        summary="Send the confirmation request once more (once only)",
    )
    async def number_resend(
        self,
        victim_id: FromPath[int],
        data: Body[NumberActionIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> SafeContactRead:
        return await profiles.resend_number_request(
            actor=actor, victim_id=victim_id, data=data, clock=clock
        )

    @post(
        "/{victim_id:int}/number/new-code",
        status_code=HTTP_200_OK,
        summary="A new code for her number (the old one lost, or three wrong codes)",
    )
    async def number_new_code(
        self,
        victim_id: FromPath[int],
        data: Body[NumberActionIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> SafeContactRead:
        return await profiles.new_number_code(
            actor=actor,
            victim_id=victim_id,
            data=data,
            clock=clock,
            secret_key=settings.secret_key,
        )


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
