"""A case event told in a language, from its kind and its data: one describe() for the case
page, the printed report, the data export and the messages.

An event stores its kind and what happened as data (codes, dates, numbers, and the free text a
person typed); the sentence is built here, through the catalogs. Free text is shown as typed,
never translated. An event whose data falls short (a pseudonymised row, a row recorded before
events carried their data and that could not be read back) is told by nothing more than its
kind's title: never by an English sentence in French or Dutch. Such an old row keeps its English
sentence in data["summary_en"], which an English reader still sees.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

from perp_track.cases.rules import EventKind
from perp_track.i18n import N_
from perp_track.i18n.catalogs import translations
from perp_track.ui.labels import FIELD_LABELS, LABELS, translated_label

BRUSSELS = ZoneInfo("Europe/Brussels")
# An old row's English sentence, kept where its data could not be read back from it.
LEGACY_SUMMARY = "summary_en"

# The kinds nothing records any more (or whose data names no more than the kind): the title.
TITLE_ONLY: frozenset[EventKind] = frozenset({EventKind.CASE_UPDATED, EventKind.PROGRAMME_REFERRAL})

# Reports to the authority, by ReportKind.
REPORT_KINDS: dict[str, str] = {
    "intake": N_("intake report"),
    "periodic": N_("periodic report"),
    "non_compliance": N_("non-compliance report"),
    "final": N_("final report"),
}


# The fields of a victim's safe-contact profile, as a change lists them.
SAFE_CONTACT_FIELDS: dict[str, str] = {
    "sms_allowed": N_("SMS allowed"),
    "safe_from": N_("Safe hours"),
    "safe_until": N_("Safe hours"),
    "detail_level": N_("Level of detail"),
    "language": N_("Language"),
    "show_sender": N_("Sender's name shown"),
    "code_word": N_("Code word"),
}


class _Missing(Exception):
    """The data lacks what the sentence needs."""


@dataclass(frozen=True, slots=True)
class _Reader:
    language: str
    tz: tzinfo
    data: Mapping[str, Any]
    condition_kinds: Mapping[int, str]
    # A risk tier's code -> its name in this language: tiers are data, not catalog entries.
    tier_names: Mapping[str, str]

    def translate(self, msgid: str) -> str:
        return translations(self.language).gettext(msgid)

    def get(self, key: str) -> Any:
        value = self.data.get(key)
        if value is None or value == "":
            raise _Missing(key)
        return value

    def label(self, code: Any) -> str:
        return translated_label(code, self.translate)

    def tier(self, key: str) -> str:
        """A risk tier's name (the code of a tier since removed, as it was recorded)."""
        code = str(self.get(key))
        return self.tier_names.get(code) or code

    def moment(self, key: str) -> str:
        value = self.get(key)
        at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        return format_datetime(at.astimezone(self.tz), format="short", locale=self.language)

    def day(self, key: str) -> str:
        value = self.get(key)
        when = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
        return format_date(when, format="medium", locale=self.language)

    def say(self, msgid: str, **variables: Any) -> str:
        text = self.translate(msgid)
        return text % variables if variables else text


def _with(sentence: str, free_text: Any) -> str:
    """A sentence, then what a person typed, as typed."""
    text = str(free_text or "").strip()
    return f"{sentence} {text}" if text else sentence


def _case_opened(r: _Reader) -> str:
    return r.say(N_("Risk level: %(risk)s."), risk=r.tier("risk_level"))


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


def _fields_changed(r: _Reader, fields: list[str], names: Mapping[str, str]) -> str:
    if not fields:
        raise _Missing("fields")
    words = [r.translate(names[f]) if f in names else r.label(f) for f in sorted(fields)]
    # Two fields may share a word (the start and end of the safe hours): said once.
    return r.say(N_("Changed: %(fields)s."), fields=", ".join(dict.fromkeys(words)))


def _measure_updated(r: _Reader) -> str:
    return _fields_changed(r, [k for k in r.data if k != LEGACY_SUMMARY], FIELD_LABELS)


