"""The pages' own checks and reads: the error codes (see perp_track.errors)."""

from __future__ import annotations

from perp_track.errors import ErrorCode
from perp_track.i18n import N_


class PageError(ErrorCode):
    """The pages' own checks and reads."""

    DASHBOARD_FOR_STAFF = (
        "page.dashboard_for_staff",
        N_("the dashboard is for justice-house staff"),
    )
    CHOICES_FOR_STAFF = ("page.choices_for_staff", N_("these choices are for justice-house staff"))
    DATE_AND_TIME = ("page.date_and_time", N_("%(field)s: give a date and a time"))
    NOT_A_DATE = ("page.not_a_date", N_("%(value)s is not a date (YYYY-MM-DD)"))
    LANGUAGE_UNKNOWN = (
        "page.language_unknown",
        N_("the pages are in %(languages)s, not %(language)s"),
    )
