from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.privacy import export
from perp_track.privacy.schemas import PersonExport
from perp_track.web import requires


class PrivacyController(Controller):
    path = "/api/privacy"
    tags = ["privacy"]
    guards = [requires(Role.SUPERVISOR, Role.ADMIN)]

    @get(
        "/persons/{person_id:int}/export",
        summary="Everything held on one person, and its disclosure log (subject access)",
    )
    async def export_person(
        self,
        person_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> PersonExport:
        return await export.export_person(actor=actor, person_id=person_id, clock=clock)