def _safe_contact_updated(r: _Reader) -> str:
    return _fields_changed(r, list(r.get("fields")), SAFE_CONTACT_FIELDS)


def _perpetrator_contact_changed(r: _Reader) -> str:
    return _fields_changed(r, list(r.get("fields")), FIELD_LABELS)


def _case_reassigned(r: _Reader) -> str:
    sentence = r.say(N_("The case is now held by %(name)s."), name=r.get("to_name"))
    return _with(sentence, r.data.get("reason"))


def _referring_officer_changed(r: _Reader) -> str:
    if r.data.get("zone_name"):
        sentence = r.say(
            N_("The case is now followed by %(name)s (%(zone)s)."),
            name=r.get("to_name"),
            zone=r.get("zone_name"),
        )
    else:
        sentence = r.say(N_("The case is now followed by %(name)s."), name=r.get("to_name"))
    return _with(sentence, r.data.get("reason"))


def _condition_added(r: _Reader) -> str:
    return r.say(N_("Condition: %(kind)s."), kind=r.label(r.get("kind")))


def _condition_transition(r: _Reader) -> str:
    kind = r.data.get("condition_kind") or r.condition_kinds.get(int(r.get("condition_id")))
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
    if "reason" not in r.data:
        raise _Missing("reason")
    sentence = r.say(
        N_("Community service: %(hours)s h done (%(done)s of %(due)s)."),
        hours=r.get("hours"),
        done=r.get("done"),
        due=r.get("due"),
    )
    return _with(sentence, r.data["reason"])


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


def _interpreter_booked(r: _Reader) -> str:
    return r.say(
        N_("%(name)s, interpreter (%(language)s), for the summons of %(when)s; booking %(ref)s."),
        name=r.get("interpreter_name"),
        language=r.get("language"),
        when=r.moment("scheduled_at"),
        ref=r.get("booking_reference"),
    )


def _interpreter_released(r: _Reader) -> str:
    return r.say(
        N_("%(name)s is no longer booked for the summons of %(when)s (booking %(ref)s)."),
        name=r.get("interpreter_name"),
        when=r.moment("scheduled_at"),
        ref=r.get("booking_reference"),
    )


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
    if key == "eve":
        return r.say(N_("Reminder sent the evening before the summons."))
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
    return r.say(
        N_("Report sent to the authority (%(report)s): from %(start)s to %(end)s."),
        report=_report_kind(r, "kind"),
        start=r.day("period_from"),
        end=r.day("period_to"),
    )


def _session_kind(r: _Reader) -> str:
    kind = str(r.get("session_kind"))
    if kind not in LABELS:
        raise _Missing("session kind")
    return r.label(kind)


def _session_scheduled(r: _Reader) -> str:
    return r.say(
        N_("%(session)s on %(when)s."), session=_session_kind(r), when=r.moment("starts_at")
    )


def _session_cancelled(r: _Reader) -> str:
    sentence = r.say(
        N_("Session cancelled: %(session)s, %(when)s."),
        session=_session_kind(r),
        when=r.moment("starts_at"),
    )
    return _with(sentence, r.data.get("reason"))


def _programme_attendance(r: _Reader) -> str:
    sentence = r.say(
        N_("Programme session of %(when)s: %(outcome)s."),
        when=r.moment("starts_at"),
        outcome=r.label(r.get("outcome")),
    )
    return _with(sentence, r.data.get("reason"))


def _risk_reassessed(r: _Reader) -> str:
    sentence = r.say(
        N_("Risk level %(from)s → %(to)s."),
        **{"from": r.tier("from"), "to": r.tier("to")},
    )
    return _with(sentence, r.data.get("reason"))


def _risk_loop_raised(r: _Reader) -> str:
    return r.say(
        N_("%(trigger)s at %(level)s risk: to be answered by %(due)s."),
        trigger=r.label(r.get("trigger")),
        level=r.tier("level").lower(),
        due=r.moment("due_at"),
    )


