from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE

from perp_track import db
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.jobs.services import job_status


class HealthController(Controller):
    tags = ["health"]

    @get("/health", summary="The process is alive")
    async def health(self) -> dict[str, str]:
        return {"status": "ok"}

    @get("/ready", summary="The database answers; the jobs' last success and staleness")
    async def ready(
        self, clock: NamedDependency[Clock], settings: NamedDependency[Settings]
    ) -> Response[dict[str, Any]]:
        if not await db.ping():
            return Response(
                {"status": "not ready", "database": "unreachable"},
                status_code=HTTP_503_SERVICE_UNAVAILABLE,
            )
        from perp_track.scheduler import all_jobs

        # Readiness is about this process taking traffic; a stale job is reported, not fatal
        # (web replicas may run with SCHEDULER=off while a worker runs the jobs).
        jobs = [
            {k: s[k] for k in ("name", "last_ok_at", "last_outcome", "stale")}
            for s in await job_status(all_jobs(settings), clock.now())
        ]
        return Response(
            {"status": "ready", "database": "ok", "scheduler": settings.scheduler, "jobs": jobs},
            status_code=HTTP_200_OK,
        )
