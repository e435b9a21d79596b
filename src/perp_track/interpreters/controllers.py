from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.interpreters import services
from perp_track.interpreters.schemas import (
    InterpreterActive,
    InterpreterCreate,
    InterpreterRead,
    InterpreterUpdate,
)
from perp_track.web import requires

KEEPERS = requires(Role.SUPERVISOR, Role.ADMIN)


class InterpreterController(Controller):
    """The interpreter register of the actor's justice house."""

    path = "/api/interpreters"
    tags = ["interpreters"]
    guards = [requires(Role.JUSTICE_ASSISTANT, Role.SUPERVISOR, Role.ADMIN)]

    @get("/", summary="The register of my justice house, by language")
    async def list_interpreters(
        self,
        actor: NamedDependency[ActingUser],
        language: Annotated[
            str | None, QueryParameter(max_length=64, description="Only this language")
        ] = None,
        active: Annotated[bool, QueryParameter(description="Only those in service")] = False,
    ) -> list[InterpreterRead]:
        return await services.list_interpreters(actor=actor, language=language, active_only=active)

    @post("/", summary="Add an interpreter to the register", guards=[KEEPERS])
    async def add(
        self,
        data: JSONBody[InterpreterCreate],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> InterpreterRead:
        return await services.add_interpreter(actor=actor, data=data, clock=clock)

    @get("/{interpreter_id:int}", summary="One interpreter of the register")
    async def read(
        self, interpreter_id: FromPath[int], actor: NamedDependency[ActingUser]
    ) -> InterpreterRead:
        return await services.read_interpreter(actor=actor, interpreter_id=interpreter_id)

    @patch("/{interpreter_id:int}", summary="Change an interpreter's entry", guards=[KEEPERS])
    async def update(
        self,
        interpreter_id: FromPath[int],
        data: JSONBody[InterpreterUpdate],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> InterpreterRead:
        return await services.update_interpreter(
            actor=actor, interpreter_id=interpreter_id, data=data, clock=clock
        )

    @post(
        "/{interpreter_id:int}/active",
        status_code=HTTP_200_OK,
        summary="Take an interpreter out of service, or back",
        guards=[KEEPERS],
    )
    async def set_active(
        self,
        interpreter_id: FromPath[int],
        data: JSONBody[InterpreterActive],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> InterpreterRead:
        return await services.set_active(
            actor=actor, interpreter_id=interpreter_id, data=data, clock=clock
        )
