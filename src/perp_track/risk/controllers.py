from __future__ import annotations

from litestar import Controller, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.risk import loop, services
from perp_track.risk.rules import AlertStep
from perp_track.risk.schemas import (
    AlertAcknowledge,
    AlertDone,
    AlertRead,
    ReassessmentCreate,
    RiskHistoryRead,
    RiskPolicyRead,
    RiskPolicyUpdate,
    TierCreate,
    TierRename,
)
from perp_track.web import requires

_STAFF = (Role.JUSTICE_ASSISTANT, Role.SUPERVISOR, Role.ADMIN)


class RiskPolicyController(Controller):
    path = "/api/risk/policy"
    tags = ["risk"]

    @get("/", summary="What each risk tier sets", guards=[requires(*_STAFF)])
    async def policy(self) -> RiskPolicyRead:
        return await services.read_policy()

    @put(
        "/",
        summary="Replace the risk policy (every tier once; audited)",
        guards=[requires(Role.SUPERVISOR, Role.ADMIN)],
    )
    async def update(
        self,
        data: JSONBody[RiskPolicyUpdate],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> RiskPolicyRead:
        await services.update_policy(actor=actor, data=data, clock=clock)
        return await services.read_policy()

    @post(
        "/tiers",
        summary="Add a risk tier: its code, rank, names and what it sets (audited)",
        guards=[requires(Role.SUPERVISOR, Role.ADMIN)],
    )
    async def add_tier(
        self,
        data: JSONBody[TierCreate],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> RiskPolicyRead:
        await services.add_tier(actor=actor, data=data, clock=clock)
        return await services.read_policy()

    @patch(
        "/tiers/{tier:str}",
        summary="Rename a risk tier in every language (its code stays; audited)",
        guards=[requires(Role.SUPERVISOR, Role.ADMIN)],
    )
    async def rename_tier(
        self,
        tier: FromPath[str],
        data: JSONBody[TierRename],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> RiskPolicyRead:
        await services.rename_tier(actor=actor, tier=tier, data=data, clock=clock)
        return await services.read_policy()

    @delete(
        "/tiers/{tier:str}",
        summary="Remove a risk tier no case, assessment or open alert uses (audited)",
        guards=[requires(Role.SUPERVISOR, Role.ADMIN)],
        status_code=HTTP_200_OK,
    )
    async def remove_tier(
        self,
        tier: FromPath[str],
        version: FromQuery[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> RiskPolicyRead:
        await services.remove_tier(actor=actor, tier=tier, version=version, clock=clock)
        return await services.read_policy()


class CaseRiskController(Controller):
    path = "/api/cases/{case_id:int}/risk"
    tags = ["risk"]
    guards = [requires(*_STAFF)]

    @get("/", summary="The case's risk level, its history and the reassessment deadline")
    async def history(
        self, case_id: FromPath[int], actor: NamedDependency[ActingUser]
    ) -> RiskHistoryRead:
        return await services.risk_history(actor=actor, case_id=case_id)

    @post("/", summary="Reassess the risk (up at once, down only with a reason)")
    async def reassess(
        self,
        case_id: FromPath[int],
        data: JSONBody[ReassessmentCreate],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> RiskHistoryRead:
        await services.reassess(
            actor=actor,
            case_id=case_id,
            level=data.level,
            reason=data.reason,
            version=data.version,
            clock=clock,
        )
        return await services.risk_history(actor=actor, case_id=case_id)


class RiskAlertController(Controller):
    path = "/api/risk/alerts"
    tags = ["risk"]
    guards = [
        requires(
            Role.POLICE_OFFICER,
            Role.SAPV_CONTACT,
            Role.JUSTICE_ASSISTANT,
            Role.SUPERVISOR,
            Role.ADMIN,
        )
    ]

    @get("/", summary="My police alerts / safety checks (open ones unless include_done=true)")
    async def alerts(
        self,
        actor: NamedDependency[ActingUser],
        include_done: FromQuery[bool] = False,
    ) -> list[AlertRead]:
        return await loop.list_alerts(actor=actor, open_only=not include_done)

    @get("/{alert_id:int}", summary="One alert")
    async def alert(self, alert_id: FromPath[int], actor: NamedDependency[ActingUser]) -> AlertRead:
        return await loop.read_alert(actor=actor, alert_id=alert_id)

    @post("/{alert_id:int}/acknowledge", summary="I have seen it", status_code=HTTP_200_OK)
    async def acknowledge(
        self,
        alert_id: FromPath[int],
        data: JSONBody[AlertAcknowledge],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> AlertRead:
        await loop.step_alert(
            actor=actor,
            alert_id=alert_id,
            step=AlertStep.ACKNOWLEDGE,
            version=data.version,
            clock=clock,
        )
        return await loop.read_alert(actor=actor, alert_id=alert_id)

    @post("/{alert_id:int}/done", summary="Done, with its outcome", status_code=HTTP_200_OK)
    async def done(
        self,
        alert_id: FromPath[int],
        data: JSONBody[AlertDone],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> AlertRead:
        await loop.step_alert(
            actor=actor,
            alert_id=alert_id,
            step=AlertStep.DONE,
            version=data.version,
            clock=clock,
            outcome=data.outcome,
            note=data.note,
        )
        return await loop.read_alert(actor=actor, alert_id=alert_id)