def _risk_alert(r: _Reader) -> str:
    alert = r.label(r.get("alert_kind"))
    if r.data.get("outcome"):
        sentence = r.say(
            N_("%(alert)s: %(outcome)s."), alert=alert, outcome=r.label(r.get("outcome"))
        )
        return _with(sentence, r.data.get("note"))
    if r.data.get("due_at") and r.data.get("acknowledged_at"):
        return r.say(
            N_(
                "%(alert)s acknowledged but not done by %(due)s: the supervisors and the police"
                " zone are told."
            ),
            alert=alert,
            due=r.moment("due_at"),
        )
    if r.data.get("due_at"):
        return r.say(
            N_("%(alert)s unanswered by %(due)s: the supervisors and the police zone are told."),
            alert=alert,
            due=r.moment("due_at"),
        )
    return r.say(N_("%(alert)s acknowledged."), alert=alert)


def _risk_call_task(r: _Reader) -> str:
    return r.say(
        N_("The justice assistant is asked to call before the summons of %(when)s."),
        when=r.moment("scheduled_at"),
    )


def _sapv_status_sent(r: _Reader) -> str:
    return r.say(
        N_("Risk level %(level)s; measures in force: %(measures)s."),
        level=r.tier("level"),
        measures=int(r.data.get("measures") or 0),
    )


def _programme_behaviour(r: _Reader) -> str:
    when = r.moment("starts_at")
    if r.data.get("conduct"):
        sentence = r.say(
            N_("Programme session of %(when)s: %(conduct)s."),
            when=when,
            conduct=r.label(r.get("conduct")),
        )
    else:
        sentence = r.say(N_("Programme session of %(when)s."), when=when)
    sentence = _with(sentence, r.data.get("note"))
    if r.data.get("concern"):
        concern = r.say(N_("Concern:"))
        sentence = _with(f"{sentence} {concern}", r.data.get("description"))
    return sentence


def _consent(msgid: str) -> Callable[[_Reader], str]:
    def rule(r: _Reader) -> str:
        return _with(r.say(msgid), r.data.get("note"))

    return rule


def _case_restricted(r: _Reader) -> str:
    sentence = r.say(
        N_("Reason: %(reason)s. Only these people see it: %(names)s."),
        reason=r.label(r.get("reason")),
        names=", ".join(str(n) for n in r.get("named")),
    )
    return _with(sentence, r.data.get("note"))


# Why her number is to be confirmed (notify/victim_control).
NUMBER_CHECK_REASONS: dict[str, str] = {
    "consent": N_(
        "Her consent was recorded: a neutral SMS asks her to confirm her number with her code."
    ),
    "phone_change": N_(
        "Her number changed: a neutral SMS asks her to confirm the new one with her code."
    ),
    "new_code": N_("A new code was made for her number; the previous one no longer works."),
}


def _number_check_started(r: _Reader) -> str:
    reason = str(r.get("reason"))
    if reason not in NUMBER_CHECK_REASONS:
        raise _Missing("reason")
    return r.say(NUMBER_CHECK_REASONS[reason])


def _wrong_code(r: _Reader) -> str:
    return r.say(
        N_("A wrong code came from her number (%(count)s of 3)."), count=int(r.get("wrong_codes"))
    )


