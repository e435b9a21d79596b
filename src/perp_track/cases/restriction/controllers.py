from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from perp_track.auth.rules import ActingUser, Role
from perp_track.cases.restriction import services
from perp_track.cases.restriction.schemas import (
    NameIn,
    RestrictIn,
    RestrictionRead,
    UnrestrictIn,
)
from perp_track.clock import Clock
from perp_track.web import requires

_MANAGERS = requires(Role.SUPERVISOR, Role.ADMIN)


class RestrictionController(Controller):
    """A restricted case: seen only by the users named on it. 404 for anyone else."""

    path = "/api/cases/{case_id:int}/restriction"
    tags = ["cases"]
    guards = [requires(Role.JUSTICE_ASSISTANT, Role.SUPERVISOR, Role.ADMIN)]

    @get("/", summary="Whether the case is restricted, why, and who may see it")
    async def read(
        self, case_id: FromPath[int], actor: NamedDependency[ActingUser]
    ) -> RestrictionRead:
        return await services.read_restriction(actor=actor, case_id=case_id)

    @post("/", summary="Restrict the case to a named list", guards=[_MANAGERS])
    async def restrict(
        self,
        case_id: FromPath[int],
        data: JSONBody[RestrictIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> RestrictionRead:
        return await services.restrict(actor=actor, case_id=case_id, data=data, clock=clock)

    @post("/lift", summary="Lift the restriction", guards=[_MANAGERS])
    async def lift(
        self,
        case_id: FromPath[int],
        data: JSONBody[UnrestrictIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> RestrictionRead:
        return await services.lift(actor=actor, case_id=case_id, data=data, clock=clock)

    @post("/users", summary="Name another user on the restricted case", guards=[_MANAGERS])
    async def name_user(
        self,
        case_id: FromPath[int],
        data: JSONBody[NameIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> RestrictionRead:
        return await services.name_user(actor=actor, case_id=case_id, data=data, clock=clock)

    @post("/users/remove", summary="Take a user off the restricted case", guards=[_MANAGERS])
    async def remove_user(
        self,
        case_id: FromPath[int],
        data: JSONBody[NameIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> RestrictionRead:
        return await services.remove_user(actor=actor, case_id=case_id, data=data, clock=clock)
