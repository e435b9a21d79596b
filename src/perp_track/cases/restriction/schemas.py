from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from perp_track.auth.rules import Role
from perp_track.cases.restriction.rules import RestrictionReason
from perp_track.schemas import In, LongText, Out, Ref

# A database integer: an id beyond it names nobody (422, never a database error).
DbId = Annotated[int, Field(ge=1, le=2_147_483_647)]
Version = Annotated[int, Field(ge=1, le=2_147_483_647, description="The case's version you read")]


class RestrictIn(In):
    reason: RestrictionReason
    note: LongText | None = Field(
        default=None, description="Why, in a few words; required when the reason is 'other'"
    )
    user_ids: list[DbId] = Field(
        default_factory=list,
        description="Who else may see the case. You and the assigned justice assistant are"
        " always on the list.",
        max_length=200,
    )
    version: Version


class UnrestrictIn(In):
    note: LongText = Field(description="Why the restriction is lifted")
    version: Version


class NameIn(In):
    user_id: DbId
    version: Version


class NamedUser(Out):
    id: int
    name: str
    role: Role
    organisation: str
    added_at: datetime
    added_by: Ref


class Candidate(Out):
    id: int
    name: str
    role: Role
    organisation: str


class RestrictionRead(Out):
    case_id: int
    reference: str
    version: int
    restricted: bool
    reason: RestrictionReason | None = None
    note: str | None = None
    restricted_at: datetime | None = None
    restricted_by: Ref | None = None
    named: list[NamedUser] = Field(default_factory=list)
    may_manage: bool = Field(description="Whether the reader may restrict, lift or change the list")
    candidates: list[Candidate] = Field(
        default_factory=list, description="Who the reader may add (managers only)"
    )
