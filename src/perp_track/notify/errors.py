"""Notifications, the inbox and the victim's safe contact: their error codes."""

from __future__ import annotations

from perp_track.errors import ErrorCode
from perp_track.i18n import N_


class NotifyError(ErrorCode):
    """The inbox, the preferences and the victim's safe-contact profile."""

    MESSAGE_NOT_FOUND = ("notify.message_not_found", N_("message %(notification_id)s not found"))
    SAME_PHONE = ("notify.same_phone", N_("this is already her number"))
    PERPETRATOR_PHONE = (
        "notify.perpetrator_phone",
        N_("this number is known on a perpetrator's side: it cannot be the victim's"),
    )
    NOT_FEEDBACK = (
        "notify.not_feedback",
        N_("message %(notification_id)s is not feedback to acknowledge"),
    )
    PREFERENCES_CHANGED = (
        "notify.preferences_changed",
        N_("the preferences changed since you read them; reload and try again"),
    )
    PREFERENCES_CHANGED_MEANWHILE = (
        "notify.preferences_changed_meanwhile",
        N_("the preferences changed at the same time; reload and try again"),
    )
    PROFILE_KEPT_BY_SAPV = (
        "notify.profile_kept_by_sapv",
        N_("only her SAPV contact keeps a victim's safe-contact profile"),
    )
    VICTIM_NOT_FOUND = ("notify.victim_not_found", N_("victim %(person_id)s not found"))
    LIST_FOR_SAPV = ("notify.list_for_sapv", N_("this list is for SAPV contacts"))
    PROFILE_CHANGED = (
        "notify.profile_changed",
        N_("the profile changed since you read it; reload and try again"),
    )
    # Her number confirmation (notify/victim_control).
    NO_NUMBER_CHECK = (
        "notify.no_number_check",
        N_("no confirmation of her number is waiting: record her consent first"),
    )
    NUMBER_CHECK_CHANGED = (
        "notify.number_check_changed",
        N_("her number's confirmation changed since you read it; reload and try again"),
    )
    RESEND_USED = (
        "notify.resend_used",
        N_("the request was already sent again once; give her a new code instead"),
    )
    CODE_UNREADABLE = (
        "notify.code_unreadable",
        N_("this code can no longer be shown (the service's key changed): give her a new code"),
    )
