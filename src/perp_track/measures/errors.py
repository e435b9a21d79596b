"""Measures, their conditions and the reports to the authority: their error codes."""

from __future__ import annotations

from perp_track.errors import ErrorCode
from perp_track.i18n import N_


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
