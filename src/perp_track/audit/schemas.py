from __future__ import annotations

from datetime import datetime

from perp_track.schemas import Out


class AuditEntryRead(Out):
    id: int
    occurred_at: datetime
    actor_id: int | None
    actor_role: str | None
    action: str
    record_type: str
    record_id: int | None
    case_id: int | None
    person_id: int | None
    fields: list[str]
    detail: str
    request_id: str | None
    entry_hash: str | None  # None until the sealer has chained it


class AuditPage(Out):
    items: list[AuditEntryRead]
    total: int
    limit: int
    offset: int


class ChainCheck(Out):
    intact: bool
    checked: int
    first_broken_id: int | None
