"""A case timeline entry told in the reader's language, from its kind and its data.

The services store a summary sentence in English when the event happens: the record as
written. The page builds the reader's sentence from the event's data through the catalogs;
where the data does not carry what a sentence needs (older rows, pseudonymised rows, kinds
whose data is thin), it shows the stored English summary, marked as English.

Free text a person typed (a reason, a note) is shown as typed, never translated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from babel.dates import format_date, format_datetime

from perp_track.cases.rules import EventKind
from perp_track.ui.i18n import N_
from perp_track.ui.labels import FIELD_LABELS, LABELS, translated_label

Translate = Callable[[str], str]

# The kinds told from the stored summary only: no data to build a sentence from (nothing
# records CASE_UPDATED or PROGRAMME_REFERRAL; a safe-contact change names its fields in
# the summary only).
FALLBACK_KINDS: frozenset[EventKind] = frozenset(
    {EventKind.CASE_UPDATED, EventKind.PROGRAMME_REFERRAL, EventKind.SAFE_CONTACT_UPDATED}
)

# Reports to the authority, by ReportKind.
REPORT_KINDS: dict[str, str] = {
    "intake": N_("intake report"),
    "periodic": N_("periodic report"),
    "non_compliance": N_("non-compliance report"),
    "final": N_("final report"),
}


@dataclass(frozen=True, slots=True)
class Detail:
    """The sentence under an entry, and its language when it is not the page's ("en")."""

    text: str
    lang: str | None = None


class _Missing(Exception):
    """The data lacks what the sentence needs: show the stored summary."""


@dataclass(frozen=True, slots=True)
class _Reader:
    translate: Translate
    lang: str
    tz: tzinfo
    data: Mapping[str, Any]
    summary: str
    condition_kinds: Mapping[int, str]

    def get(self, key: str) -> Any:
        value = self.data.get(key)
        if value is None or value == "":
            raise _Missing(key)
        return value

    def label(self, code: Any) -> str:
        return translated_label(code, self.translate)

    def moment(self, key: str) -> str:
        value = self.get(key)
        at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        return format_datetime(at.astimezone(self.tz), format="short", locale=self.lang)

    def day(self, key: str) -> str:
        return self.format_day(str(self.get(key)))

    def format_day(self, iso: str) -> str:
        return format_date(date.fromisoformat(iso[:10]), format="medium", locale=self.lang)

    def say(self, msgid: str, **variables: Any) -> str:
        text = self.translate(msgid)
        return text % variables if variables else text

    def after(self, prefix: str) -> str:
        """What the stored summary says after `prefix` (free text written into it)."""
        if not self.summary.startswith(prefix):
            raise _Missing(prefix)
        return self.summary[len(prefix) :]


def _with(sentence: str, free_text: Any) -> str:
    """A sentence, then what a person typed, as typed."""
    text = str(free_text or "").strip()
    return f"{sentence} {text}" if text else sentence


def _case_opened(r: _Reader) -> str:
    return r.say(N_("Risk level: %(risk)s."), risk=r.label(r.get("risk_level")))


def _measure_added(r: _Reader) -> str:
    return r.say(
        N_("%(kind)s, until %(ends_on)s."), kind=r.label(r.get("kind")), ends_on=r.day("ends_on")
    )


def _measure_transition(r: _Reader) -> str:
    moved = {"from": r.label(r.get("from")), "to": r.label(r.get("to"))}
    if r.data.get("ends_on"):
        sentence = r.say(
            N_("%(from)s → %(to)s, until %(ends_on)s."), ends_on=r.day("ends_on"), **moved
        )
    else:
        sentence = r.say(N_("%(from)s → %(to)s."), **moved)
    return _with(sentence, r.data.get("reason"))


def _measure_updated(r: _Reader) -> str:
    if not r.data:
        raise _Missing("fields")
    fields = sorted(r.data)
    words = [
        r.translate(FIELD_LABELS[f]) if f in FIELD_LABELS else f.replace("_", " ") for f in fields
    ]
    return r.say(N_("Changed: %(fields)s."), fields=", ".join(words))


def _condition_added(r: _Reader) -> str:
    return r.say(N_("Condition: %(kind)s."), kind=r.label(r.get("kind")))


def _condition_transition(r: _Reader) -> str:
    kind = r.condition_kinds.get(int(r.get("condition_id")))
    if kind is None:
        raise _Missing("condition kind")
    moved = {"condition": r.label(kind), "from": r.label(r.get("from")), "to": r.label(r.get("to"))}
    if r.data.get("interruption"):
        sentence = r.say(
            N_("%(condition)s: %(from)s → %(to)s (%(interruption)s)."),
            interruption=r.label(r.data["interruption"]),
            **moved,
        )
    else:
        sentence = r.say(N_("%(condition)s: %(from)s → %(to)s."), **moved)
    return _with(sentence, r.data.get("reason"))


