"""The services' errors in the reader's language.

The services raise their errors with an English sentence, which the JSON API returns as it is.
The pages show each one translated: an error is recognised by its class and the shape of its
sentence, and shown as a msgid of the catalogs; what varies in it (a status, an event, a date, a
number) is carried over, domain codes by their translated label. An error no rule knows is shown
as a sentence of its class, in the reader's language, never in English.
tests/unit/test_error_messages.py checks that every error the pages' services raise is known.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_date
from litestar import Request

from perp_track.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    TooManyAttempts,
    Unauthenticated,
)
from perp_track.ui.i18n import N_, translations
from perp_track.ui.labels import LABELS, translated_label
from perp_track.ui.templating import page_language

# Service sentences that are msgids of the catalogs as they stand (translated as they are).
EXACT = (
    N_("attendance cannot be recorded for a session that has not started yet"),
    N_("a summons must be in the future"),
    N_("a measure cannot start before it was decided"),
    N_("a measure cannot end before it starts"),
    N_("the victim and the perpetrator cannot share a phone number"),
    N_("measures can be added to an open case only"),
    N_("summons can be scheduled on an open case only"),
    N_("a programme condition needs the provider organisation"),
    N_("a programme condition needs the number of required sessions"),
    N_("a community service condition needs the hours due"),
    N_("a contact ban needs the persons it protects"),
    N_("a place or residence ban needs the address"),
    N_("this is already her number"),
    N_("this number is known on a perpetrator's side: it cannot be the victim's"),
    N_(
        "a temporary residence ban needs the address it protects: add a place or residence ban"
        " condition with the address, or give the victim's address on the case"
    ),
    N_("the new time is the same as the current one"),
    N_("the summons changed at the same time; reload and try again"),
    N_("this summons has already begun: record what happened instead"),
    N_("a correction needs a reason"),
    N_("no attendance recorded yet: record it before correcting it"),
)

CHANGED_MEANWHILE = N_(
    "Someone changed this record since you opened the page, so nothing was saved. Reload the "
    "page, check what changed, and try again."
)
STEP_ALLOWED = N_("Possible from here: %(allowed)s.")
STEP_NOTHING = N_("Nothing more is possible from this status.")

# What a page says when no rule knows the sentence: by the error's class.
FALLBACK: dict[type[DomainError], str] = {
    Conflict: N_(
        "This is not possible in the record's current state, or it changed meanwhile. Reload "
        "the page and try again."
    ),
    Invalid: N_("This breaks a rule of the service: check what you entered."),
    Forbidden: N_("your role may not do this"),
    NotFound: N_("This record does not exist, or it is not one you may see."),
    Unauthenticated: N_("log in first"),
    TooManyAttempts: N_("Too many failed logins: try again later."),
}


@dataclass(frozen=True)
class Rule:
    kind: type[DomainError]
    pattern: re.Pattern[str]
    msgid: str
    # Named groups holding a domain code (shown by its label) or an ISO date (shown localised).
    codes: frozenset[str] = field(default_factory=frozenset)
    dates: frozenset[str] = field(default_factory=frozenset)
    # Adds what the error's extra says is still possible (transitions).
    allowed: bool = False


def _rule(
    kind: type[DomainError],
    pattern: str,
    msgid: str,
    *,
    codes: tuple[str, ...] = (),
    dates: tuple[str, ...] = (),
    allowed: bool = False,
) -> Rule:
    return Rule(
        kind, re.compile(pattern), msgid, frozenset(codes), frozenset(dates), allowed=allowed
    )


RULES: tuple[Rule, ...] = (
    # Stale versions and concurrent changes, whatever the record.
    _rule(Conflict, r"changed since you read (?:it|them)", CHANGED_MEANWHILE),
    _rule(Conflict, r"changed at the same time", CHANGED_MEANWHILE),
    _rule(
        Invalid,
        r"^send the version of the \w+ you read",
        N_("The form did not carry the version of the record: reload the page and try again."),
    ),
    # Illegal transitions (the tables in measures/rules.py and condition_rules.py).
    _rule(
        Conflict,
        r"^an? (?:[\w ]+ )?measure that is '(?P<status>[^']+)' cannot '(?P<event>[^']+)'",
        N_("A measure that is “%(status)s” cannot take the step “%(event)s”."),
        codes=("status", "event"),
        allowed=True,
    ),
    _rule(
        Conflict,
        r"^a condition that is '(?P<status>[^']+)' cannot '(?P<event>[^']+)'",
        N_("A condition that is “%(status)s” cannot take the step “%(event)s”."),
        codes=("status", "event"),
        allowed=True,
    ),
    _rule(
        Conflict,
        r"^cannot (?:reschedule|cancel) a summons that is '(?P<status>[^']+)'",
        N_("This summons is “%(status)s”: it can no longer be moved or cancelled."),
        codes=("status",),
    ),
    _rule(
        Conflict,
        r"^this summons was (?P<status>\w+): there is no attendance to record",
        N_("This summons is “%(status)s”: there is no attendance to record."),
        codes=("status",),
    ),
    _rule(
        Conflict,
        r"^attendance is already recorded for this summons",
        N_("Attendance is already recorded for this summons: correct it instead."),
    ),
    # Measures, conditions and reports.
    _rule(Conflict, r"^a closed measure cannot be changed", N_("A closed measure cannot change.")),
    _rule(
        Conflict,
        r"^a closed measure takes no new condition",
        N_("A closed measure takes no new condition."),
    ),
    _rule(
        Conflict,
        r"^the measure is closed: its conditions no longer change",
        N_("The measure is closed: its conditions no longer change."),
    ),
    _rule(
        Conflict,
        r"^a condition that is '(?P<status>[^']+)' takes no more hours",
        N_("A condition that is “%(status)s” takes no more hours."),
        codes=("status",),
    ),
    _rule(
        Conflict,
        r"^a closed measure takes only a final report",
        N_("A closed measure takes only a final report."),
    ),
    _rule(
        Conflict,
        r"^the intake report is already recorded",
        N_("The intake report is already recorded."),
    ),
    _rule(
        Invalid,
        r"^a condition cannot end after its measure",
        N_("A condition cannot end after its measure."),
    ),
    _rule(
        Invalid,
        r"^an extension needs the new end date",
        N_("An extension needs the new end date."),
    ),
    _rule(
        Invalid,
        r"^ends_on is only for an extension",
        N_("A new end date is given for an extension only."),
    ),
    _rule(Invalid, r"^nothing to change$", N_("Nothing to change.")),
    _rule(
        Invalid,
        r"^a hearing cannot be before the measure starts",
        N_("A hearing cannot be before the measure starts."),
    ),
    _rule(
        Invalid,
        r"^an? [\w ]+ measure lasts from (?P<min>\d+) days up to (?P<latest>[\d-]+); "
        r"(?P<length>-?\d+) days were given",
        N_("This measure lasts from %(min)s days up to %(latest)s; %(length)s days were given."),
        dates=("latest",),
    ),
    _rule(
        Invalid,
        r"^an extension must end after the current end date",
        N_("An extension must end after the current end date."),
    ),
    _rule(
        Invalid,
        r"^an? [\w ]+ cannot run past (?P<latest>[\d-]+)",
        N_("This measure cannot run past %(latest)s, the legal maximum counted from its start."),
        dates=("latest",),
    ),
    _rule(
        Invalid,
        r"^one renewal adds at most (?P<days>\d+) days",
        N_("One renewal adds at most %(days)s days."),
    ),
    _rule(
        Invalid,
        r"^an? [\w ]+ measure needs the end date set by the decision",
        N_("This measure needs the end date set by the decision."),
    ),
    _rule(
        Invalid,
        r"^programme provider \S+ does not exist",
        N_("The programme provider chosen does not exist."),
    ),
    _rule(
        Invalid,
        r"^hours are counted on a community service condition only",
        N_("Hours are counted on a community service condition only."),
    ),
    _rule(
        Invalid,
        r"^(?P<done>\d+) hours would exceed the (?P<due>\d+) hours due",
        N_("%(done)s hours would exceed the %(due)s hours due."),
    ),
    _rule(
        Invalid,
        r"^only a programme can be interrupted",
        N_("Only a programme can be interrupted."),
    ),
    _rule(
        Invalid,
        r"^a report cannot cover days that have not yet come",
        N_("A report cannot cover days that have not come yet."),
    ),
    _rule(
        Invalid,
        r"^the period starts before the measure",
        N_("The period starts before the measure."),
    ),
    _rule(
        Invalid,
        r"^an intake report is for probation measures",
        N_("An intake report is for probation measures only."),
    ),
    _rule(Invalid, r"^the period ends before it starts", N_("The period ends before it starts.")),
    _rule(
        Invalid, r"^a report covers at most five years", N_("A report covers at most five years.")
    ),
    _rule(
        Invalid,
        r"^documents are printed in ",
        N_("Documents are printed in French, Dutch or English."),
    ),
    _rule(
        Invalid,
        r"^PDF is not available on this server",
        N_("PDF is not available on this server: download the HTML and print it."),
    ),
    # Cases.
    _rule(
        Invalid,
        r"^[\w ]+ \d+ is not an active ",
        N_("The person chosen has no active account in that role."),
    ),
    _rule(
        Invalid,
        r"^the assigned justice assistant works at another justice house",
        N_("The justice assistant chosen works at another justice house."),
    ),
    _rule(
        Invalid,
        r"^search needs at least 2 characters",
        N_("Type at least 2 characters of a name or a reference."),
    ),
    # Summons.
    _rule(
        Invalid,
        r"^the new time must be in the future",
        N_("The new time must be in the future."),
    ),
    _rule(
        Invalid,
        r"^measure \S+ is not part of this case",
        N_("The measure chosen is not part of this case."),
    ),
    _rule(
        Invalid,
        r"^the attendance is already '(?P<outcome>[^']+)'",
        N_("The attendance is already “%(outcome)s”."),
        codes=("outcome",),
    ),
    _rule(
        Invalid,
        r"^the outcome '(?P<outcome>[^']+)' needs a reason",
        N_("“%(outcome)s” needs a reason."),
        codes=("outcome",),
    ),
    # Programme sessions.
    _rule(
        Invalid,
        r"^a programme session must be scheduled in the future",
        N_("A session must be scheduled in the future."),
    ),
    _rule(
        Invalid,
        r"^referral \S+ is not one of your programme referrals",
        N_("Someone chosen is not referred to your programme."),
    ),
    _rule(
        Invalid,
        r"^(?P<name>.+) is no longer in the programme \((?P<status>[^)]+)\)",
        N_("%(name)s is no longer in the programme (%(status)s)."),
        codes=("status",),
    ),
    _rule(
        Conflict,
        r"^only a session that has not started can be cancelled",
        N_("Only a session that has not started yet can be cancelled."),
    ),
    _rule(
        Conflict,
        r"^this session was cancelled: there is no roll-call to record",
        N_("This session was cancelled: there is no roll-call to record."),
    ),
    _rule(
        Conflict,
        r"^the roll-call of this session is already saved",
        N_("The roll-call of this session is already saved."),
    ),
    _rule(
        Conflict,
        r"^no roll-call saved yet: save it before correcting it",
        N_("No roll-call is saved yet: save it before correcting it."),
    ),
    _rule(
        Invalid,
        r"^the roll-call cannot be saved for a session that has not started yet",
        N_("The roll-call opens when the session begins."),
    ),
    _rule(
        Invalid,
        r"^a participant appears twice in the roll-call",
        N_("A participant appears twice in the roll-call."),
    ),
    _rule(
        Invalid,
        r"^not a participant of this session: ",
        N_("Someone in the roll-call is not a participant of this session."),
    ),
    _rule(
        Invalid,
        r"^the roll-call must cover every participant",
        N_("The roll-call must cover every participant."),
    ),
    _rule(
        Invalid,
        r"^referral \S+ is not a participant of this session",
        N_("This person is not a participant of this session."),
    ),
    # The pages' own checks.
    _rule(Invalid, r": give a date and a time$", N_("Give a date and a time.")),
    _rule(Invalid, r" is not a date \(YYYY-MM-DD\)$", N_("Give a date.")),
    _rule(
        Invalid,
        r"^the pages are in ",
        N_("The pages are in French, Dutch and English."),
    ),
    # Red-list tokens (the administrator's API; listed so no page ever shows them in English).
    _rule(
        Invalid,
        r"^organisation \S+ is not a police zone",
        N_("This organisation is not a police zone."),
    ),
    # A condition met only when what it measures is done.
    _rule(
        Invalid,
        r"^only (?P<done>\d+) of the (?P<due>\d+) hours due are done",
        N_(
            "Only %(done)s of the %(due)s hours due are done: record the hours, or waive or "
            "adapt the condition with a reason."
        ),
    ),
    _rule(
        Invalid,
        r"^only (?P<done>\d+) of the (?P<due>\d+) required sessions are attended",
        N_(
            "Only %(done)s of the %(due)s required sessions are attended: waive or adapt the "
            "condition with a reason."
        ),
    ),
)


def _match(exc: DomainError) -> tuple[Rule, re.Match[str]] | None:
    for rule in RULES:
        if isinstance(exc, rule.kind) and (found := rule.pattern.search(exc.message)):
            return rule, found
    return None


def is_known(exc: DomainError) -> bool:
    """Whether a page shows this error in words of its own (not its class's fallback)."""
    return exc.message in EXACT or _match(exc) is not None


def _value(name: str, raw: str, rule: Rule, word: Callable[[str], str], language: str) -> str:
    if name in rule.codes:
        return translated_label(raw, word)
    if name in rule.dates:
        try:
            return format_date(date.fromisoformat(raw), format="medium", locale=language)
        except ValueError:
            return raw
    return raw


def form_errors(request: Request, exc: DomainError) -> dict[str, str]:
    """A refused service call, as the error summary of the form that made it."""
    return {"__all__": error_text(page_language(request), exc)}


def error_text(language: str, exc: DomainError) -> str:
    """The error as a sentence in this language, for a form's error summary or an error page."""
    word = translations(language).gettext
    if exc.message in EXACT:
        return word(exc.message)
    matched = _match(exc)
    if matched is None:
        kind = next((k for k in FALLBACK if isinstance(exc, k)), Invalid)
        return word(FALLBACK[kind])
    rule, found = matched
    values = {k: _value(k, v, rule, word, language) for k, v in found.groupdict().items()}
    text = word(rule.msgid) % values if values else word(rule.msgid)
    if rule.allowed:
        allowed = [str(a) for a in exc.extra.get("allowed") or []]
        if allowed:
            names = ", ".join(word(LABELS[a]) if a in LABELS else a for a in allowed)
            text += " " + word(STEP_ALLOWED) % {"allowed": names}
        else:
            text += " " + word(STEP_NOTHING)
    return text
