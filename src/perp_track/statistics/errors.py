"""The statutory statistics: the error codes (see perp_track.errors)."""

from __future__ import annotations

from perp_track.errors import ErrorCode
from perp_track.i18n import N_


class StatisticsError(ErrorCode):
    """The statutory statistics: who may export them, and the period asked for."""

    FOR_SUPERVISORS = (
        "statistics.for_supervisors",
        N_("the statutory statistics are for supervisors and administrators"),
    )
    OWN_HOUSE_ONLY = (
        "statistics.own_house_only",
        N_("a supervisor exports the figures of their own justice house only"),
    )
    NOT_A_JUSTICE_HOUSE = (
        "statistics.not_a_justice_house",
        N_("organisation %(house_id)s is not a justice house"),
    )
    PERIOD_INCOMPLETE = (
        "statistics.period_incomplete",
        N_("give both the first and the last day of the period"),
    )
    PERIOD_REVERSED = (
        "statistics.period_reversed",
        N_("the last day of the period is before its first day"),
    )
    PERIOD_IN_FUTURE = ("statistics.period_in_future", N_("the period starts after today"))
    PERIOD_TOO_LONG = (
        "statistics.period_too_long",
        N_("a period covers at most %(years)s years"),
    )
    YEAR_OUT_OF_RANGE = (
        "statistics.year_out_of_range",
        N_("choose a year from %(first)s to %(last)s"),
    )
