"""Reminder evaluations: the error codes (see perp_track.errors)."""

from __future__ import annotations

from perp_track.errors import ErrorCode
from perp_track.i18n import N_


class EvaluationError(ErrorCode):
    """Reminder evaluations: arms of reminders compared on attendance (issue 18)."""

    FOR_SUPERVISORS = (
        "evaluation.for_supervisors",
        N_("reminder evaluations are for supervisors and administrators"),
    )
    NOT_FOUND = ("evaluation.not_found", N_("evaluation %(evaluation_id)s not found"))
    TOO_FEW_ARMS = ("evaluation.too_few_arms", N_("an evaluation needs at least two arms"))
    TOO_MANY_ARMS = ("evaluation.too_many_arms", N_("an evaluation has at most %(maximum)s arms"))
    SHARES_TOTAL = (
        "evaluation.shares_total",
        N_("the arms' shares add up to %(total)s percent, not 100"),
    )
    ARM_NAME_TWICE = ("evaluation.arm_name_twice", N_("two arms are called %(name)s"))
    WORDING_UNKNOWN = (
        "evaluation.wording_unknown",
        N_("there is no reminder wording %(wording)s; choose one of %(allowed)s"),
    )
    NO_REMINDER_DAY = (
        "evaluation.no_reminder_day",
        N_("%(value)s is not a number of days from 1 to %(maximum)s"),
    )
    END_BEFORE_START = ("evaluation.end_before_start", N_("the end is not after the start"))
    END_IN_PAST = ("evaluation.end_in_past", N_("the end is already past"))
    ONE_AT_A_TIME = (
        "evaluation.one_at_a_time",
        N_("the evaluation %(title)s is not ended yet: one evaluation at a time"),
    )
    NOT_ALLOWED = (
        "evaluation.not_allowed",
        N_("%(action)s is not possible while the evaluation is %(status)s; possible: %(allowed)s"),
    )
