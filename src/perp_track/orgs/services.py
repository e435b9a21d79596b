from __future__ import annotations

from perp_track.clock import Clock, SystemClock
from perp_track.errors import Invalid
from perp_track.orgs.errors import OrganisationError
from perp_track.orgs.rules import OrgKind
from perp_track.orgs.tables import Organisation


async def create_organisation(
    *,
    name: str,
    kind: OrgKind,
    code: str | None = None,
    language: str = "fr",
    clock: Clock | None = None,
    email: str | None = None,
) -> int:
    if not name.strip():
        raise Invalid(OrganisationError.NAME_REQUIRED)
    org = Organisation(
        name=name.strip(),
        kind=kind,
        code=code,
        language=language,
        # A service's own address: for a police zone, its on-duty desk (risk alerts).
        email=(email or "").strip() or None,
        created_at=(clock or SystemClock()).now(),
    )
    await org.save()
    return int(org.id)
