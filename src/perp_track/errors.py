"""Domain errors: a stable code and its parameters. The web layer maps each class to an HTTP
status once (see web.py); words come from the catalogs at the edge (i18n/errors.py).

Each domain has its codes in a StrEnum below. A code's value is what the API answers in
`code`; its message is the English msgid of the catalogs, with named %(param)s placeholders.
Adding an error is one member here plus its FR/NL/EN entries in the catalogs
(tests/unit/test_error_codes.py holds every code to that).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum, StrEnum
from typing import Any, Self

from perp_track.i18n import N_


class ErrorCode(StrEnum):
    """A stable error code (its value) with its message (an English msgid)."""

    message: str

    def __new__(cls, value: str, message: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.message = message
        return member


def plain(value: Any) -> Any:
    """A parameter as the API shows it: codes as their value, dates in ISO 8601, lists as lists."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value


def _text(value: Any) -> str:
    value = plain(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def english(code: ErrorCode, params: dict[str, Any]) -> str:
    """The code's message in the source English, its parameters as plain values."""
    return code.message % {k: _text(v) for k, v in params.items()}


class DomainError(Exception):
    """Base class: a code and its parameters (a message a person understands, in English, as
    the exception's text). An English sentence instead of a code is still accepted while the
    last callers move over: such an error has no code and the pages say it by its class."""

    def __init__(self, code: ErrorCode | str, /, **params: Any) -> None:
        self.code: ErrorCode | None = code if isinstance(code, ErrorCode) else None
        self.params = params
        self.message = english(code, params) if isinstance(code, ErrorCode) else str(code)
        super().__init__(self.message)

    @property
    def extra(self) -> dict[str, Any]:
        """The parameters, plain (the API's `params`)."""
        return {k: plain(v) for k, v in self.params.items()}


class NotFound(DomainError):
    """The record does not exist, or the actor may not know that it exists."""


class Conflict(DomainError):
    """The request clashes with the current state (an illegal transition, a stale version)."""


class Forbidden(DomainError):
    """The actor is known but may not do this."""


class Invalid(DomainError):
    """The request breaks a rule of the domain (e.g. attendance for a future session)."""


class Unauthenticated(DomainError):
    """No valid credentials."""


class TooManyAttempts(DomainError):
    """Too many failures in a short time: wait before trying again."""


# The codes, one StrEnum per domain. Keep each message's English as the API has always said
# it: clients and tests read it.


class RecordError(ErrorCode):
    """Stale versions and concurrent writes, whatever the record."""

    CHANGED_SINCE_READ = (
        "record.changed_since_read",
        N_(
            "the %(record)s changed since you read it (version %(current_version)s,"
            " you sent %(version)s); reload and try again"
        ),
    )
    CHANGED_MEANWHILE = (
        "record.changed_meanwhile",
        N_("the %(record)s changed at the same time; reload and try again"),
    )
    VERSION_MISSING = (
        "record.version_missing",
        N_("send the version of the %(record)s you read (optimistic locking)"),
    )
    NO_SUCH_ID = ("record.no_such_id", N_("there is no record with this %(name)s"))


class AuthError(ErrorCode):
    PASSWORD_TOO_SHORT = (
        "auth.password_too_short",
        N_("a password needs at least %(min_length)s characters"),
    )
    ORGANISATION_NOT_FOUND = (
        "auth.organisation_not_found",
        N_("organisation %(organisation_id)s does not exist"),
    )
    WRONG_ORGANISATION_KIND = (
        "auth.wrong_organisation_kind",
        N_("a %(role)s belongs to a %(expected)s, not a %(kind)s"),
    )
    EMAIL_TAKEN = ("auth.email_taken", N_("a user with the e-mail %(email)s already exists"))
    SECOND_FACTOR_REQUIRED = (
        "auth.second_factor_required",
        N_("enter the 6-digit code of your authenticator app (totp_code)"),
    )
    WRONG_SECOND_FACTOR = (
        "auth.wrong_second_factor",
        N_("wrong or already used authenticator code"),
    )
    TOO_MANY_FAILED_LOGINS = (
        "auth.too_many_failed_logins",
        N_("too many failed logins: try again in %(minutes)s minutes"),
    )
    WRONG_CREDENTIALS = ("auth.wrong_credentials", N_("wrong e-mail address or password"))
    TOKEN_INVALID = (
        "auth.token_invalid",
        N_("the token is unknown, revoked or expired; log in again"),
    )
    ACCOUNT_DISABLED = ("auth.account_disabled", N_("this account is disabled"))
    TOKEN_NOT_FOUND = ("auth.token_not_found", N_("token %(token_id)s not found"))
    USER_NOT_FOUND = ("auth.user_not_found", N_("user %(user_id)s not found"))
    MANAGES_NO_ACCOUNTS = (
        "auth.manages_no_accounts",
        N_("only an administrator or a supervisor manages accounts"),
    )
    OWN_ACCOUNT = ("auth.own_account", N_("you cannot disable or enable your own account"))
    ADMIN_ACCOUNT = (
        "auth.admin_account",
        N_("a supervisor does not manage an administrator's account"),
    )
    SECOND_FACTOR_ACTIVE = (
        "auth.second_factor_active",
        N_("a second factor is already active; remove it first to enrol again"),
    )
    SECOND_FACTOR_UNREADABLE = (
        "auth.second_factor_unreadable",
        N_("the second factor cannot be read (the secret key changed): enrol again"),
    )
    ENROLMENT_NOT_STARTED = (
        "auth.enrolment_not_started",
        N_("start the enrolment first (POST /api/auth/totp)"),
    )
    ENROLMENT_DONE = ("auth.enrolment_done", N_("the second factor is already active"))
    WRONG_ENROLMENT_CODE = (
        "auth.wrong_enrolment_code",
        N_("wrong code: check the time on your phone and try the next code"),
    )
    NO_SECOND_FACTOR = ("auth.no_second_factor", N_("no active second factor"))
    ACCOUNT_HAS_NO_SECOND_FACTOR = (
        "auth.account_has_no_second_factor",
        N_("this account has no second factor"),
    )


class CaseError(ErrorCode):
    NOT_FOUND = ("case.not_found", N_("case %(case_id)s not found"))
    NOT_ACTIVE_IN_ROLE = (
        "case.not_active_in_role",
        N_("%(what)s %(user_id)s is not an active %(roles)s"),
    )
    OPENED_BY_STAFF = (
        "case.opened_by_staff",
        N_("only a justice assistant or a supervisor opens a case"),
    )
    ASSISTANT_ELSEWHERE = (
        "case.assistant_elsewhere",
        N_("the assigned justice assistant works at another justice house"),
    )
    SHARED_PHONE = (
        "case.shared_phone",
        N_("the victim and the perpetrator cannot share a phone number"),
    )
    LIST_FOR_STAFF = ("case.list_for_staff", N_("this list is for justice-house staff"))
    OWN_CASELOAD = (
        "case.own_caseload",
        N_("a justice assistant sees their own caseload; ask a supervisor"),
    )
    CASELOAD_FOR_STAFF = ("case.caseload_for_staff", N_("the caseload is for justice-house staff"))
    SEARCH_TOO_SHORT = ("case.search_too_short", N_("search needs at least 2 characters"))
    TEAM_FOR_SUPERVISORS = ("case.team_for_supervisors", N_("the team view is for supervisors"))
    STATISTICS_FOR_SUPERVISORS = (
        "case.statistics_for_supervisors",
        N_("the statistics are for supervisors"),
    )
    # Facts of a running case changed after opening (cases/changes.py).
    NOTHING_CHANGED = ("case.nothing_changed", N_("this is already what the case says"))
    REASSIGNED_BY_SUPERVISOR = (
        "case.reassigned_by_supervisor",
        N_("only a supervisor assigns a case to another justice assistant"),
    )
    CASE_CLOSED = ("case.closed", N_("the case is closed: its facts cannot change any more"))


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


class MeasureError(ErrorCode):
    NOT_FOUND = ("measure.not_found", N_("measure %(measure_id)s not found"))
    STEP_NOT_ALLOWED = (
        "measure.step_not_allowed",
        N_("a measure that is '%(status)s' cannot '%(event)s'; allowed: %(allowed)s"),
    )
    NO_STEP_LEFT = (
        "measure.no_step_left",
        N_("a measure that is '%(status)s' cannot '%(event)s'; nothing is allowed from here"),
    )
    END_DATE_REQUIRED = (
        "measure.end_date_required",
        N_("a %(kind)s measure needs the end date set by the decision"),
    )
    ENDS_BEFORE_START = ("measure.ends_before_start", N_("a measure cannot end before it starts"))
    DURATION_OUT_OF_RANGE = (
        "measure.duration_out_of_range",
        N_(
            "a %(kind)s measure lasts from %(min_days)s days up to %(latest)s;"
            " %(length)s days were given"
        ),
    )
    EXTENSION_NOT_LATER = (
        "measure.extension_not_later",
        N_("an extension must end after the current end date"),
    )
    PAST_LEGAL_MAXIMUM = (
        "measure.past_legal_maximum",
        N_("a %(kind)s cannot run past %(latest)s (the legal maximum counted from its start)"),
    )
    RENEWAL_TOO_LONG = ("measure.renewal_too_long", N_("one renewal adds at most %(days)s days"))
    STARTS_BEFORE_DECISION = (
        "measure.starts_before_decision",
        N_("a measure cannot start before it was decided"),
    )
    CASE_NOT_OPEN = ("measure.case_not_open", N_("measures can be added to an open case only"))
    PROVIDER_NOT_FOUND = (
        "measure.provider_not_found",
        N_("programme provider %(provider_id)s does not exist"),
    )
    EXTENSION_NEEDS_END = (
        "measure.extension_needs_end",
        N_("an extension needs the new end date (ends_on)"),
    )
    END_ONLY_FOR_EXTENSION = (
        "measure.end_only_for_extension",
        N_("ends_on is only for an extension"),
    )
    CLOSED = ("measure.closed", N_("a closed measure cannot be changed"))
    HEARING_BEFORE_START = (
        "measure.hearing_before_start",
        N_("a hearing cannot be before the measure starts"),
    )
    NOTHING_TO_CHANGE = ("measure.nothing_to_change", N_("nothing to change"))
    BAN_NEEDS_ADDRESS = (
        "measure.ban_needs_address",
        N_(
            "a temporary residence ban needs the address it protects: add a place or residence"
            " ban condition with the address, or give the victim's address on the case"
        ),
    )


class ConditionError(ErrorCode):
    NOT_FOUND = ("condition.not_found", N_("condition %(condition_id)s not found"))
    HOURS_SHORT = (
        "condition.hours_short",
        N_(
            "only %(done)s of the %(due)s hours due are done: record the hours, or waive or"
            " adapt the condition with a reason"
        ),
    )
    SESSIONS_SHORT = (
        "condition.sessions_short",
        N_(
            "only %(done)s of the %(due)s required sessions are attended: waive or adapt the"
            " condition with a reason"
        ),
    )
    STEP_NOT_ALLOWED = (
        "condition.step_not_allowed",
        N_("a condition that is '%(status)s' cannot '%(event)s'; allowed: %(allowed)s"),
    )
    NO_STEP_LEFT = (
        "condition.no_step_left",
        N_("a condition that is '%(status)s' cannot '%(event)s'; nothing is allowed from here"),
    )
    ENDS_AFTER_MEASURE = (
        "condition.ends_after_measure",
        N_("a condition cannot end after its measure"),
    )
    MEASURE_CLOSED = ("condition.measure_closed", N_("a closed measure takes no new condition"))
    CONDITIONS_CLOSED = (
        "condition.conditions_closed",
        N_("the measure is closed: its conditions no longer change"),
    )
    HOURS_ON_COMMUNITY_SERVICE = (
        "condition.hours_on_community_service",
        N_("hours are counted on a community service condition only"),
    )
    NO_MORE_HOURS = (
        "condition.no_more_hours",
        N_("a condition that is '%(status)s' takes no more hours"),
    )
    TOO_MANY_HOURS = (
        "condition.too_many_hours",
        N_("%(done)s hours would exceed the %(due)s hours due"),
    )
    ONLY_PROGRAMME_INTERRUPTED = (
        "condition.only_programme_interrupted",
        N_("only a programme can be interrupted"),
    )
    PROGRAMME_NEEDS_PROVIDER = (
        "condition.programme_needs_provider",
        N_("a programme condition needs the provider organisation"),
    )
    PROGRAMME_NEEDS_SESSIONS = (
        "condition.programme_needs_sessions",
        N_("a programme condition needs the number of required sessions"),
    )
    COMMUNITY_SERVICE_NEEDS_HOURS = (
        "condition.community_service_needs_hours",
        N_("a community service condition needs the hours due"),
    )
    CONTACT_BAN_NEEDS_PERSONS = (
        "condition.contact_ban_needs_persons",
        N_("a contact ban needs the persons it protects"),
    )
    PLACE_BAN_NEEDS_ADDRESS = (
        "condition.place_ban_needs_address",
        N_("a place or residence ban needs the address"),
    )


class ReportError(ErrorCode):
    """Reports to the mandating authority and the printed case report."""

    FUTURE_PERIOD = (
        "report.future_period",
        N_("a report cannot cover days that have not yet come"),
    )
    BEFORE_MEASURE = ("report.before_measure", N_("the period starts before the measure"))
    ONLY_FINAL = ("report.only_final", N_("a closed measure takes only a final report"))
    INTAKE_FOR_PROBATION = (
        "report.intake_for_probation",
        N_("an intake report is for probation measures"),
    )
    INTAKE_RECORDED = ("report.intake_recorded", N_("the intake report is already recorded"))
    PERIOD_REVERSED = ("report.period_reversed", N_("the period ends before it starts"))
    PERIOD_TOO_LONG = ("report.period_too_long", N_("a report covers at most five years"))
    LANGUAGE_UNKNOWN = (
        "report.language_unknown",
        N_("documents are printed in %(languages)s; not %(language)s"),
    )
    PDF_UNAVAILABLE = (
        "report.pdf_unavailable",
        N_("PDF is not available on this server; download the HTML and print it"),
    )


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


class InterpreterError(ErrorCode):
    """The interpreter register of a justice house and the bookings of its summons."""

    NOT_FOUND = ("interpreter.not_found", N_("interpreter %(interpreter_id)s not found"))
    REGISTER_OF_A_HOUSE = (
        "interpreter.register_of_a_house",
        N_("the interpreter register is kept by a justice house"),
    )
    REGISTER_BY_SUPERVISORS = (
        "interpreter.register_by_supervisors",
        N_("the interpreter register is kept by supervisors"),
    )
    EMAIL_TAKEN = (
        "interpreter.email_taken",
        N_("an interpreter with this e-mail address is already in the register for this language"),
    )
    INACTIVE = (
        "interpreter.inactive",
        N_("this interpreter is no longer in service; choose another"),
    )
    WRONG_LANGUAGE = (
        "interpreter.wrong_language",
        N_("this interpreter does not interpret %(language)s"),
    )
    NO_LANGUAGE = (
        "interpreter.no_language",
        N_("say which language needs an interpreter"),
    )
    HAS_BOOKINGS = (
        "interpreter.has_bookings",
        N_(
            "this interpreter is booked for %(count)s summons to come: book someone else"
            " for them first"
        ),
    )
    ALREADY_BOOKED = (
        "interpreter.already_booked",
        N_("this interpreter is already booked for this summons"),
    )
    SUMMONS_NOT_OPEN = (
        "interpreter.summons_not_open",
        N_("an interpreter can be booked for a summons still to come only"),
    )
    NOTHING_BOOKED = ("interpreter.nothing_booked", N_("no interpreter is booked for this summons"))


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


class PartnerError(ErrorCode):
    """The police officer's and the SAPV contact's views."""

    OTHER_ROLE = ("partner.other_role", N_("this view is for another role"))
    CASE_NOT_FOUND = ("partner.case_not_found", N_("case %(case_id)s not found"))
    VICTIM_NOT_FOUND = ("partner.victim_not_found", N_("victim %(person_id)s not found"))


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


class AuditError(ErrorCode):
    FOR_SUPERVISORS = (
        "audit.for_supervisors",
        N_("the audit trail is for supervisors and administrators"),
    )
    OFFSET_REQUIRED = (
        "audit.offset_required",
        N_("'%(name)s' needs its UTC offset, e.g. 2026-03-01T00:00:00+01:00"),
    )
    UNTIL_BEFORE_SINCE = ("audit.until_before_since", N_("'until' is before 'since'"))


class PrivacyError(ErrorCode):
    EXPORT_FOR_SUPERVISORS = (
        "privacy.export_for_supervisors",
        N_("the export is for supervisors and administrators"),
    )
    PERSON_NOT_FOUND = ("privacy.person_not_found", N_("person %(person_id)s not found"))


class RiskError(ErrorCode):
    UNKNOWN_TIER = ("risk.unknown_tier", N_("%(tier)s is not a risk tier"))
    TIER_TWICE = ("risk.tier_twice", N_("the risk tier %(tier)s is given twice"))
    TIER_MISSING = ("risk.tier_missing", N_("the policy has no row for the tiers %(tiers)s"))
    INTERVAL_TOO_SMALL = (
        "risk.interval_too_small",
        N_("%(field)s of the tier %(tier)s cannot be %(value)s"),
    )
    LOOP_NOT_UPWARDS = (
        "risk.loop_not_upwards",
        N_("the closed loop must also cover the higher tier %(tier)s"),
    )
    DOWNGRADE_NEEDS_REASON = (
        "risk.downgrade_needs_reason",
        N_("lowering the risk from %(current)s to %(new)s needs a reason"),
    )
    ALERT_NOT_FOUND = ("risk.alert_not_found", N_("alert %(alert_id)s not found"))
    ALERT_STEP_NOT_ALLOWED = (
        "risk.alert_step_not_allowed",
        N_("an alert in state %(state)s cannot be given the step %(step)s"),
    )
    OUTCOME_REQUIRED = ("risk.outcome_required", N_("say what came of it: choose an outcome"))
    POLICY_FOR_SUPERVISORS = (
        "risk.policy_for_supervisors",
        N_("the risk policy is changed by supervisors and administrators"),
    )
    CONCERN_NEEDS_DESCRIPTION = (
        "risk.concern_needs_description",
        N_("describe the concern"),
    )
    TIER_CODE_INVALID = (
        "risk.tier_code_invalid",
        N_(
            "%(tier)s cannot be a tier's code: 2 to 16 lower-case letters, digits or"
            " underscores, starting with a letter"
        ),
    )
    TIER_NAME_MISSING = (
        "risk.tier_name_missing",
        N_("the tier %(tier)s needs its name in %(language)s (at most 40 characters)"),
    )
    RANK_TAKEN = ("risk.rank_taken", N_("another tier already has the rank %(rank)s"))
    TIER_EXISTS = ("risk.tier_exists", N_("there is already a tier %(tier)s"))
    TIER_USED_BY_CASES = (
        "risk.tier_used_by_cases",
        N_("the tier %(tier)s cannot be removed while cases are at it (%(count)s)"),
    )
    TIER_USED_BY_ASSESSMENTS = (
        "risk.tier_used_by_assessments",
        N_("the tier %(tier)s cannot be removed while risk assessments name it (%(count)s)"),
    )
    TIER_USED_BY_ALERTS = (
        "risk.tier_used_by_alerts",
        N_("the tier %(tier)s cannot be removed while alerts at it are not done (%(count)s)"),
    )
    LAST_TIER = ("risk.last_tier", N_("the last risk tier cannot be removed"))
    TIER_NOT_FOUND = ("risk.tier_not_found", N_("risk tier %(tier)s not found"))


class OrganisationError(ErrorCode):
    NAME_REQUIRED = ("organisation.name_required", N_("an organisation needs a name"))


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


DOMAINS: tuple[type[ErrorCode], ...] = (
    RecordError,
    AuthError,
    CaseError,
    RestrictionError,
    MeasureError,
    ConditionError,
    ReportError,
    SummonsError,
    ProgrammeError,
    NotifyError,
    PartnerError,
    RedListError,
    RiskError,
    AuditError,
    PrivacyError,
    OrganisationError,
    PageError,
    EvaluationError,
    StatisticsError,
    InterpreterError,
)
