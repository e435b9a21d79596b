"""Domain errors: a stable code and its parameters. The web layer maps each class to an HTTP
status once (see web.py); words come from the catalogs at the edge (i18n/errors.py).

Each domain has its codes in a StrEnum beside it, in `<domain>/errors.py` (the pages' own in
ui/page_errors.py; the codes of any record, RecordError, and the risk's below), and
error_codes.py lists them all. A code's value is what the API answers in `code`; its message is
the English msgid of the catalogs, with named %(param)s placeholders. Adding an error is one
member in its domain's enum plus its FR/NL/EN entries in the catalogs
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


# Keep each code's English message as the API has always said it: clients and tests read it.


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
