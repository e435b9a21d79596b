"""Users, passwords and API tokens."""

from __future__ import annotations

from datetime import datetime, timedelta

from perp_track import db
from perp_track.audit import services as audit
from perp_track.audit.rules import Action
from perp_track.auth import rules
from perp_track.auth.errors import AuthError
from perp_track.auth.rules import ROLE_ORGANISATION, ActingUser, LoginOutcome, Role
from perp_track.auth.tables import ApiToken, LoginAttempt, TotpFactor, User
from perp_track.clock import Clock, SystemClock
from perp_track.errors import Conflict, Invalid, TooManyAttempts, Unauthenticated
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
        raise Invalid(problem, min_length=rules.MIN_PASSWORD_LENGTH)
    email = email.strip().lower()
    async with db.transaction():
        org = (
            await Organisation.select(Organisation.kind)
            .where(Organisation.id == organisation_id)
            .first()
        )
        if org is None:
            raise Invalid(AuthError.ORGANISATION_NOT_FOUND, organisation_id=organisation_id)
        if org["kind"] != ROLE_ORGANISATION[role]:
            raise Invalid(
                AuthError.WRONG_ORGANISATION_KIND,
                role=role,
                expected=ROLE_ORGANISATION[role],
                kind=org["kind"],
            )
        if await User.exists().where(User.email == email):
            raise Conflict(AuthError.EMAIL_TAKEN, email=email)
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


async def _log_attempt(
    *,
    email: str,
    user_id: int | None,
    outcome: LoginOutcome,
    client: str | None,
    now: datetime,
) -> None:
    async with db.transaction():
        await LoginAttempt.insert(
            LoginAttempt(
                email=email[:254],
                user=user_id,
                succeeded=outcome is LoginOutcome.OK,
                outcome=outcome,
                client=(client or "")[:64] or None,
                attempted_at=now,
            )
        )


async def _lock_ends(
    *, email: str, client: str | None, now: datetime, max_failures: int, window: timedelta
) -> datetime | None:
    since = now - window
    rows = await LoginAttempt.select(LoginAttempt.attempted_at, LoginAttempt.outcome).where(
        (LoginAttempt.email == email) & (LoginAttempt.attempted_at > since)
    )
    until = rules.locked_until(
        [(r["attempted_at"], r["outcome"]) for r in rows],
        now=now,
        max_failures=max_failures,
        window=window,
    )
    if until is None and client:
        # Many accounts tried from one place: that place waits too.
        rows = await LoginAttempt.select(LoginAttempt.attempted_at, LoginAttempt.outcome).where(
            (LoginAttempt.client == client[:64])
            & (LoginAttempt.attempted_at > since)
            & LoginAttempt.outcome.is_in(sorted(rules.COUNTED_FAILURES))
        )
        until = rules.locked_until(
            [(r["attempted_at"], r["outcome"]) for r in rows],
            now=now,
            max_failures=max_failures * rules.CLIENT_FAILURE_FACTOR,
            window=window,
        )
    return until


async def _claim_second_factor(
    *, row: dict, totp_code: str | None, secret_key: str | None, client: str | None, now: datetime
) -> bool:
    """Check the TOTP code of a user who enrolled one; True when they have a factor.

    A code is spent here (its step recorded), so it never opens a second login.
    """
    factor = (
        await TotpFactor.select()
        .where((TotpFactor.user == row["id"]) & TotpFactor.confirmed_at.is_not_null())
        .first()
    )
    if factor is None:
        return False
    email = row["email"]
    if not totp_code:
        await _log_attempt(
            email=email,
            user_id=row["id"],
            outcome=LoginOutcome.SECOND_FACTOR_MISSING,
            client=client,
            now=now,
        )
        raise Unauthenticated(AuthError.SECOND_FACTOR_REQUIRED, second_factor_required=True)
    # Without the key the factor cannot be checked: refuse, never skip it.
    secret = rules.open_totp_secret(factor["secret"], secret_key) if secret_key else None
    step = (
        rules.totp_match(secret, totp_code, at=now, last_step=factor["last_step"])
        if secret
        else None
    )
    claimed = []
    if step is not None:
        claimed = (
            await TotpFactor.update({TotpFactor.last_step: step})
            .where(
                (TotpFactor.id == factor["id"])
                & (TotpFactor.last_step.is_null() | (TotpFactor.last_step < step))
            )
            .returning(TotpFactor.id)
        )
    if not claimed:
        await _log_attempt(
            email=email,
            user_id=row["id"],
            outcome=LoginOutcome.SECOND_FACTOR_WRONG,
            client=client,
            now=now,
        )
        raise Unauthenticated(AuthError.WRONG_SECOND_FACTOR)
    return True