def _condition_hours(r: _Reader) -> str:
    hours, done, due = r.get("hours"), r.get("done"), r.get("due")
    reason = r.data.get("reason")
    if reason is None:  # before the reason was kept in the data: it ends the summary
        reason = r.after(f"Community service: {hours} h done ({done}/{due}). ")
    sentence = r.say(
        N_("Community service: %(hours)s h done (%(done)s of %(due)s)."),
        hours=hours,
        done=done,
        due=due,
    )
    return _with(sentence, reason)


def _summons_scheduled(r: _Reader) -> str:
    return r.say(
        N_("%(modality)s, on %(when)s."),
        modality=r.label(r.get("modality")),
        when=r.moment("scheduled_at"),
    )


def _summons_rescheduled(r: _Reader) -> str:
    sentence = r.say(
        N_("From %(before)s to %(when)s, asked by: %(who)s."),
        before=r.moment("previous_scheduled_at"),
        when=r.moment("scheduled_at"),
        who=r.label(r.get("requested_by")),
    )
    return _with(sentence, r.data.get("reason"))


def _summons_cancelled(r: _Reader) -> str:
    sentence = r.say(N_("The summons of %(when)s is cancelled."), when=r.moment("scheduled_at"))
    return _with(sentence, r.data.get("reason"))


def _attendance(r: _Reader) -> str:
    sentence = r.say(
        N_("Summons of %(when)s: %(outcome)s."),
        when=r.moment("scheduled_at"),
        outcome=r.label(r.get("outcome")),
    )
    return _with(sentence, r.data.get("reason"))


def _repeated_missed(r: _Reader) -> str:
    return r.say(N_("Summons missed without a valid reason: %(missed)s."), missed=r.get("missed"))


def _repeated_absences(r: _Reader) -> str:
    return r.say(
        N_("Programme sessions missed without a valid reason: %(missed)s."), missed=r.get("missed")
    )


def _protection_ending(r: _Reader) -> str:
    if r.data.get("days_left") == 0:
        return r.say(N_("Protection ends today (%(ends_on)s)."), ends_on=r.day("ends_on"))
    return r.say(N_("Protection ends on %(ends_on)s."), ends_on=r.day("ends_on"))


def _summons_reminder(r: _Reader) -> str:
    key = str(r.get("reminder"))
    if key == "morning":
        return r.say(N_("Reminder sent on the morning of the summons."))
    if key == "d1":
        return r.say(N_("Reminder sent the day before the summons."))
    if key.startswith("d") and key[1:].isdigit():
        return r.say(N_("Reminder sent %(days)s days before the summons."), days=int(key[1:]))
    raise _Missing("reminder")


def _attendance_overdue(r: _Reader) -> str:
    return r.say(
        N_("Attendance not recorded for the summons of %(when)s."), when=r.moment("scheduled_at")
    )


def _report_kind(r: _Reader, key: str) -> str:
    kind = str(r.get(key))
    if kind not in REPORT_KINDS:
        raise _Missing(key)
    return r.translate(REPORT_KINDS[kind])


def _report_due(r: _Reader) -> str:
    return r.say(
        N_("Report to the authority due on %(due_on)s (%(report)s)."),
        due_on=r.day("due_on"),
        report=_report_kind(r, "report_kind"),
    )


def _report_overdue(r: _Reader) -> str:
    return r.say(
        N_("Report to the authority overdue since %(due_on)s (%(report)s)."),
        due_on=r.day("due_on"),
        report=_report_kind(r, "report_kind"),
    )


def _authority_report(r: _Reader) -> str:
    kind = str(r.get("kind"))
    if "period_from" in r.data:
        start, end = str(r.get("period_from")), str(r.get("period_to"))
    else:  # older rows: the period ends the summary
        start, _, end = r.after(f"Report to the authority ({kind.replace('_', ' ')}): ").partition(
            " to "
        )
    try:
        period = {"start": r.format_day(start), "end": r.format_day(end)}
    except ValueError as error:
        raise _Missing("period") from error
    return r.say(
        N_("Report sent to the authority (%(report)s): from %(start)s to %(end)s."),
        report=_report_kind(r, "kind"),
        **period,
    )


def _session_kind(r: _Reader, prefix: str, end: str) -> str:
    """The session's kind, written as a code into the summary (not kept in the data)."""
    kind = r.after(prefix).partition(end)[0]
    if kind not in LABELS:
        raise _Missing("session kind")
    return r.label(kind)


def _session_scheduled(r: _Reader) -> str:
    return r.say(
        N_("%(session)s on %(when)s."),
        session=_session_kind(r, "Programme session scheduled (", ")"),
        when=r.moment("starts_at"),
    )


