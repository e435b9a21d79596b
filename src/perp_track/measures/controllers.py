from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK
from pydantic import BaseModel

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.measures import rules, services
from perp_track.measures.rules import MeasureEvent, MeasureStatus
from perp_track.measures.schemas import MeasureRead, MeasureTransitionIn
from perp_track.web import requires


class TransitionRow(BaseModel):
    source: MeasureStatus
    event: MeasureEvent
    target: MeasureStatus
    who: list[rules.Actor]


class MeasureController(Controller):
    path = "/api/measures"
    tags = ["measures"]
    guards = [requires(Role.JUSTICE_ASSISTANT, Role.SUPERVISOR)]

    @get("/transitions", summary="The measure lifecycle: every allowed (state, event) → state")
    async def transitions(self) -> list[TransitionRow]:
        return [
            TransitionRow(source=t.source, event=t.event, target=t.target, who=sorted(t.who))
            for t in rules.TRANSITIONS
        ]

    @get("/{measure_id:int}", summary="A measure with its conditions")
    async def read_measure(
        self, measure_id: FromPath[int], actor: NamedDependency[ActingUser]
    ) -> MeasureRead:
        return await services.read_measure(actor=actor, measure_id=measure_id)

    @post(
        "/{measure_id:int}/transitions",
        status_code=HTTP_200_OK,
        summary="Move a measure along its lifecycle (409 lists what is allowed)",
    )
    async def transition(
        self,
        measure_id: FromPath[int],
        data: JSONBody[MeasureTransitionIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> MeasureRead:
        return await services.transition_measure(
            actor=actor, measure_id=measure_id, data=data, clock=clock
        )