async def verify_credentials(
    *,
    email: str,
    password: str,
    clock: Clock | None = None,
    totp_code: str | None = None,
    client: str | None = None,
    max_failures: int = 6,
    lockout: timedelta = timedelta(minutes=30),
    secret_key: str | None = None,
) -> ActingUser:
    """The one gate of every login, API token or web session alike.

    Every attempt is logged. One message for every wrong credential, so nobody learns which
    accounts exist; after `max_failures` failures the address is locked for `lockout`. A user
    who enrolled a second factor also needs its current code (and the key that opens it).
    """
    email = email.strip().lower()
    now = (clock or SystemClock()).now()
    until = await _lock_ends(
        email=email, client=client, now=now, max_failures=max_failures, window=lockout
    )
    if until is not None:
        await _log_attempt(
            email=email, user_id=None, outcome=LoginOutcome.LOCKED, client=client, now=now
        )
        minutes = max(1, int((until - now).total_seconds() + 59) // 60)
        raise TooManyAttempts(
            AuthError.TOO_MANY_FAILED_LOGINS,
            minutes=minutes,
            retry_after_seconds=int((until - now).total_seconds()) + 1,
        )
    row = await User.select().where(User.email == email).first()
    if row is None:
        rules.verify_password(rules.dummy_hash(), password)
        outcome = LoginOutcome.UNKNOWN_ACCOUNT
    elif not rules.verify_password(row["password_hash"], password):
        outcome = LoginOutcome.WRONG_PASSWORD
    elif not row["active"]:
        outcome = LoginOutcome.DISABLED
    else:
        outcome = LoginOutcome.OK
    if outcome is not LoginOutcome.OK or row is None:
        await _log_attempt(
            email=email, user_id=row["id"] if row else None, outcome=outcome, client=client, now=now
        )
        raise Unauthenticated(AuthError.WRONG_CREDENTIALS)
    second_factor = await _claim_second_factor(
        row=row, totp_code=totp_code, secret_key=secret_key, client=client, now=now
    )
    user = acting(row)
    async with db.transaction():
        if rules.needs_rehash(row["password_hash"]):
            await User.update({User.password_hash: rules.hash_password(password)}).where(
                User.id == row["id"]
            )
        await LoginAttempt.insert(
            LoginAttempt(
                email=email,
                user=row["id"],
                succeeded=True,
                outcome=LoginOutcome.OK,
                client=(client or "")[:64] or None,
                attempted_at=now,
            )
        )
        await audit.append(
            actor=user,
            action=Action.LOGIN,
            record_type="user",
            record_id=user.id,
            now=now,
            detail="logged in" + (" with a second factor" if second_factor else ""),
        )
    return user


async def login(
    *,
    email: str,
    password: str,
    clock: Clock,
    ttl: timedelta,
    totp_code: str | None = None,
    client: str | None = None,
    max_failures: int = 6,
    lockout: timedelta = timedelta(minutes=30),
    secret_key: str | None = None,
) -> tuple[str, datetime, ActingUser]:
    """Pass the login gate and issue a bearer token."""
    user = await verify_credentials(
        email=email,
        password=password,
        clock=clock,
        totp_code=totp_code,
        client=client,
        max_failures=max_failures,
        lockout=lockout,
        secret_key=secret_key,
    )
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


# last_used_at is refreshed at most this often: a token list stays useful without a write
# on every request.
_LAST_USED_GRANULARITY = timedelta(minutes=5)


# Every API request runs it: one plain statement (no query built per request), on both databases.
_BEARER_LOOKUP = (
    "SELECT t.id, t.expires_at, t.revoked_at, t.last_used_at, u.id AS user_id, u.email,"
    " u.full_name, u.role, u.organisation, u.language, u.active"
    ' FROM api_token t JOIN app_user u ON u.id = t."user" WHERE t.token_hash = {}'
)


async def authenticate(*, token: str, clock: Clock) -> ActingUser:
    now = clock.now()
    rows = await ApiToken.raw(_BEARER_LOOKUP, rules.token_digest(token))
    row = rows[0] if rows else None
    if row is None or row["revoked_at"] is not None or row["expires_at"] <= now:
        raise Unauthenticated(AuthError.TOKEN_INVALID)
    if not row["active"]:
        raise Unauthenticated(AuthError.ACCOUNT_DISABLED)
    if row["last_used_at"] is None or now - row["last_used_at"] >= _LAST_USED_GRANULARITY:
        await ApiToken.update({ApiToken.last_used_at: now}).where(ApiToken.id == row["id"])
    return acting(row | {"id": row["user_id"]})


async def revoke_token(*, token: str, clock: Clock) -> None:
    await ApiToken.update({ApiToken.revoked_at: clock.now()}).where(
        (ApiToken.token_hash == rules.token_digest(token)) & ApiToken.revoked_at.is_null()
    )
