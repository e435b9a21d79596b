"""What the inbox API takes and gives: messages and channel preferences."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from perp_track.schemas import In, Out


class InboxItem(Out):
    id: int
    case_id: int | None
    subject: str
    body: str
    urgent: bool
    created_at: datetime
    read_at: datetime | None
    needs_acknowledgement: bool
    acknowledged_at: datetime | None


class InboxPage(Out):
    items: list[InboxItem]
    total: int
    unread: int


class PreferencesIn(In):
    email: bool
    in_app: bool
    daily_digest: bool = False
    version: int = Field(ge=1, description="The version you read; a stale one answers 409")


class PreferencesRead(Out):
    email: bool
    in_app: bool
    daily_digest: bool
    version: int = Field(description="Send it back with a change (1 before the first change)")
