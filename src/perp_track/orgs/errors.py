"""Organisations: the error codes (see perp_track.errors)."""

from __future__ import annotations

from perp_track.errors import ErrorCode
from perp_track.i18n import N_


class OrganisationError(ErrorCode):
    NAME_REQUIRED = ("organisation.name_required", N_("an organisation needs a name"))
