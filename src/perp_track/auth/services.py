"""Users, passwords and API tokens."""

from __future__ import annotations

from datetime import datetime, timedelta

from perp_track import db
from perp_track.auth import rules
from perp_track.auth.rules import ROLE_ORGANISATION, ActingUser, Role
from perp_track.auth.tables import ApiToken, User
from perp_track.clock import Clock
from perp_track.errors import Conflict, Invalid, Unauthenticated
from perp_track.orgs.tables import Organisation


def acting(row: dict) -> ActingUser:
    return ActingUser(
        id=row["id"],
        email=row["email"],
        full_name=row["full_name"],
        role=Role(row["role"]),
        organisation_id=row["organisation"],
        language=row["language"],
    )


async def create_user(
    *,
    email: str,
    full_name: str,
    role: Role,
    organisation_id: int,
    password: str,
    clock: Clock,
    language: str = "fr",
    phone: str | None = None,
) -> ActingUser:
    problem = rules.password_problem(password)
    if problem:
        raise Invalid(problem)
    email = email.strip().lower()
    async with db.transaction():
        org = (
            await Organisation.select(Organisation.kind)
            .where(Organisation.id == organisation_id)
            .first()
        )
        if org is None:
            raise Invalid(f"organisation {organisation_id} does not exist")
        if org["kind"] != ROLE_ORGANISATION[role]:
            raise Invalid(f"a {role} belongs to a {ROLE_ORGANISATION[role]}, not a {org['kind']}")
        if await User.exists().where(User.email == email):
            raise Conflict(f"a user with the e-mail {email} already exists")
        user = User(
            email=email,
            full_name=full_name.strip(),
            role=role,
            organisation=organisation_id,
            password_hash=rules.hash_password(password),
            language=language,
            phone=phone,
            created_at=clock.now(),
        )
        await user.save()
    row = await User.select().where(User.id == user.id).first()
    assert row is not None
    return acting(row)


async def verify_credentials(*, email: str, password: str) -> ActingUser:
    """The active user with this e-mail and password; one error for all failures (no probing).

    Used by the API login (bearer tokens) and the web login (sessions) alike.
    """
    row = await User.select().where(User.email == email.strip().lower()).first()
    if row is None:
        rules.verify_password(rules.DUMMY_HASH, password)
        raise Unauthenticated("wrong e-mail address or password")
    if not rules.verify_password(row["password_hash"], password) or not row["active"]:
        raise Unauthenticated("wrong e-mail address or password")
    if rules.needs_rehash(row["password_hash"]):
        async with db.transaction():
            await User.update({User.password_hash: rules.hash_password(password)}).where(
                User.id == row["id"]
            )
    return acting(row)


async def login(
    *, email: str, password: str, clock: Clock, ttl: timedelta
) -> tuple[str, datetime, ActingUser]:
    """Check the password and issue a bearer token."""
    user = await verify_credentials(email=email, password=password)
    now = clock.now()
    token = rules.new_token()
    async with db.transaction():
        await ApiToken.insert(
            ApiToken(
                user=user.id,
                token_hash=rules.token_digest(token),
                created_at=now,
                expires_at=now + ttl,
            )
        )
    return token, now + ttl, user


async def authenticate(*, token: str, clock: Clock) -> ActingUser:
    now = clock.now()
    row = (
        await ApiToken.select(
            ApiToken.id,
            ApiToken.expires_at,
            ApiToken.revoked_at,
            *ApiToken.user.all_columns(exclude=[ApiToken.user.password_hash]),
        )
        .where(ApiToken.token_hash == rules.token_digest(token))
        .first()
    )
    if row is None or row["revoked_at"] is not None or row["expires_at"] <= now:
        raise Unauthenticated("the token is unknown, revoked or expired; log in again")
    if not row["user.active"]:
        raise Unauthenticated("this account is disabled")
    return acting(
        {key.removeprefix("user."): value for key, value in row.items()} | {"id": row["user.id"]}
    )


async def revoke_token(*, token: str, clock: Clock) -> None:
    await ApiToken.update({ApiToken.revoked_at: clock.now()}).where(
        (ApiToken.token_hash == rules.token_digest(token)) & ApiToken.revoked_at.is_null()
    )
