from __future__ import annotations

from litestar import Controller, Response, get
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE

from perp_track import db


class HealthController(Controller):
    tags = ["health"]

    @get("/health", summary="The process is alive")
    async def health(self) -> dict[str, str]:
        return {"status": "ok"}

    @get("/ready", summary="The database answers")
    async def ready(self) -> Response[dict[str, str]]:
        if await db.ping():
            return Response({"status": "ready", "database": "ok"}, status_code=HTTP_200_OK)
        return Response(
            {"status": "not ready", "database": "unreachable"},
            status_code=HTTP_503_SERVICE_UNAVAILABLE,
        )
