from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.evaluations import services, views, wording
from perp_track.evaluations.rules import Action
from perp_track.evaluations.schemas import (
    EvaluationChange,
    EvaluationCreate,
    EvaluationRead,
    ResultsRead,
)
from perp_track.web import requires


class EvaluationController(Controller):
    path = "/api/evaluations"
    tags = ["evaluations"]
    guards = [requires(Role.SUPERVISOR, Role.ADMIN)]

    @get("/", summary="The reminder evaluations of my justice house, newest first")
    async def list_evaluations(
        self, actor: NamedDependency[ActingUser], clock: NamedDependency[Clock]
    ) -> list[EvaluationRead]:
        return await services.list_evaluations(actor=actor, clock=clock)

    @get("/wordings", summary="The reminder wordings an arm may use")
    async def wordings(self) -> list[str]:
        return wording.available()

    @post("/", summary="Start a reminder evaluation: two to six arms, shares adding up to 100")
    async def create_evaluation(
        self,
        data: JSONBody[EvaluationCreate],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> EvaluationRead:
        return await services.create_evaluation(actor=actor, data=data, clock=clock)

    @get("/{evaluation_id:int}", summary="An evaluation, its arms and how many are in each")
    async def read_evaluation(
        self,
        evaluation_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> EvaluationRead:
        return await services.read_evaluation(actor=actor, evaluation_id=evaluation_id, clock=clock)

    @get(
        "/{evaluation_id:int}/results",
        summary="Attendance per arm and measure type, with 95 % intervals and differences",
    )
    async def results(
        self,
        evaluation_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> ResultsRead:
        return await views.evaluation_results(actor=actor, evaluation_id=evaluation_id, clock=clock)

    async def _change(
        self,
        evaluation_id: int,
        action: Action,
        data: EvaluationChange,
        actor: ActingUser,
        clock: Clock,
    ) -> EvaluationRead:
        return await services.change_evaluation(
            actor=actor, evaluation_id=evaluation_id, action=action, data=data, clock=clock
        )

    @post("/{evaluation_id:int}/pause", status_code=HTTP_200_OK, summary="Assign nobody new")
    async def pause(
        self,
        evaluation_id: FromPath[int],
        data: JSONBody[EvaluationChange],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> EvaluationRead:
        return await self._change(evaluation_id, Action.PAUSE, data, actor, clock)

    @post("/{evaluation_id:int}/resume", status_code=HTTP_200_OK, summary="Assign again")
    async def resume(
        self,
        evaluation_id: FromPath[int],
        data: JSONBody[EvaluationChange],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> EvaluationRead:
        return await self._change(evaluation_id, Action.RESUME, data, actor, clock)

    @post(
        "/{evaluation_id:int}/end",
        status_code=HTTP_200_OK,
        summary="End it for good: nobody new, new summons get the usual reminders",
    )
    async def end(
        self,
        evaluation_id: FromPath[int],
        data: JSONBody[EvaluationChange],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> EvaluationRead:
        return await self._change(evaluation_id, Action.END, data, actor, clock)
