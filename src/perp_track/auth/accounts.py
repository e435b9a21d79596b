"""What a user does with their own credentials, and what an administrator does to an account:
list and revoke tokens, enrol a TOTP second factor, disable an account."""

from __future__ import annotations

from datetime import datetime

from perp_track import db
from perp_track.audit import services as audit
from perp_track.audit.rules import Action
from perp_track.auth import rules
from perp_track.auth.errors import AuthError
from perp_track.auth.rules import ActingUser, Role
from perp_track.auth.schemas import TokenRead, TotpEnrolment, UserStatus
from perp_track.auth.tables import ApiToken, TotpFactor, User
from perp_track.clock import Clock
from perp_track.errors import Conflict, Forbidden, Invalid, NotFound


async def list_tokens(*, actor: ActingUser, current_token: str, clock: Clock) -> list[TokenRead]:
    """The actor's tokens still usable, newest first; the one of this request is marked."""
    now = clock.now()
    current = rules.token_digest(current_token)
    rows = (
        await ApiToken.select(
            ApiToken.id,
            ApiToken.token_hash,
            ApiToken.created_at,
            ApiToken.expires_at,
            ApiToken.last_used_at,
        )
        .where(
            (ApiToken.user == actor.id)
            & ApiToken.revoked_at.is_null()
            & (ApiToken.expires_at > now)
        )
        .order_by(ApiToken.id, ascending=False)
    )
    return [
        TokenRead(
            id=r["id"],
            created_at=r["created_at"],
            expires_at=r["expires_at"],
            last_used_at=r["last_used_at"],
            current=r["token_hash"] == current,
        )
        for r in rows
    ]


async def revoke_own_token(*, actor: ActingUser, token_id: int, clock: Clock) -> None:
    now = clock.now()
    async with db.transaction():
        revoked = (
            await ApiToken.update({ApiToken.revoked_at: now})
            .where(
                (ApiToken.id == token_id)
                & (ApiToken.user == actor.id)
                & ApiToken.revoked_at.is_null()
            )
            .returning(ApiToken.id)
        )
        if not revoked:
            raise NotFound(AuthError.TOKEN_NOT_FOUND, token_id=token_id)
        await audit.append(
            actor=actor,
            action=Action.SECURITY,
            record_type="api_token",
            record_id=token_id,
            now=now,
            detail="token revoked by its owner",
        )


async def revoke_other_tokens(*, actor: ActingUser, current_token: str, clock: Clock) -> int:
    """Log out everywhere else; this request's token stays."""
    now = clock.now()
    async with db.transaction():
        revoked = (
            await ApiToken.update({ApiToken.revoked_at: now})
            .where(
                (ApiToken.user == actor.id)
                & ApiToken.revoked_at.is_null()
                & (ApiToken.token_hash != rules.token_digest(current_token))
            )
            .returning(ApiToken.id)
        )
        await audit.append(
            actor=actor,
            action=Action.SECURITY,
            record_type="api_token",
            now=now,
            detail=f"{len(revoked)} other tokens revoked by their owner",
        )
    return len(revoked)


async def _scoped_user(actor: ActingUser, user_id: int) -> dict:
    """An administrator manages every account; a supervisor those of their own organisation."""
    row = (
        await User.select(User.id, User.organisation, User.active, User.role)
        .where(User.id == user_id)
        .first()
    )
    if row is None or (
        actor.role is not Role.ADMIN and row["organisation"] != actor.organisation_id
    ):
        raise NotFound(AuthError.USER_NOT_FOUND, user_id=user_id)
    if actor.role not in {Role.ADMIN, Role.SUPERVISOR}:
        raise Forbidden(AuthError.MANAGES_NO_ACCOUNTS)
    return row


async def set_active(*, actor: ActingUser, user_id: int, active: bool, clock: Clock) -> UserStatus:
    """Disable (every token ends at once) or enable an account. Nobody disables themselves."""
    now = clock.now()
    if user_id == actor.id:
        raise Invalid(AuthError.OWN_ACCOUNT)
    async with db.transaction():
        row = await _scoped_user(actor, user_id)
        if actor.role is Role.SUPERVISOR and row["role"] == Role.ADMIN:
            raise Forbidden(AuthError.ADMIN_ACCOUNT)
        await User.update({User.active: active}).where(User.id == user_id)
        ended = 0
        if not active:
            ended = len(
                await ApiToken.update({ApiToken.revoked_at: now})
                .where((ApiToken.user == user_id) & ApiToken.revoked_at.is_null())
                .returning(ApiToken.id)
            )
        await audit.append(
            actor=actor,
            action=Action.SECURITY,
            record_type="user",
            record_id=user_id,
            fields=["active"],
            now=now,
            detail=("account enabled" if active else f"account disabled, {ended} tokens ended"),
        )
    return UserStatus(id=user_id, active=active, tokens_revoked=ended)


