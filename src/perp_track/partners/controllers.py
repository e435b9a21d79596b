from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.partners import services
from perp_track.partners.schemas import (
    PoliceCasePage,
    PoliceCaseRead,
    SapvVictimPage,
    SapvVictimRead,
)
from perp_track.web import requires


class PoliceController(Controller):
    path = "/api/police"
    tags = ["police"]
    guards = [requires(Role.POLICE_OFFICER)]

    @get("/cases", summary="The cases I referred: measures, statuses and compliance")
    async def list_cases(
        self,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> PoliceCasePage:
        return await services.police_cases(actor=actor, limit=limit, offset=offset, clock=clock)

    @get("/cases/{case_id:int}", summary="One case I referred")
    async def read_case(
        self,
        case_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> PoliceCaseRead:
        return await services.police_case(actor=actor, case_id=case_id, clock=clock)


class SapvController(Controller):
    path = "/api/sapv"
    tags = ["sapv"]
    guards = [requires(Role.SAPV_CONTACT)]

    @get("/victims", summary="The victims I support, their cases' protective measures and ends")
    async def list_victims(
        self,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> SapvVictimPage:
        return await services.sapv_victims(actor=actor, limit=limit, offset=offset, clock=clock)

    @get("/victims/{person_id:int}", summary="One victim I support")
    async def read_victim(
        self,
        person_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> SapvVictimRead:
        return await services.sapv_victim(actor=actor, person_id=person_id, clock=clock)
