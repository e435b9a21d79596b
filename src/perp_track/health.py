from __future__ import annotations

import asyncio
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
        # A database that does not answer at all (packets dropped) must not make this hang:
        # the whole check has READY_TIMEOUT_SECONDS, then it answers 503.
        budget = settings.ready_timeout_seconds
        started = asyncio.get_running_loop().time()
        unreachable = Response(
            {"status": "not ready", "database": "unreachable"},
            status_code=HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        )
        if not await db.ping(budget):
            return unreachable
        from perp_track.scheduler import all_jobs

        # Readiness is about this process taking traffic; a stale job is reported, not fatal
        # (web replicas may run with SCHEDULER=off while a worker runs the jobs).
        left = max(0.05, budget - (asyncio.get_running_loop().time() - started))
        try:
            status = await db.answer_within(job_status(all_jobs(settings), clock.now()), left)
        except Exception:
            return unreachable
        jobs = [{k: s[k] for k in ("name", "last_ok_at", "last_outcome", "stale")} for s in status]
        return Response(
            {"status": "ready", "database": "ok", "scheduler": settings.scheduler, "jobs": jobs},
            status_code=HTTP_200_OK,
        )
