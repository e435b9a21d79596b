from __future__ import annotations

from datetime import datetime

from pydantic import Field

from perp_track.auth.rules import Role
from perp_track.schemas import In, Out


class LoginIn(In):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=1024)


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
