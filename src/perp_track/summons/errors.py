"""Summonses: the error codes (see perp_track.errors)."""

from __future__ import annotations

from perp_track.errors import ErrorCode
from perp_track.i18n import N_


class SummonsError(ErrorCode):
    NOT_FOUND = ("summons.not_found", N_("summons %(summons_id)s not found"))
    NOT_IN_FUTURE = ("summons.not_in_future", N_("a summons must be in the future"))
    NEW_TIME_NOT_IN_FUTURE = (
        "summons.new_time_not_in_future",
        N_("the new time must be in the future"),
    )
    NOT_OPEN = ("summons.not_open", N_("cannot %(action)s a summons that is '%(status)s'"))
    NOT_STARTED = (
        "summons.not_started",
        N_("attendance cannot be recorded for a session that has not started yet"),
    )
    REASON_REQUIRED = ("summons.reason_required", N_("the outcome '%(outcome)s' needs a reason"))
    CASE_NOT_OPEN = ("summons.case_not_open", N_("summons can be scheduled on an open case only"))
    MEASURE_ELSEWHERE = (
        "summons.measure_elsewhere",
        N_("measure %(measure_id)s is not part of this case"),
    )
    SAME_TIME = ("summons.same_time", N_("the new time is the same as the current one"))
    ALREADY_BEGUN = (
        "summons.already_begun",
        N_("this summons has already begun: record what happened instead"),
    )
    NO_ATTENDANCE = (
        "summons.no_attendance",
        N_("this summons was %(status)s: there is no attendance to record"),
    )
    ATTENDANCE_RECORDED = (
        "summons.attendance_recorded",
        N_("attendance is already recorded for this summons; send a correction instead"),
    )
    CORRECTION_NEEDS_REASON = ("summons.correction_needs_reason", N_("a correction needs a reason"))
    NOTHING_TO_CORRECT = (
        "summons.nothing_to_correct",
        N_("no attendance recorded yet: record it before correcting it"),
    )
    SAME_ATTENDANCE = ("summons.same_attendance", N_("the attendance is already '%(outcome)s'"))
