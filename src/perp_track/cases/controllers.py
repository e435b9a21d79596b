from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK
from pydantic import BaseModel

from perp_track.auth.rules import ActingUser, Role
from perp_track.cases import changes, services, views
from perp_track.cases.schemas import (
    CaseChanged,
    CaseCreate,
    CaseRead,
    CaseSummary,
    PerpetratorChange,
    ReassignIn,
    ReferringOfficerIn,
)
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


class CaseChangeController(Controller):
    """Facts of a running case changed after opening: each call sends the case version it read
    (a stale one is a 409, nothing changed) and tells whom the routing table names."""

    path = "/api/cases/{case_id:int}"
    tags = ["cases"]
    guards = [requires(*CASE_STAFF)]

    @post(
        "/perpetrator",
        status_code=HTTP_200_OK,
        summary="Change the perpetrator's phone, e-mail, address or language",
        description="Queued SMS go to the new number; an address change tells the referring"
        " officer only; a victim's number is refused.",
    )
    async def change_perpetrator(
        self,
        case_id: FromPath[int],
        data: JSONBody[PerpetratorChange],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> CaseChanged:
        return await changes.change_perpetrator(
            actor=actor, case_id=case_id, data=data, clock=clock
        )

    @post(
        "/assignment",
        status_code=HTTP_200_OK,
        summary="Assign the case to another justice assistant (supervisors); they are told",
        guards=[requires(Role.SUPERVISOR)],
    )
    async def reassign(
        self,
        case_id: FromPath[int],
        data: JSONBody[ReassignIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> CaseChanged:
        return await changes.reassign_case(actor=actor, case_id=case_id, data=data, clock=clock)

    @post(
        "/referring-officer",
        status_code=HTTP_200_OK,
        summary="Another police officer (and zone) follows the case; they are told",
    )
    async def change_referring_officer(
        self,
        case_id: FromPath[int],
        data: JSONBody[ReferringOfficerIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> CaseChanged:
        return await changes.change_referring_officer(
            actor=actor, case_id=case_id, data=data, clock=clock
        )
