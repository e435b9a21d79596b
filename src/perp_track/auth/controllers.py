from __future__ import annotations

from datetime import timedelta

from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from perp_track.auth import accounts, services
from perp_track.auth.rules import ActingUser, Role
from perp_track.auth.schemas import (
    LoginIn,
    MeOut,
    RevokedCount,
    TokenOut,
    TokenRead,
    TotpCodeIn,
    TotpEnrolment,
    UserStatus,
)
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
        request: Request,
        data: JSONBody[LoginIn],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> TokenOut:
        token, expires_at, user = await services.login(
            email=data.email,
            password=data.password,
            totp_code=data.totp_code,
            client=request.client.host if request.client else None,
            clock=clock,
            ttl=timedelta(hours=settings.token_ttl_hours),
            max_failures=settings.login_max_failures,
            lockout=timedelta(minutes=settings.login_lockout_minutes),
            secret_key=settings.secret_key,
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

    @get("/tokens", guards=[requires(*ANY_ROLE)], summary="My tokens that still work")
    async def list_tokens(
        self, request: Request, actor: NamedDependency[ActingUser], clock: NamedDependency[Clock]
    ) -> list[TokenRead]:
        return await accounts.list_tokens(actor=actor, current_token=str(request.auth), clock=clock)

    @delete(
        "/tokens/{token_id:int}",
        guards=[requires(*ANY_ROLE)],
        summary="Revoke one of my tokens",
    )
    async def revoke_token(
        self,
        token_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> None:
        await accounts.revoke_own_token(actor=actor, token_id=token_id, clock=clock)

    @post(
        "/tokens/revoke-others",
        status_code=HTTP_200_OK,
        guards=[requires(*ANY_ROLE)],
        summary="Log out everywhere else: revoke all my tokens but this one",
    )
    async def revoke_others(
        self, request: Request, actor: NamedDependency[ActingUser], clock: NamedDependency[Clock]
    ) -> RevokedCount:
        count = await accounts.revoke_other_tokens(
            actor=actor, current_token=str(request.auth), clock=clock
        )
        return RevokedCount(revoked=count)

    @post(
        "/totp",
        guards=[requires(*ANY_ROLE)],
        summary="Start enrolling an authenticator app (TOTP second factor)",
    )
    async def enrol_totp(
        self,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> TotpEnrolment:
        return await accounts.enrol_totp(
            actor=actor, issuer=settings.totp_issuer, secret_key=settings.secret_key, clock=clock
        )

    @post(
        "/totp/confirm",
        status_code=HTTP_204_NO_CONTENT,
        guards=[requires(*ANY_ROLE)],
        summary="Confirm the enrolment with a first code; logins then ask for one",
    )
    async def confirm_totp(
        self,
        data: JSONBody[TotpCodeIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> None:
        await accounts.confirm_totp(
            actor=actor, code=data.code, secret_key=settings.secret_key, clock=clock
        )

    @post(
        "/totp/remove",
        status_code=HTTP_204_NO_CONTENT,
        guards=[requires(*ANY_ROLE)],
        summary="Remove the second factor (needs a current code)",
    )
    async def remove_totp(
        self,
        data: JSONBody[TotpCodeIn],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> None:
        await accounts.remove_totp(
            actor=actor, code=data.code, secret_key=settings.secret_key, clock=clock
        )


class UserController(Controller):
    path = "/api/users"
    tags = ["auth"]
    guards = [requires(Role.ADMIN, Role.SUPERVISOR)]

    @post(
        "/{user_id:int}/disable",
        status_code=HTTP_200_OK,
        summary="Disable an account: every one of its tokens ends at once",
    )
    async def disable(
        self,
        user_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> UserStatus:
        return await accounts.set_active(actor=actor, user_id=user_id, active=False, clock=clock)

    @post("/{user_id:int}/enable", status_code=HTTP_200_OK, summary="Enable an account again")
    async def enable(
        self,
        user_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> UserStatus:
        return await accounts.set_active(actor=actor, user_id=user_id, active=True, clock=clock)

    @post(
        "/{user_id:int}/totp/reset",
        status_code=HTTP_204_NO_CONTENT,
        summary="Remove an account's second factor (lost phone); its tokens end",
    )
    async def reset_totp(
        self,
        user_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> None:
        await accounts.reset_totp(actor=actor, user_id=user_id, clock=clock)
