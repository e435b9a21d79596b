from __future__ import annotations

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from pydantic import BaseModel

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.measures import conditions, reports, rules, services
from perp_track.measures.condition_rules import CONDITION_TRANSITIONS, ConditionEvent
from perp_track.measures.policy import measure_policy
from perp_track.measures.rules import ConditionStatus, MeasureEvent, MeasureKind, MeasureStatus
from perp_track.measures.schemas import (
    AuthorityReportIn,
    AuthorityReportRead,
    ConditionAdd,
    ConditionHoursIn,
    ConditionTransitionIn,
    MeasureRead,
    MeasureTransitionIn,
    MeasureUpdate,
)
from perp_track.web import requires

STAFF = (Role.JUSTICE_ASSISTANT, Role.SUPERVISOR)


class TransitionRow(BaseModel):
    source: MeasureStatus
    event: MeasureEvent
    target: MeasureStatus
    who: list[rules.Actor]
    kinds: list[MeasureKind]


class ConditionTransitionRow(BaseModel):
    source: ConditionStatus
    event: ConditionEvent
    target: ConditionStatus
    who: list[rules.Actor]


class MeasureController(Controller):
    path = "/api/measures"
    tags = ["measures"]
    guards = [requires(*STAFF)]

    @get("/transitions", summary="The measure lifecycle: every allowed (state, event) → state")
    async def transitions(self) -> list[TransitionRow]:
        return [
            TransitionRow(
                source=t.source,
                event=t.event,
                target=t.target,
                who=sorted(t.who),
                kinds=sorted(t.kinds),
            )
            for t in rules.TRANSITIONS
        ]

    @get("/condition-transitions", summary="The condition lifecycle, with who may trigger each")
    async def condition_transitions(self) -> list[ConditionTransitionRow]:
        return [
            ConditionTransitionRow(
                source=t.source, event=t.event, target=t.target, who=sorted(t.who)
            )
            for t in CONDITION_TRANSITIONS
        ]

    @get("/{measure_id:int}", summary="A measure with its conditions")
    async def read_measure(
        self, measure_id: FromPath[int], actor: NamedDependency[ActingUser]
    ) -> MeasureRead:
        return await services.read_measure(actor=actor, measure_id=measure_id)

    @patch("/{measure_id:int}", summary="Change the notes or the next hearing date (send version)")
    async def update_measure(
        self,
        measure_id: FromPath[int],
        data: JSONBody[MeasureUpdate],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> MeasureRead:
        return await services.update_measure(
            actor=actor, measure_id=measure_id, data=data, clock=clock
        )

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
        settings: NamedDependency[Settings],
    ) -> MeasureRead:
        return await services.transition_measure(
            actor=actor,
            measure_id=measure_id,
            data=data,
            clock=clock,
            policy=measure_policy(settings),
        )

    @post(
        "/{measure_id:int}/conditions",
        status_code=HTTP_201_CREATED,
        summary="Add a condition to a running measure",
    )
    async def add_condition(
        self,
        measure_id: FromPath[int],
        data: JSONBody[ConditionAdd],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> MeasureRead:
        return await conditions.add_condition(
            actor=actor,
            measure_id=measure_id,
            data=data.condition,
            version=data.version,
            clock=clock,
        )

    @get("/{measure_id:int}/reports", summary="Reports sent to the mandating authority")
    async def list_reports(
        self, measure_id: FromPath[int], actor: NamedDependency[ActingUser]
    ) -> list[AuthorityReportRead]:
        return await reports.list_reports(actor=actor, measure_id=measure_id)

    @post(
        "/{measure_id:int}/reports",
        status_code=HTTP_201_CREATED,
        summary="Record a report sent to the authority; the next one becomes due",
    )
    async def record_report(
        self,
        measure_id: FromPath[int],
        data: JSONBody[AuthorityReportIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> AuthorityReportRead:
        return await reports.record_report(
            actor=actor, measure_id=measure_id, data=data, clock=clock, settings=settings
        )


class ConditionController(Controller):
    path = "/api/conditions"
    tags = ["measures"]
    guards = [requires(*STAFF)]

    @post(
        "/{condition_id:int}/transitions",
        status_code=HTTP_200_OK,
        summary="Move a condition along its lifecycle; a ban breach tells the police at once",
    )
    async def transition(
        self,
        condition_id: FromPath[int],
        data: JSONBody[ConditionTransitionIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> MeasureRead:
        return await conditions.transition_condition(
            actor=actor, condition_id=condition_id, data=data, clock=clock
        )

    @post(
        "/{condition_id:int}/hours",
        status_code=HTTP_200_OK,
        summary="Community service hours done; all hours due meet the condition",
    )
    async def record_hours(
        self,
        condition_id: FromPath[int],
        data: JSONBody[ConditionHoursIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> MeasureRead:
        return await conditions.record_hours(
            actor=actor, condition_id=condition_id, data=data, clock=clock
        )
