"""Safe-contact API: a victim's safe-contact profile, kept by her SAPV contact."""

from __future__ import annotations

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.params import JSONBody as Body
from litestar.status_codes import HTTP_200_OK

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.safe_contact import services
from perp_track.safe_contact.schemas import (
    ConsentIn,
    NumberActionIn,
    NumberCodeRead,
    SafeContactRead,
    SafeContactUpdate,
)
from perp_track.web import requires


class SafeContactController(Controller):
    path = "/api/victims"
    tags = ["victim safe contact"]
    guards = [requires(Role.SAPV_CONTACT)]

    @get("", summary="The victims I support, with whether each may receive SMS and why not")
    async def list_victims(self, actor: NamedDependency[ActingUser]) -> list[SafeContactRead]:
        return await services.list_victims(actor=actor)

    @get("/{victim_id:int}/safe-contact", summary="A victim's safe-contact profile")
    async def read(
        self,
        victim_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> SafeContactRead:
        return await services.read_profile(actor=actor, victim_id=victim_id, clock=clock)

    @put("/{victim_id:int}/safe-contact", summary="Change her safe hours, detail level, ...")
    async def update(
        self,
        victim_id: FromPath[int],
        data: Body[SafeContactUpdate],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> SafeContactRead:
        return await services.update_profile(
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
        return await services.record_consent(
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
        return await services.revoke_consent(
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
        return await services.show_number_code(
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
        return await services.resend_number_request(
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
        return await services.new_number_code(
            actor=actor,
            victim_id=victim_id,
            data=data,
            clock=clock,
            secret_key=settings.secret_key,
        )
