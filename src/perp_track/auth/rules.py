"""Roles, password hashing and token rules: pure functions, no web or database."""

from __future__ import annotations

import hashlib
import secrets
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

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


# A hash computed for unknown e-mail addresses, so a login takes as long whether or not
# the account exists.
DUMMY_HASH = _hasher.hash("not-a-real-password-but-a-timing-shield")


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"a password needs at least {MIN_PASSWORD_LENGTH} characters"
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
