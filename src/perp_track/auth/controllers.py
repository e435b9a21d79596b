from __future__ import annotations

from datetime import timedelta

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from perp_track.auth import services
from perp_track.auth.rules import ActingUser, Role
from perp_track.auth.schemas import LoginIn, MeOut, TokenOut
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.web import requires

ANY_ROLE = tuple(Role)


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @post("/login", status_code=HTTP_200_OK, summary="Log in and get a bearer token")
    async def login(
        self,
        data: JSONBody[LoginIn],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> TokenOut:
        token, expires_at, user = await services.login(
            email=data.email,
            password=data.password,
            clock=clock,
            ttl=timedelta(hours=settings.token_ttl_hours),
        )
        return TokenOut(token=token, expires_at=expires_at, user_id=user.id, role=user.role)

    @post(
        "/logout",
        status_code=HTTP_204_NO_CONTENT,
        guards=[requires(*ANY_ROLE)],
        summary="Revoke the token of this request",
    )
    async def logout(self, request: Request, clock: NamedDependency[Clock]) -> None:
        await services.revoke_token(token=str(request.auth), clock=clock)

    @get("/me", guards=[requires(*ANY_ROLE)], summary="Who am I")
    async def me(self, actor: NamedDependency[ActingUser]) -> MeOut:
        return MeOut(
            id=actor.id,
            email=actor.email,
            full_name=actor.full_name,
            role=actor.role,
            organisation_id=actor.organisation_id,
            language=actor.language,
        )
