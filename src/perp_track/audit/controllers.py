from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from perp_track.audit import services
from perp_track.audit.rules import Action
from perp_track.audit.schemas import AuditPage, ChainCheck
from perp_track.auth.rules import ActingUser, Role
from perp_track.web import requires


class AuditController(Controller):
    path = "/api/audit"
    tags = ["audit"]
    guards = [requires(Role.SUPERVISOR, Role.ADMIN)]

    @get("/", summary="The audit trail of my justice house, newest first")
    async def list_entries(
        self,
        actor: NamedDependency[ActingUser],
        case_id: Annotated[int | None, QueryParameter(ge=1)] = None,
        person_id: Annotated[int | None, QueryParameter(ge=1)] = None,
        actor_id: Annotated[int | None, QueryParameter(ge=1)] = None,
        action: Annotated[Action | None, QueryParameter()] = None,
        since: Annotated[datetime | None, QueryParameter()] = None,
        until: Annotated[datetime | None, QueryParameter()] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> AuditPage:
        return await services.query(
            actor=actor,
            case_id=case_id,
            person_id=person_id,
            actor_id=actor_id,
            action=action,
            since=since,
            until=until,
            limit=limit,
            offset=offset,
        )

    @get("/verify", summary="Check the hash chain of the whole trail")
    async def verify(self, actor: NamedDependency[ActingUser]) -> ChainCheck:
        return await services.verify_chain(actor=actor)
