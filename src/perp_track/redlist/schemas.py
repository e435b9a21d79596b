from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from perp_track.schemas import In, Out, ShortText


class RedListEntry(Out):
    """An address where a ban is in force today. No names: the address and how long."""

    address: str
    ban: str = Field(description="residence_ban (temporary residence ban) or place_ban")
    starts_on: date | None
    ends_on: date | None
    case_reference: str | None = Field(
        description="null for a restricted case the reader is not named on: the address stays,"
        " the case it comes from is withheld"
    )
    risk_level: str
    priority: int = Field(
        default=1, description="The risk policy's red-list priority of the case's tier: 1 first"
    )
    ordered_by: str = Field(default="", description="Who ordered the ban (the measure's author)")
    decided_on: date | None = None
    hearing_on: date | None = Field(default=None, description="The extension hearing, if set")


class RedList(Out):
    zone_id: int
    zone_name: str
    as_of: datetime
    entries: list[RedListEntry]


class RedListTokenCreate(In):
    zone_id: int = Field(ge=1)
    label: ShortText = Field(description="Who holds it, e.g. 'CIC Liège dispatch'")


class RedListTokenRead(Out):
    id: int
    zone_id: int
    label: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class RedListTokenIssued(RedListTokenRead):
    token: str = Field(description="Shown once; send it as 'Authorization: Bearer <token>'")
