from __future__ import annotations

from typing import Any

from litestar import Controller, get
from litestar.di import NamedDependency

from perp_track.auth.rules import Role
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.jobs.services import job_status
from perp_track.web import requires


class JobsController(Controller):
    path = "/api/admin/jobs"
    tags = ["admin"]
    guards = [requires(Role.ADMIN, Role.SUPERVISOR)]

    @get("/", summary="Every scheduled job: last run, outcome, and whether it is overdue")
    async def list_jobs(
        self, clock: NamedDependency[Clock], settings: NamedDependency[Settings]
    ) -> list[dict[str, Any]]:
        from perp_track.scheduler import all_jobs

        return await job_status(all_jobs(settings), clock.now())
