"""Roles, password hashing and token rules: pure functions, no web or database."""

from __future__ import annotations

import base64
import functools
import hashlib
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken

from perp_track.auth.errors import AuthError
from perp_track.orgs.rules import OrgKind


class Role(StrEnum):
    JUSTICE_ASSISTANT = "justice_assistant"
    SUPERVISOR = "supervisor"
    PROGRAMME_STAFF = "programme_staff"
    POLICE_OFFICER = "police_officer"
    SAPV_CONTACT = "sapv_contact"
    ADMIN = "admin"


# Which kind of organisation each role belongs to.
ROLE_ORGANISATION: dict[Role, OrgKind] = {
    Role.JUSTICE_ASSISTANT: OrgKind.JUSTICE_HOUSE,
    Role.SUPERVISOR: OrgKind.JUSTICE_HOUSE,
    Role.ADMIN: OrgKind.JUSTICE_HOUSE,
    Role.PROGRAMME_STAFF: OrgKind.PROGRAMME_PROVIDER,
    Role.POLICE_OFFICER: OrgKind.POLICE_ZONE,
    Role.SAPV_CONTACT: OrgKind.SAPV,
}

# Argon2id with the library's current defaults (RFC 9106 low-memory profile).
_hasher = PasswordHasher()


def use_hasher(hasher: PasswordHasher) -> None:
    """Swap the Argon2id parameters (tests use a cheap profile; production keeps the default)."""
    global _hasher
    _hasher = hasher


MIN_PASSWORD_LENGTH = 12


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@functools.cache
def dummy_hash() -> str:
    """A hash checked for unknown e-mail addresses, so a login takes as long whether or not the
    account exists. Made at the first such login, not at import: it costs a full argon2 run."""
    return _hasher.hash("not-a-real-password-but-a-timing-shield")


def password_problem(password: str) -> AuthError | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return AuthError.PASSWORD_TOO_SHORT
    return None


def new_token() -> str:
    return "pt_" + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Tokens are stored as their SHA-256: a stolen table holds no usable credential."""
    return hashlib.sha256(token.encode()).hexdigest()


class ActingUser:
    """Who is acting: passed to every service, which scopes what it reads and writes by it."""

    __slots__ = ("email", "full_name", "id", "language", "organisation_id", "role")

    def __init__(
        self,
        *,
        id: int,
        email: str,
        full_name: str,
        role: Role,
        organisation_id: int,
        language: str,
    ) -> None:
        self.id = id
        self.email = email
        self.full_name = full_name
        self.role = role
        self.organisation_id = organisation_id
        self.language = language

    def __repr__(self) -> str:
        return f"ActingUser(id={self.id}, role={self.role})"


# Roles that run a case at the justice house.
JUSTICE_HOUSE_STAFF = frozenset({Role.JUSTICE_ASSISTANT, Role.SUPERVISOR, Role.ADMIN})


# Login attempt outcomes; all but "ok" and "locked" count towards the lockout.
class LoginOutcome(StrEnum):
    OK = "ok"
    UNKNOWN_ACCOUNT = "unknown_account"
    WRONG_PASSWORD = "wrong_password"  # noqa: S105 - an outcome's name, not a secret
    DISABLED = "disabled"
    SECOND_FACTOR_MISSING = "second_factor_missing"
    SECOND_FACTOR_WRONG = "second_factor_wrong"
    LOCKED = "locked"


# A login without the code (the first step of a two-step form) is not a guess: not counted.
COUNTED_FAILURES = frozenset(LoginOutcome) - {
    LoginOutcome.OK,
    LoginOutcome.LOCKED,
    LoginOutcome.SECOND_FACTOR_MISSING,
}
# One client failing this many times the account limit in the window is refused too (spraying).
CLIENT_FAILURE_FACTOR = 5


def locked_until(
    attempts: list[tuple[datetime, str]], *, now: datetime, max_failures: int, window: timedelta
) -> datetime | None:
    """When a lock on these attempts (time, outcome; any order) ends, or None if not locked.

    Failures since the last success within the window count; the lock lasts one window from
    the failure that reached the limit.
    """
    recent = sorted((at, outcome) for at, outcome in attempts if at > now - window)
    failures: list[datetime] = []
    for at, outcome in recent:
        if outcome == LoginOutcome.OK:
            failures = []
        elif outcome in COUNTED_FAILURES:
            failures.append(at)
    if len(failures) < max_failures:
        return None
    until = failures[-1] + window
    return until if until > now else None


TOTP_INTERVAL = 30


def totp_step(at: datetime) -> int:
    return int(at.timestamp()) // TOTP_INTERVAL


def totp_match(secret: str, code: str, *, at: datetime, last_step: int | None) -> int | None:
    """The step a code belongs to (now, or one step either side for clock drift), or None.

    A step at or before the last accepted one is refused: a code cannot be used twice.
    """
    code = code.strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret, interval=TOTP_INTERVAL)
    now_step = totp_step(at)
    for step in (now_step - 1, now_step, now_step + 1):
        if last_step is not None and step <= last_step:
            continue
        if secrets.compare_digest(totp.at(step * TOTP_INTERVAL), code):
            return step
    return None


def _totp_fernet(secret_key: str) -> Fernet:
    # A key of its own, derived from SECRET_KEY: a copy of the database alone cannot produce
    # second-factor codes.
    digest = hashlib.sha256(b"perp-track/totp-secret/v1\x00" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal_totp_secret(secret: str, secret_key: str) -> str:
    return _totp_fernet(secret_key).encrypt(secret.encode()).decode()


def open_totp_secret(sealed: str, secret_key: str) -> str | None:
    """The secret, or None when it was sealed under another SECRET_KEY (or was tampered with)."""
    try:
        return _totp_fernet(secret_key).decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, *, email: str, issuer: str) -> str:
    return pyotp.TOTP(secret, interval=TOTP_INTERVAL).provisioning_uri(
        name=email, issuer_name=issuer
    )
