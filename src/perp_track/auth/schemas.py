from __future__ import annotations

from datetime import datetime

from pydantic import Field

from perp_track.auth.rules import Role
from perp_track.schemas import In, Out


class LoginIn(In):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=1024)
    totp_code: str | None = Field(
        default=None, max_length=10, description="The authenticator code, once enrolled"
    )


class TokenOut(Out):
    token: str
    token_type: str = "bearer"  # noqa: S105 - the scheme name, not a secret
    expires_at: datetime
    user_id: int
    role: Role


class MeOut(Out):
    id: int
    email: str
    full_name: str
    role: Role
    organisation_id: int
    language: str


class TokenRead(Out):
    id: int
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    current: bool = Field(description="The token of this request")


class TotpEnrolment(Out):
    secret: str = Field(description="Shown once: type it, or scan the otpauth URI as a QR code")
    otpauth_uri: str


class TotpCodeIn(In):
    code: str = Field(min_length=6, max_length=10)


class UserStatus(Out):
    id: int
    active: bool
    tokens_revoked: int


class RevokedCount(Out):
    revoked: int
