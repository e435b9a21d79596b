from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.summons.programme import roll_call
from perp_track.summons.programme import services as programme
from perp_track.summons.programme import views as programme_views
from perp_track.summons.programme.schemas import (
    AttendanceCorrectionIn,
    InterruptionIn,
    ReferralRead,
    RollCallIn,
    SessionCancelIn,
    SessionCreate,
    SessionRead,
)
from perp_track.web import requires


class ProgrammeController(Controller):
    """Programme staff only: their own referrals and sessions; no victim data anywhere."""

    path = "/api/programme"
    tags = ["programme"]
    guards = [requires(Role.PROGRAMME_STAFF)]

    @get("/referrals", summary="People referred to my organisation's programme, with progress")
    async def referrals(self, actor: NamedDependency[ActingUser]) -> list[ReferralRead]:
        return await programme_views.list_referrals(actor=actor)

    @post(
        "/referrals/{condition_id:int}/interruption",
        status_code=HTTP_200_OK,
        summary="Report a refusal, drop-out or exclusion (the justice assistant and police hear)",
    )
    async def interruption(
        self,
        condition_id: FromPath[int],
        data: JSONBody[InterruptionIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> ReferralRead:
        return await programme.report_interruption(
            actor=actor, condition_id=condition_id, data=data, clock=clock
        )

    @get("/sessions", summary="My organisation's sessions (from/before filter on the start)")
    async def sessions(
        self,
        actor: NamedDependency[ActingUser],
        starts_from: Annotated[datetime | None, QueryParameter(name="from")] = None,
        starts_before: Annotated[datetime | None, QueryParameter(name="before")] = None,
    ) -> list[SessionRead]:
        return await programme_views.list_sessions(
            actor=actor, starts_from=starts_from, starts_before=starts_before
        )

    @get(
        "/sessions/roll-call-due",
        summary="Sessions held over ATTENDANCE_GRACE_HOURS ago whose roll-call is not saved",
    )
    async def roll_call_due(
        self,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> list[SessionRead]:
        return await programme_views.roll_calls_due(
            actor=actor, now=clock.now(), grace_hours=settings.attendance_grace_hours
        )

    @post("/sessions", summary="Schedule a session for a group of referrals")
    async def schedule(
        self,
        data: JSONBody[SessionCreate],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> SessionRead:
        return await programme.schedule_session(actor=actor, data=data, clock=clock)

    @get("/sessions/{session_id:int}", summary="A session and its participants")
    async def read(
        self, session_id: FromPath[int], actor: NamedDependency[ActingUser]
    ) -> SessionRead:
        return await programme_views.read_session(actor=actor, session_id=session_id)

    @post(
        "/sessions/{session_id:int}/roll-call",
        status_code=HTTP_200_OK,
        summary="Save the roll-call: every participant, in one save, once the session began",
    )
    async def roll_call(
        self,
        session_id: FromPath[int],
        data: JSONBody[RollCallIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> SessionRead:
        return await roll_call.save_roll_call(
            actor=actor,
            session_id=session_id,
            data=data,
            clock=clock,
            absence_threshold=settings.programme_absence_threshold,
        )

    @post(
        "/sessions/{session_id:int}/corrections",
        status_code=HTTP_200_OK,
        summary="Correct one participant's attendance: a new record; nothing is overwritten",
    )
    async def correct(
        self,
        session_id: FromPath[int],
        data: JSONBody[AttendanceCorrectionIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> SessionRead:
        return await roll_call.correct_attendance(
            actor=actor,
            session_id=session_id,
            data=data,
            clock=clock,
            absence_threshold=settings.programme_absence_threshold,
        )

    @post(
        "/sessions/{session_id:int}/cancel",
        status_code=HTTP_200_OK,
        summary="Cancel a session that has not started",
    )
    async def cancel(
        self,
        session_id: FromPath[int],
        data: JSONBody[SessionCancelIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> SessionRead:
        return await programme.cancel_session(
            actor=actor, session_id=session_id, data=data, clock=clock
        )
