"""Data protection: the export of a person's data: the error codes (see perp_track.errors)."""

from __future__ import annotations

from perp_track.errors import ErrorCode
from perp_track.i18n import N_


class PrivacyError(ErrorCode):
    EXPORT_FOR_SUPERVISORS = (
        "privacy.export_for_supervisors",
        N_("the export is for supervisors and administrators"),
    )
    PERSON_NOT_FOUND = ("privacy.person_not_found", N_("person %(person_id)s not found"))
