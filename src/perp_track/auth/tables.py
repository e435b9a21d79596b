from __future__ import annotations

from piccolo.columns import (
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from perp_track.auth.rules import Role
from perp_track.orgs.rules import Language
from perp_track.orgs.tables import Organisation


class User(Table, tablename="app_user"):
    id: Serial
    email = Varchar(length=254, unique=True, null=False)
    full_name = Varchar(length=200, null=False)
    role = Varchar(length=32, choices=Role, null=False, index=True)
    # Users are disabled, never deleted: their name stays on every event they caused.
    organisation = ForeignKey(references=Organisation, null=False, on_delete=OnDelete.restrict)
    password_hash = Varchar(length=255, null=False, secret=True)
    language = Varchar(length=2, choices=Language, default=Language.FR)
    phone = Varchar(length=32, null=True, default=None)
    active = Boolean(default=True, null=False)
    created_at = Timestamptz(null=False)


class ApiToken(Table, tablename="api_token"):
    id: Serial
    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade)
    token_hash = Varchar(length=64, unique=True, null=False, secret=True)
    created_at = Timestamptz(null=False)
    expires_at = Timestamptz(null=False)
    revoked_at = Timestamptz(null=True, default=None)
    last_used_at = Timestamptz(null=True, default=None)


class LoginAttempt(Table, tablename="login_attempt"):
    """Every login attempt, kept for throttling, lockout and the security review."""

    id: Serial
    # The address typed, lower-cased; the account may not exist (probing shows here).
    email = Varchar(length=254, null=False, index=True)
    user = ForeignKey(references=User, null=True, on_delete=OnDelete.cascade)
    succeeded = Boolean(default=False, null=False)
    # Why it failed: unknown_account, wrong_password, disabled, locked, second_factor.
    outcome = Varchar(length=32, null=False)
    client = Varchar(length=64, null=True, default=None)
    attempted_at = Timestamptz(null=False, index=True)


class TotpFactor(Table, tablename="totp_factor"):
    """A staff member's TOTP second factor: enrolled, then confirmed with a first code."""

    id: Serial
    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, unique=True)
    # Sealed with a key derived from SECRET_KEY (Fernet): the table alone yields no codes.
    secret = Varchar(length=255, null=False, secret=True)
    created_at = Timestamptz(null=False)
    confirmed_at = Timestamptz(null=True, default=None)
    # The last 30-second step accepted: a code is never accepted twice (replay).
    last_step = Integer(null=True, default=None)