def _said(msgid: str) -> Callable[[_Reader], str]:
    def rule(r: _Reader) -> str:
        return r.say(msgid)

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
    EventKind.INTERPRETER_BOOKED: _interpreter_booked,
    EventKind.INTERPRETER_RELEASED: _interpreter_released,
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
    EventKind.PROGRAMME_ATTENDANCE: _programme_attendance,
    EventKind.PROGRAMME_ATTENDANCE_CORRECTED: _programme_attendance,
    EventKind.PERPETRATOR_ADDRESS_CHANGED: lambda r: r.say(
        N_("The person followed reported a change of address.")
    ),
    EventKind.VICTIM_CONSENT_RECORDED: _consent(N_("The victim's consent to SMS was recorded.")),
    EventKind.VICTIM_CONSENT_REVOKED: _consent(N_("The victim's consent to SMS was revoked.")),
    EventKind.SAFE_CONTACT_UPDATED: _safe_contact_updated,
    EventKind.RISK_REASSESSED: _risk_reassessed,
    EventKind.RISK_LOOP_RAISED: _risk_loop_raised,
    EventKind.RISK_ALERT_ACKNOWLEDGED: _risk_alert,
    EventKind.RISK_ALERT_DONE: _risk_alert,
    EventKind.RISK_ALERT_ESCALATED: _risk_alert,
    EventKind.RISK_CALL_TASK: _risk_call_task,
    EventKind.SAPV_STATUS_SENT: _sapv_status_sent,
    EventKind.PROGRAMME_BEHAVIOUR: _programme_behaviour,
    EventKind.PERPETRATOR_CONTACT_CHANGED: _perpetrator_contact_changed,
    EventKind.CASE_REASSIGNED: _case_reassigned,
    EventKind.REFERRING_OFFICER_CHANGED: _referring_officer_changed,
    EventKind.CASE_RESTRICTED: _case_restricted,
    EventKind.CASE_UNRESTRICTED: lambda r: _with(
        r.say(N_("Everyone who may see the house's cases sees it again.")), r.get("note")
    ),
    EventKind.CASE_ACCESS_GRANTED: lambda r: r.say(
        N_("%(name)s may see the case."), name=r.get("name")
    ),
    EventKind.CASE_ACCESS_REMOVED: lambda r: r.say(
        N_("%(name)s may no longer see the case."), name=r.get("name")
    ),
    EventKind.VICTIM_NUMBER_CHECK_STARTED: _number_check_started,
    EventKind.VICTIM_NUMBER_CHECK_RESENT: _said(
        N_("The request to confirm her number was sent again, with the same code.")
    ),
    EventKind.VICTIM_NUMBER_CODE_SHOWN: _said(
        N_("Her code was shown to her SAPV contact, to give her in person.")
    ),
    EventKind.VICTIM_NUMBER_WRONG_CODE: _wrong_code,
    EventKind.VICTIM_NUMBER_CONFIRMED: _said(
        N_("She confirmed her number with her code: updates may go to it.")
    ),
    EventKind.VICTIM_NUMBER_BLOCKED: _said(
        N_("Three wrong codes: her number is blocked until her SAPV contact gives her a new code.")
    ),
    EventKind.VICTIM_UPDATES_PAUSED: _said(
        N_("She paused her updates by SMS; her consent stands. Updates wait.")
    ),
    EventKind.VICTIM_UPDATES_RESUMED: _said(
        N_("She resumed her updates by SMS; those still useful were sent.")
    ),
}


def _field(event: Any, name: str) -> Any:
    return event.get(name) if isinstance(event, Mapping) else getattr(event, name, None)


def describe(
    event: Any,
    language: str,
    *,
    tz: tzinfo = BRUSSELS,
    condition_kinds: Mapping[int, str] | None = None,
    tier_names: Mapping[str, str] | None = None,
) -> str:
    """What happened, in `language` (fr, nl, en): a sentence, or "" when the event's data says
    no more than its kind's title. `event` is a row, a record or a mapping with kind and data."""
    data = _field(event, "data") or {}
    try:
        rule = RULES.get(EventKind(str(_field(event, "kind"))))
    except ValueError:
        rule = None
    if rule is not None:
        reader = _Reader(
            language=language,
            tz=tz,
            data=data,
            condition_kinds=condition_kinds or {},
            tier_names=tier_names or {},
        )
        try:
            return rule(reader)
        except (_Missing, ValueError, TypeError):
            pass
    if language == "en":
        return str(data.get(LEGACY_SUMMARY) or "")
    return ""


def title(kind: str, language: str) -> str:
    """The event's kind as a title, in `language`."""
    return translated_label(kind, translations(language).gettext)