async def enrol_totp(
    *, actor: ActingUser, issuer: str, secret_key: str, clock: Clock
) -> TotpEnrolment:
    """A new secret to put in an authenticator app; it counts once a code confirms it."""
    now = clock.now()
    secret = rules.new_totp_secret()
    sealed = rules.seal_totp_secret(secret, secret_key)
    async with db.transaction():
        existing = await TotpFactor.select().where(TotpFactor.user == actor.id).first()
        if existing and existing["confirmed_at"] is not None:
            raise Conflict(AuthError.SECOND_FACTOR_ACTIVE)
        if existing:
            await TotpFactor.update(
                {TotpFactor.secret: sealed, TotpFactor.created_at: now, TotpFactor.last_step: None}
            ).where(TotpFactor.id == existing["id"])
        else:
            await TotpFactor.insert(TotpFactor(user=actor.id, secret=sealed, created_at=now))
        await audit.append(
            actor=actor,
            action=Action.SECURITY,
            record_type="totp_factor",
            record_id=actor.id,
            now=now,
            detail="second factor enrolment started",
        )
    return TotpEnrolment(
        secret=secret, otpauth_uri=rules.totp_uri(secret, email=actor.email, issuer=issuer)
    )


def _check(factor: dict, code: str, secret_key: str, now: datetime) -> int | None:
    secret = rules.open_totp_secret(factor["secret"], secret_key)
    if secret is None:
        raise Conflict(AuthError.SECOND_FACTOR_UNREADABLE)
    return rules.totp_match(secret, code, at=now, last_step=factor["last_step"])


async def confirm_totp(*, actor: ActingUser, code: str, secret_key: str, clock: Clock) -> None:
    now = clock.now()
    async with db.transaction():
        factor = await TotpFactor.select().where(TotpFactor.user == actor.id).first()
        if factor is None:
            raise Conflict(AuthError.ENROLMENT_NOT_STARTED)
        if factor["confirmed_at"] is not None:
            raise Conflict(AuthError.ENROLMENT_DONE)
        step = _check(factor, code, secret_key, now)
        if step is None:
            raise Invalid(AuthError.WRONG_ENROLMENT_CODE)
        await TotpFactor.update({TotpFactor.confirmed_at: now, TotpFactor.last_step: step}).where(
            TotpFactor.id == factor["id"]
        )
        await audit.append(
            actor=actor,
            action=Action.SECURITY,
            record_type="totp_factor",
            record_id=actor.id,
            now=now,
            detail="second factor confirmed",
        )


async def remove_totp(*, actor: ActingUser, code: str, secret_key: str, clock: Clock) -> None:
    """Only with a valid current code: a stolen token alone cannot strip the second factor."""
    now = clock.now()
    async with db.transaction():
        factor = await TotpFactor.select().where(TotpFactor.user == actor.id).first()
        if factor is None or factor["confirmed_at"] is None:
            raise NotFound(AuthError.NO_SECOND_FACTOR)
        if _check(factor, code, secret_key, now) is None:
            raise Invalid(AuthError.WRONG_SECOND_FACTOR)
        await TotpFactor.delete().where(TotpFactor.id == factor["id"])
        await audit.append(
            actor=actor,
            action=Action.SECURITY,
            record_type="totp_factor",
            record_id=actor.id,
            now=now,
            detail="second factor removed",
        )


async def reset_totp(*, actor: ActingUser, user_id: int, clock: Clock) -> None:
    """A lost phone: an administrator (or the user's supervisor) removes the second factor;
    the user enrols again at the next login. Their tokens end too."""
    now = clock.now()
    async with db.transaction():
        row = await _scoped_user(actor, user_id)
        if actor.role is Role.SUPERVISOR and row["role"] == Role.ADMIN:
            raise Forbidden(AuthError.ADMIN_ACCOUNT)
        removed = (
            await TotpFactor.delete().where(TotpFactor.user == user_id).returning(TotpFactor.id)
        )
        if not removed:
            raise NotFound(AuthError.ACCOUNT_HAS_NO_SECOND_FACTOR)
        await ApiToken.update({ApiToken.revoked_at: now}).where(
            (ApiToken.user == user_id) & ApiToken.revoked_at.is_null()
        )
        await audit.append(
            actor=actor,
            action=Action.SECURITY,
            record_type="totp_factor",
            record_id=user_id,
            now=now,
            detail="second factor reset by an administrator; tokens ended",
        )
