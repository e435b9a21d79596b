"""The audit trail: the error codes (see perp_track.errors)."""

from __future__ import annotations

from perp_track.errors import ErrorCode
from perp_track.i18n import N_


class AuditError(ErrorCode):
    FOR_SUPERVISORS = (
        "audit.for_supervisors",
        N_("the audit trail is for supervisors and administrators"),
    )
    OFFSET_REQUIRED = (
        "audit.offset_required",
        N_("'%(name)s' needs its UTC offset, e.g. 2026-03-01T00:00:00+01:00"),
    )
    UNTIL_BEFORE_SINCE = ("audit.until_before_since", N_("'until' is before 'since'"))
