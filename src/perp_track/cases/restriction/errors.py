"""Restricted cases and who is named on them: the error codes (see perp_track.errors)."""

from __future__ import annotations

from perp_track.errors import ErrorCode
from perp_track.i18n import N_


class RestrictionError(ErrorCode):
    FOR_SUPERVISORS = (
        "restriction.for_supervisors",
        N_(
            "only a supervisor or an administrator of the justice house restricts a case or"
            " changes who may see it"
        ),
    )
    ALREADY_RESTRICTED = ("restriction.already_restricted", N_("this case is already restricted"))
    NOT_RESTRICTED = ("restriction.not_restricted", N_("this case is not restricted"))
    NOTE_REQUIRED = (
        "restriction.note_required",
        N_("say why the case is restricted when the reason is 'other'"),
    )
    LIFT_REASON_REQUIRED = (
        "restriction.lift_reason_required",
        N_("say why the restriction is lifted"),
    )
    USER_NOT_ELIGIBLE = (
        "restriction.user_not_eligible",
        N_(
            "user %(user_id)s cannot be named on this case: only active staff of the justice"
            " house, its referring officer, its victim's SAPV contact and the staff of its"
            " programme providers can"
        ),
    )
    ALREADY_NAMED = ("restriction.already_named", N_("user %(user_id)s is already on the list"))
    NOT_NAMED = ("restriction.not_named", N_("user %(user_id)s is not on the list"))
    KEEP_ASSISTANT = (
        "restriction.keep_assistant",
        N_("the assigned justice assistant must stay on the list"),
    )
    KEEP_MANAGER = (
        "restriction.keep_manager",
        N_("the list must keep a supervisor or an administrator of the justice house"),
    )