def _session_cancelled(r: _Reader) -> str:
    sentence = r.say(
        N_("Session cancelled: %(session)s, %(when)s."),
        session=_session_kind(r, "Programme session cancelled (", "):"),
        when=r.moment("starts_at"),
    )
    return _with(sentence, r.data.get("reason"))


def _programme_attendance(r: _Reader, prefix: str) -> str:
    outcome = str(r.get("outcome"))
    reason = r.data.get("reason")
    if reason is None:  # the reason follows the outcome in the summary, in brackets
        rest = r.after(prefix + outcome.replace("_", " "))
        reason = rest[2:-1] if rest.startswith(" (") and rest.endswith(")") else ""
        if rest and not reason:
            raise _Missing("reason")
    sentence = r.say(
        N_("Programme session of %(when)s: %(outcome)s."),
        when=r.moment("starts_at"),
        outcome=r.label(outcome),
    )
    return _with(sentence, reason)


def _consent(msgid: str, prefix: str) -> Callable[[_Reader], str]:
    def rule(r: _Reader) -> str:
        rest = r.after(prefix)
        if rest and not rest.startswith(": "):
            raise _Missing("note")
        return _with(r.say(msgid), rest[2:])

    return rule


RULES: dict[EventKind, Callable[[_Reader], str]] = {
    EventKind.CASE_OPENED: _case_opened,
    EventKind.MEASURE_ADDED: _measure_added,
    EventKind.MEASURE_TRANSITION: _measure_transition,
    EventKind.MEASURE_UPDATED: _measure_updated,
    EventKind.CONDITION_ADDED: _condition_added,
    EventKind.CONDITION_TRANSITION: _condition_transition,
    EventKind.PROGRAMME_INTERRUPTED: _condition_transition,
    EventKind.BAN_BREACH_REPORTED: _condition_transition,
    EventKind.PROGRAMME_COMPLETED: _condition_transition,
    EventKind.CONDITION_HOURS: _condition_hours,
    EventKind.SUMMONS_SCHEDULED: _summons_scheduled,
    EventKind.SUMMONS_RESCHEDULED: _summons_rescheduled,
    EventKind.SUMMONS_CANCELLED: _summons_cancelled,
    EventKind.ATTENDANCE_RECORDED: _attendance,
    EventKind.ATTENDANCE_CORRECTED: _attendance,
    EventKind.REPEATED_MISSED_SUMMONS: _repeated_missed,
    EventKind.REPEATED_PROGRAMME_ABSENCES: _repeated_absences,
    EventKind.PROTECTION_ENDING: _protection_ending,
    EventKind.SUMMONS_REMINDER: _summons_reminder,
    EventKind.ATTENDANCE_OVERDUE: _attendance_overdue,
    EventKind.REPORT_DUE: _report_due,
    EventKind.REPORT_OVERDUE: _report_overdue,
    EventKind.AUTHORITY_REPORT: _authority_report,
    EventKind.SESSION_SCHEDULED: _session_scheduled,
    EventKind.SESSION_CANCELLED: _session_cancelled,
    EventKind.PROGRAMME_ATTENDANCE: lambda r: _programme_attendance(r, "Programme session: "),
    EventKind.PROGRAMME_ATTENDANCE_CORRECTED: lambda r: _programme_attendance(
        r, "Programme attendance corrected: "
    ),
    EventKind.PERPETRATOR_ADDRESS_CHANGED: lambda r: r.say(
        N_("The person followed reported a change of address.")
    ),
    EventKind.VICTIM_CONSENT_RECORDED: _consent(
        N_("The victim's consent to SMS was recorded."), "Victim's consent to SMS recorded"
    ),
    EventKind.VICTIM_CONSENT_REVOKED: _consent(
        N_("The victim's consent to SMS was revoked."), "Victim's consent to SMS revoked"
    ),
}


# Kinds whose sentence needs no data.
_CONSTANT = frozenset({EventKind.PERPETRATOR_ADDRESS_CHANGED})


def describe(
    *,
    kind: str,
    data: Mapping[str, Any] | None,
    summary: str,
    translate: Translate,
    lang: str,
    tz: tzinfo,
    condition_kinds: Mapping[int, str] | None = None,
) -> Detail:
    """The detail of one timeline entry in `lang`, or the stored English summary."""
    try:
        rule = RULES.get(EventKind(kind))
    except ValueError:
        rule = None
    if rule is None or not (data or kind in _CONSTANT):
        return Detail(summary, "en")
    reader = _Reader(
        translate=translate,
        lang=lang,
        tz=tz,
        data=data or {},
        summary=summary,
        condition_kinds=condition_kinds or {},
    )
    try:
        return Detail(rule(reader))
    except (_Missing, ValueError, TypeError):
        return Detail(summary, "en")
