"""Programme sessions: the error codes (see perp_track.errors)."""

from __future__ import annotations

from perp_track.errors import ErrorCode
from perp_track.i18n import N_


class ProgrammeError(ErrorCode):
    STAFF_ONLY = ("programme.staff_only", N_("programme sessions are run by programme staff"))
    SESSION_NOT_FOUND = (
        "programme.session_not_found",
        N_("programme session %(session_id)s not found"),
    )
    PARTICIPANT_NOT_FOUND = (
        "programme.participant_not_found",
        N_("participant %(condition_id)s not found"),
    )
    NOT_IN_FUTURE = (
        "programme.not_in_future",
        N_("a programme session must be scheduled in the future"),
    )
    NOT_YOUR_REFERRAL = (
        "programme.not_your_referral",
        N_("referral %(condition_id)s is not one of your programme referrals"),
    )
    LEFT_PROGRAMME = (
        "programme.left_programme",
        N_("%(name)s is no longer in the programme (%(status)s)"),
    )
    CANCEL_STARTED = (
        "programme.cancel_started",
        N_("only a session that has not started can be cancelled"),
    )
    SERIES_COUNT = (
        "programme.series_count",
        N_("a weekly series has between 1 and %(max)s sessions"),
    )
    SERIES_TOO_LONG = (
        "programme.series_too_long",
        N_("with the dates skipped, the series would run past %(weeks)s weeks"),
    )
    SERIES_DATE_OUTSIDE = (
        "programme.series_date_outside",
        N_("%(day)s is not a date of the series: it falls on another weekday or outside it"),
    )
    SESSION_CANCELLED = (
        "programme.session_cancelled",
        N_("this session was cancelled: there is no roll-call to record"),
    )
    ROLL_CALL_SAVED = (
        "programme.roll_call_saved",
        N_("the roll-call of this session is already saved; send a correction instead"),
    )
    ROLL_CALL_NOT_STARTED = (
        "programme.roll_call_not_started",
        N_("the roll-call cannot be saved for a session that has not started yet"),
    )
    PARTICIPANT_TWICE = (
        "programme.participant_twice",
        N_("a participant appears twice in the roll-call"),
    )
    NOT_PARTICIPANTS = (
        "programme.not_participants",
        N_("not a participant of this session: %(unknown)s"),
    )
    ROLL_CALL_INCOMPLETE = (
        "programme.roll_call_incomplete",
        N_("the roll-call must cover every participant; missing: %(missing)s"),
    )
    NO_ROLL_CALL = (
        "programme.no_roll_call",
        N_("no roll-call saved yet: save it before correcting it"),
    )
    NOT_PARTICIPANT = (
        "programme.not_participant",
        N_("referral %(condition_id)s is not a participant of this session"),
    )
