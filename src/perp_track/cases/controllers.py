from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from pydantic import BaseModel

from perp_track.auth.rules import ActingUser, Role
from perp_track.cases import services, views
from perp_track.cases.schemas import CaseCreate, CaseRead, CaseSummary
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.measures import services as measure_services
from perp_track.measures.policy import measure_policy
from perp_track.measures.schemas import MeasureCreate, MeasureRead
from perp_track.summons import services as summons_services
from perp_track.summons.schemas import SummonsCreate, SummonsRead
from perp_track.web import requires

CASE_STAFF = (Role.JUSTICE_ASSISTANT, Role.SUPERVISOR)


class CasePage(BaseModel):
    items: list[CaseSummary]
    total: int
    limit: int
    offset: int


class CaseController(Controller):
    path = "/api/cases"
    tags = ["cases"]
    guards = [requires(*CASE_STAFF)]

    @get("/", summary="Cases of my justice house (mine=true: assigned to me)")
    async def list_cases(
        self,
        actor: NamedDependency[ActingUser],
        mine: Annotated[bool, QueryParameter(description="only the cases assigned to me")] = False,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> CasePage:
        items, total = await views.list_cases(actor=actor, mine=mine, limit=limit, offset=offset)
        return CasePage(items=items, total=total, limit=limit, offset=offset)

    @post("/", summary="Open a case on a mandate")
    async def open_case(
        self,
        data: JSONBody[CaseCreate],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> CaseRead:
        return await services.open_case(actor=actor, data=data, clock=clock)

    @get("/{case_id:int}", summary="A case with its measures, summons and timeline")
    async def read_case(
        self,
        case_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> CaseRead:
        return await views.read_case(actor=actor, case_id=case_id, clock=clock)

    @post("/{case_id:int}/measures", summary="Add a measure and its conditions")
    async def add_measure(
        self,
        case_id: FromPath[int],
        data: JSONBody[MeasureCreate],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> MeasureRead:
        return await measure_services.add_measure(
            actor=actor, case_id=case_id, data=data, clock=clock, policy=measure_policy(settings)
        )

    @post("/{case_id:int}/summons", summary="Schedule a summons")
    async def schedule_summons(
        self,
        case_id: FromPath[int],
        data: JSONBody[SummonsCreate],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> SummonsRead:
        return await summons_services.schedule_summons(
            actor=actor, case_id=case_id, data=data, clock=clock
        )
