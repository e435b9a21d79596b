"""The police zones' red list: the error codes (see perp_track.errors)."""

from __future__ import annotations

from perp_track.errors import ErrorCode
from perp_track.i18n import N_


class RedListError(ErrorCode):
    ZONE_NOT_FOUND = ("redlist.zone_not_found", N_("police zone %(zone_id)s not found"))
    FOR_ZONE_POLICE = ("redlist.for_zone_police", N_("the red list is for the zone's police"))
    TOKEN_INVALID = (
        "redlist.token_invalid",
        N_("the red-list token is unknown, revoked or expired"),
    )
    TOKENS_BY_ADMIN = (
        "redlist.tokens_by_admin",
        N_("red-list tokens are issued by an administrator"),
    )
    NOT_A_ZONE = ("redlist.not_a_zone", N_("organisation %(zone_id)s is not a police zone"))
    TOKEN_NOT_FOUND = (
        "redlist.token_not_found",
        N_("red-list token %(token_id)s not found or already revoked"),
    )
