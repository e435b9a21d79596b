"""Measures and conditions: kinds, statuses and the transition table (pure data and functions)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from perp_track.errors import Conflict, Invalid
from perp_track.measures.errors import ConditionError, MeasureError


class MeasureKind(StrEnum):
    MEDIATION_216TER = "mediation_216ter"
    RELEASE_UNDER_CONDITIONS = "release_under_conditions"
    PROBATION = "probation"
    AUTONOMOUS_PROBATION = "autonomous_probation"
    TEMPORARY_RESIDENCE_BAN = "temporary_residence_ban"


class MeasureStatus(StrEnum):
    RECEIVED = "received"
    ASSIGNED = "assigned"
    INTAKE_SCHEDULED = "intake_scheduled"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    EXTENDED = "extended"
    NON_COMPLIANCE_REPORTED = "non_compliance_reported"
    CONDITIONS_ADAPTED = "conditions_adapted"
    REVOCATION_REQUESTED = "revocation_requested"
    WARRANT_ISSUED = "warrant_issued"
    REFERRED_FOR_PROSECUTION = "referred_for_prosecution"
    COMPLETED = "completed"
    FAILED = "failed"
    EXPIRED = "expired"
    LIFTED = "lifted"


CLOSED_STATUSES = frozenset(
    {MeasureStatus.COMPLETED, MeasureStatus.FAILED, MeasureStatus.EXPIRED, MeasureStatus.LIFTED}
)
# A measure in one of these states protects the victim and binds the perpetrator.
IN_FORCE_STATUSES = frozenset(
    {
        MeasureStatus.ACTIVE,
        MeasureStatus.EXTENDED,
        MeasureStatus.SUSPENDED,
        MeasureStatus.NON_COMPLIANCE_REPORTED,
        MeasureStatus.CONDITIONS_ADAPTED,
        MeasureStatus.INTAKE_SCHEDULED,
        MeasureStatus.ASSIGNED,
    }
)


class MeasureEvent(StrEnum):
    ASSIGN = "assign"
    SCHEDULE_INTAKE = "schedule_intake"
    START = "start"
    SUSPEND = "suspend"
    RESUME = "resume"
    EXTEND = "extend"
    REPORT_NON_COMPLIANCE = "report_non_compliance"
    ADAPT_CONDITIONS = "adapt_conditions"
    REQUEST_REVOCATION = "request_revocation"
    ISSUE_WARRANT = "issue_warrant"
    REFER_FOR_PROSECUTION = "refer_for_prosecution"
    COMPLETE = "complete"
    FAIL = "fail"
    EXPIRE = "expire"
    LIFT = "lift"


class Actor(StrEnum):
    """Who may trigger a transition: a person in a role, or the system itself (a job)."""

    JUSTICE_ASSISTANT = "justice_assistant"
    SUPERVISOR = "supervisor"
    PROGRAMME_STAFF = "programme_staff"
    SYSTEM = "system"


S = MeasureStatus
E = MeasureEvent
K = MeasureKind
_STAFF = frozenset({Actor.JUSTICE_ASSISTANT, Actor.SUPERVISOR})
_ANYONE = _STAFF | {Actor.SYSTEM}
_SUPERVISOR = frozenset({Actor.SUPERVISOR, Actor.SYSTEM})
ALL_KINDS = frozenset(MeasureKind)

# Which kinds of measure know an event at all: a ban is extended by the family court, an ADP
# renewed by the investigating judge; only probation is revoked; only an ADP ends in a warrant;
# a mediation and a ban breach end with the prosecutor (DOMAIN §3, "on non-compliance").
KINDS_OF_EVENT: dict[MeasureEvent, frozenset[MeasureKind]] = {
    E.SCHEDULE_INTAKE: ALL_KINDS - {K.TEMPORARY_RESIDENCE_BAN},
    E.EXTEND: frozenset({K.TEMPORARY_RESIDENCE_BAN, K.RELEASE_UNDER_CONDITIONS}),
    E.ADAPT_CONDITIONS: ALL_KINDS - {K.TEMPORARY_RESIDENCE_BAN},
    E.REQUEST_REVOCATION: frozenset({K.PROBATION, K.AUTONOMOUS_PROBATION}),
    E.ISSUE_WARRANT: frozenset({K.RELEASE_UNDER_CONDITIONS}),
    E.REFER_FOR_PROSECUTION: frozenset({K.MEDIATION_216TER, K.TEMPORARY_RESIDENCE_BAN}),
}


@dataclass(frozen=True, slots=True)
class Transition:
    source: MeasureStatus
    event: MeasureEvent
    target: MeasureStatus
    who: frozenset[Actor]
    kinds: frozenset[MeasureKind] = ALL_KINDS


def _t(
    sources: tuple[MeasureStatus, ...],
    event: MeasureEvent,
    target: MeasureStatus,
    who: frozenset[Actor] = _STAFF,
) -> list[Transition]:
    kinds = KINDS_OF_EVENT.get(event, ALL_KINDS)
    return [Transition(source, event, target, who, kinds) for source in sources]


_RUNNING = (S.ACTIVE, S.EXTENDED)
_NOT_STARTED = (S.RECEIVED, S.ASSIGNED, S.INTAKE_SCHEDULED)
_DECISIONS = (S.REVOCATION_REQUESTED, S.WARRANT_ISSUED, S.REFERRED_FOR_PROSECUTION)

# The one table of (state, event) -> state. The API documents it; the services obey it.
# Assigning a mandate is the supervisor's call; what the authority decides is recorded by staff;
# the system may start, expire and schedule (jobs and automatic follow-ups), nothing else.
TRANSITIONS: tuple[Transition, ...] = tuple(
    _t((S.RECEIVED,), E.ASSIGN, S.ASSIGNED, _SUPERVISOR)
    + _t((S.ASSIGNED,), E.SCHEDULE_INTAKE, S.INTAKE_SCHEDULED, _ANYONE)
    + _t((S.RECEIVED, S.ASSIGNED, S.INTAKE_SCHEDULED), E.START, S.ACTIVE, _ANYONE)
    + _t(_RUNNING, E.SUSPEND, S.SUSPENDED)
    + _t((S.SUSPENDED, S.CONDITIONS_ADAPTED), E.RESUME, S.ACTIVE)
    + _t(_RUNNING, E.EXTEND, S.EXTENDED)
    + _t((*_RUNNING, S.SUSPENDED), E.REPORT_NON_COMPLIANCE, S.NON_COMPLIANCE_REPORTED)
    + _t((S.NON_COMPLIANCE_REPORTED,), E.ADAPT_CONDITIONS, S.CONDITIONS_ADAPTED)
    + _t((S.NON_COMPLIANCE_REPORTED,), E.REQUEST_REVOCATION, S.REVOCATION_REQUESTED)
    + _t((S.NON_COMPLIANCE_REPORTED,), E.ISSUE_WARRANT, S.WARRANT_ISSUED)
    + _t((S.NON_COMPLIANCE_REPORTED,), E.REFER_FOR_PROSECUTION, S.REFERRED_FOR_PROSECUTION)
    + _t(_RUNNING, E.COMPLETE, S.COMPLETED)
    + _t((S.NON_COMPLIANCE_REPORTED, *_DECISIONS), E.FAIL, S.FAILED)
    + _t((*_RUNNING, S.SUSPENDED), E.EXPIRE, S.EXPIRED, _ANYONE)
    + _t((*_NOT_STARTED, *_RUNNING, S.SUSPENDED), E.LIFT, S.LIFTED)
)

_BY_KEY = {(t.source, t.event): t for t in TRANSITIONS}

# Decisions of the authority on a non-compliance report: the measure waits on one of these.
DECISION_EVENTS = frozenset(
    {E.ADAPT_CONDITIONS, E.REQUEST_REVOCATION, E.ISSUE_WARRANT, E.REFER_FOR_PROSECUTION}
)


def allowed_events(
    status: MeasureStatus, actor: Actor, kind: MeasureKind | None = None
) -> list[MeasureEvent]:
    return [
        t.event
        for t in TRANSITIONS
        if t.source == status and actor in t.who and (kind is None or kind in t.kinds)
    ]


def next_status(
    status: MeasureStatus, event: MeasureEvent, actor: Actor, kind: MeasureKind | None = None
) -> MeasureStatus:
    """The target state, or a Conflict listing what is allowed from here."""
    transition = _BY_KEY.get((status, event))
    if (
        transition is None
        or actor not in transition.who
        or (kind is not None and kind not in transition.kinds)
    ):
        allowed = allowed_events(status, actor, kind)
        raise Conflict(
            MeasureError.STEP_NOT_ALLOWED if allowed else MeasureError.NO_STEP_LEFT,
            status=status,
            event=event,
            allowed=[str(e) for e in allowed],
        )
    return transition.target


def initial_status(kind: MeasureKind, *, has_justice_assistant: bool = True) -> MeasureStatus:
    """A residence ban is in force from the prosecutor's decision; the rest wait for intake,
    or, on a case no justice assistant holds yet, for the supervisor to assign it."""
    if kind is MeasureKind.TEMPORARY_RESIDENCE_BAN:
        return MeasureStatus.ACTIVE
    return MeasureStatus.ASSIGNED if has_justice_assistant else MeasureStatus.RECEIVED


class ConditionKind(StrEnum):
    PROGRAMME = "programme"
    CONTACT_BAN = "contact_ban"
    PLACE_BAN = "place_ban"
    THERAPY = "therapy"
    ADDICTION_TREATMENT = "addiction_treatment"
    COMMUNITY_SERVICE = "community_service"
    RESPOND_TO_SUMMONS = "respond_to_summons"
    REPORT_ADDRESS_CHANGE = "report_address_change"
    COMPENSATION = "compensation"
    OTHER = "other"


# Conditions whose opening, change or end the victim's side must hear about (DOMAIN §4).
PROTECTIVE_CONDITIONS = frozenset({ConditionKind.CONTACT_BAN, ConditionKind.PLACE_BAN})

# Every probation file carries these general conditions (DOMAIN §3).
GENERAL_CONDITIONS: dict[MeasureKind, tuple[ConditionKind, ...]] = {
    MeasureKind.PROBATION: (ConditionKind.RESPOND_TO_SUMMONS, ConditionKind.REPORT_ADDRESS_CHANGE),
    MeasureKind.AUTONOMOUS_PROBATION: (
        ConditionKind.RESPOND_TO_SUMMONS,
        ConditionKind.REPORT_ADDRESS_CHANGE,
    ),
    MeasureKind.RELEASE_UNDER_CONDITIONS: (ConditionKind.RESPOND_TO_SUMMONS,),
    MeasureKind.MEDIATION_216TER: (ConditionKind.RESPOND_TO_SUMMONS,),
    MeasureKind.TEMPORARY_RESIDENCE_BAN: (),
}


class ConditionStatus(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    MET = "met"
    BREACHED = "breached"
    ADAPTED = "adapted"
    WAIVED = "waived"


def condition_problem(
    kind: ConditionKind,
    *,
    provider_id: int | None,
    required_sessions: int | None,
    hours_due: int | None,
    protected_persons: str | None,
    address: str | None,
) -> ConditionError | None:
    """What a condition of this kind must carry, or None when it is complete."""
    if kind is ConditionKind.PROGRAMME:
        if provider_id is None:
            return ConditionError.PROGRAMME_NEEDS_PROVIDER
        if not required_sessions:
            return ConditionError.PROGRAMME_NEEDS_SESSIONS
    if kind is ConditionKind.COMMUNITY_SERVICE and not hours_due:
        return ConditionError.COMMUNITY_SERVICE_NEEDS_HOURS
    if kind is ConditionKind.CONTACT_BAN and not (protected_persons or "").strip():
        return ConditionError.CONTACT_BAN_NEEDS_PERSONS
    if kind is ConditionKind.PLACE_BAN and not (address or "").strip():
        return ConditionError.PLACE_BAN_NEEDS_ADDRESS
    return None


_PROBLEM_FIELDS = {
    ConditionError.PROGRAMME_NEEDS_PROVIDER: "provider_id",
    ConditionError.PROGRAMME_NEEDS_SESSIONS: "required_sessions",
    ConditionError.COMMUNITY_SERVICE_NEEDS_HOURS: "hours_due",
    ConditionError.CONTACT_BAN_NEEDS_PERSONS: "protected_persons",
    ConditionError.PLACE_BAN_NEEDS_ADDRESS: "address",
}


def condition_problem_field(problem: ConditionError) -> str:
    """The form field a condition_problem() code is about."""
    return _PROBLEM_FIELDS.get(problem, "kind")


class Interruption(StrEnum):
    """Why a programme stopped before its end (DOMAIN §4: "programme interrupted")."""

    REFUSED = "refused"
    DROPPED_OUT = "dropped_out"
    EXCLUDED = "excluded"


class ReportKind(StrEnum):
    INTAKE = "intake"
    PERIODIC = "periodic"
    NON_COMPLIANCE = "non_compliance"
    FINAL = "final"


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 January + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class DurationRule:
    """How long a measure of a kind lasts. Days keep the arithmetic exact and configurable."""

    default_days: int | None  # None: the deciding authority must set the end date
    min_days: int
    max_days: int  # the longest it may run in all, extensions included
    # A ban may run "up to 3 months in all": a calendar bound on top of max_days.
    max_months: int | None = None
    # An ADP is renewed period by period: one extension adds at most this many days.
    renewal_days: int | None = None


@dataclass(frozen=True, slots=True)
class MeasurePolicy:
    """Every duration, limit and interval of DOMAIN §3, built from Settings (measures.policy)."""

    durations: dict[MeasureKind, DurationRule]
    intake_report_months: int = 1
    probation_report_months: int = 6
    adp_report_days: int = 30
    mediation_report_months: int = 3

    def latest_end(self, kind: MeasureKind, starts_on: date) -> date:
        rule = self.durations[kind]
        latest = starts_on + timedelta(days=rule.max_days)
        if rule.max_months is not None:
            latest = min(latest, add_months(starts_on, rule.max_months))
        return latest

    def first_report_due(self, kind: MeasureKind, starts_on: date) -> date | None:
        """Probation: the intake report within a month; the others: their first periodic one."""
        if kind in {MeasureKind.PROBATION, MeasureKind.AUTONOMOUS_PROBATION}:
            return add_months(starts_on, self.intake_report_months)
        return self.next_report_due(kind, starts_on)

    def next_report_due(self, kind: MeasureKind, after: date) -> date | None:
        if kind in {MeasureKind.PROBATION, MeasureKind.AUTONOMOUS_PROBATION}:
            return add_months(after, self.probation_report_months)
        if kind is MeasureKind.RELEASE_UNDER_CONDITIONS:
            return after + timedelta(days=self.adp_report_days)
        if kind is MeasureKind.MEDIATION_216TER:
            return add_months(after, self.mediation_report_months)
        return None  # a ban is followed by the police and the family court, not by reports


DEFAULT_DURATIONS: dict[MeasureKind, DurationRule] = {
    MeasureKind.MEDIATION_216TER: DurationRule(default_days=365, min_days=1, max_days=365),
    MeasureKind.RELEASE_UNDER_CONDITIONS: DurationRule(
        default_days=91, min_days=1, max_days=2 * 366, renewal_days=91
    ),
    MeasureKind.PROBATION: DurationRule(default_days=None, min_days=365, max_days=5 * 366),
    MeasureKind.AUTONOMOUS_PROBATION: DurationRule(
        default_days=None, min_days=183, max_days=5 * 366
    ),
    MeasureKind.TEMPORARY_RESIDENCE_BAN: DurationRule(
        default_days=14, min_days=1, max_days=92, max_months=3
    ),
}
DEFAULT_POLICY = MeasurePolicy(durations=DEFAULT_DURATIONS)


def end_date(
    kind: MeasureKind,
    starts_on: date,
    ends_on: date | None,
    durations: dict[MeasureKind, DurationRule] = DEFAULT_DURATIONS,
) -> date:
    """The end date of a new measure: the given one if lawful, else the kind's default."""
    rule = durations[kind]
    policy = MeasurePolicy(durations=durations)
    if ends_on is None:
        if rule.default_days is None:
            raise Invalid(MeasureError.END_DATE_REQUIRED, kind=kind)
        return min(
            starts_on + timedelta(days=rule.default_days), policy.latest_end(kind, starts_on)
        )
    if ends_on < starts_on:
        raise Invalid(MeasureError.ENDS_BEFORE_START)
    length = (ends_on - starts_on).days
    if length < rule.min_days or ends_on > policy.latest_end(kind, starts_on):
        raise Invalid(
            MeasureError.DURATION_OUT_OF_RANGE,
            kind=kind,
            min_days=rule.min_days,
            latest=policy.latest_end(kind, starts_on),
            length=length,
        )
    return ends_on


def extension_end(
    kind: MeasureKind,
    starts_on: date,
    current_end: date,
    new_end: date,
    policy: MeasurePolicy = DEFAULT_POLICY,
) -> date:
    """The new end of an extended ban or a renewed ADP, or Invalid saying which limit it breaks."""
    if new_end <= current_end:
        raise Invalid(MeasureError.EXTENSION_NOT_LATER)
    latest = policy.latest_end(kind, starts_on)
    if new_end > latest:
        raise Invalid(MeasureError.PAST_LEGAL_MAXIMUM, kind=kind, latest=latest)
    renewal = policy.durations[kind].renewal_days
    if renewal is not None and (new_end - current_end).days > renewal:
        raise Invalid(MeasureError.RENEWAL_TOO_LONG, days=renewal)
    return new_end
