"""The partners' views (police, SAPV): the error codes (see perp_track.errors)."""

from __future__ import annotations

from perp_track.errors import ErrorCode
from perp_track.i18n import N_


class PartnerError(ErrorCode):
    """The police officer's and the SAPV contact's views."""

    OTHER_ROLE = ("partner.other_role", N_("this view is for another role"))
    CASE_NOT_FOUND = ("partner.case_not_found", N_("case %(case_id)s not found"))
    VICTIM_NOT_FOUND = ("partner.victim_not_found", N_("victim %(person_id)s not found"))
