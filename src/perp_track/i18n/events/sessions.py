"""Sentences of summonses, interpreters, attendance, reminders, reports to the authority and
programme sessions."""

from __future__ import annotations

from perp_track.i18n import N_
from perp_track.i18n.events.reader import Missing, Reader, with_text
from perp_track.ui.labels import LABELS

# Reports to the authority, by ReportKind.
REPORT_KINDS: dict[str, str] = {
    "intake": N_("intake report"),
    "periodic": N_("periodic report"),
    "non_compliance": N_("non-compliance report"),
    "final": N_("final report"),
}


def summons_scheduled(r: Reader) -> str:
    return r.say(
        N_("%(modality)s, on %(when)s."),
        modality=r.label(r.get("modality")),
        when=r.moment("scheduled_at"),
    )


def summons_rescheduled(r: Reader) -> str:
    sentence = r.say(
        N_("From %(before)s to %(when)s, asked by: %(who)s."),
        before=r.moment("previous_scheduled_at"),
        when=r.moment("scheduled_at"),
        who=r.label(r.get("requested_by")),
    )
    return with_text(sentence, r.data.get("reason"))


def summons_cancelled(r: Reader) -> str:
    sentence = r.say(N_("The summons of %(when)s is cancelled."), when=r.moment("scheduled_at"))
    return with_text(sentence, r.data.get("reason"))


def interpreter_booked(r: Reader) -> str:
    return r.say(
        N_("%(name)s, interpreter (%(language)s), for the summons of %(when)s; booking %(ref)s."),
        name=r.get("interpreter_name"),
        language=r.get("language"),
        when=r.moment("scheduled_at"),
        ref=r.get("booking_reference"),
    )


def interpreter_released(r: Reader) -> str:
    return r.say(
        N_("%(name)s is no longer booked for the summons of %(when)s (booking %(ref)s)."),
        name=r.get("interpreter_name"),
        when=r.moment("scheduled_at"),
        ref=r.get("booking_reference"),
    )


def attendance(r: Reader) -> str:
    sentence = r.say(
        N_("Summons of %(when)s: %(outcome)s."),
        when=r.moment("scheduled_at"),
        outcome=r.label(r.get("outcome")),
    )
    return with_text(sentence, r.data.get("reason"))


def repeated_missed(r: Reader) -> str:
    return r.say(N_("Summons missed without a valid reason: %(missed)s."), missed=r.get("missed"))


def repeated_absences(r: Reader) -> str:
    return r.say(
        N_("Programme sessions missed without a valid reason: %(missed)s."), missed=r.get("missed")
    )


def protection_ending(r: Reader) -> str:
    if r.data.get("days_left") == 0:
        return r.say(N_("Protection ends today (%(ends_on)s)."), ends_on=r.day("ends_on"))
    return r.say(N_("Protection ends on %(ends_on)s."), ends_on=r.day("ends_on"))


def summons_reminder(r: Reader) -> str:
    key = str(r.get("reminder"))
    if key == "morning":
        return r.say(N_("Reminder sent on the morning of the summons."))
    if key == "d1":
        return r.say(N_("Reminder sent the day before the summons."))
    if key == "eve":
        return r.say(N_("Reminder sent the evening before the summons."))
    if key.startswith("d") and key[1:].isdigit():
        return r.say(N_("Reminder sent %(days)s days before the summons."), days=int(key[1:]))
    raise Missing("reminder")


def attendance_overdue(r: Reader) -> str:
    return r.say(
        N_("Attendance not recorded for the summons of %(when)s."), when=r.moment("scheduled_at")
    )


def report_kind(r: Reader, key: str) -> str:
    kind = str(r.get(key))
    if kind not in REPORT_KINDS:
        raise Missing(key)
    return r.translate(REPORT_KINDS[kind])


def report_due(r: Reader) -> str:
    return r.say(
        N_("Report to the authority due on %(due_on)s (%(report)s)."),
        due_on=r.day("due_on"),
        report=report_kind(r, "report_kind"),
    )


def report_overdue(r: Reader) -> str:
    return r.say(
        N_("Report to the authority overdue since %(due_on)s (%(report)s)."),
        due_on=r.day("due_on"),
        report=report_kind(r, "report_kind"),
    )


def authority_report(r: Reader) -> str:
    return r.say(
        N_("Report sent to the authority (%(report)s): from %(start)s to %(end)s."),
        report=report_kind(r, "kind"),
        start=r.day("period_from"),
        end=r.day("period_to"),
    )


def session_kind(r: Reader) -> str:
    kind = str(r.get("session_kind"))
    if kind not in LABELS:
        raise Missing("session kind")
    return r.label(kind)


def session_scheduled(r: Reader) -> str:
    return r.say(
        N_("%(session)s on %(when)s."), session=session_kind(r), when=r.moment("starts_at")
    )


def session_cancelled(r: Reader) -> str:
    sentence = r.say(
        N_("Session cancelled: %(session)s, %(when)s."),
        session=session_kind(r),
        when=r.moment("starts_at"),
    )
    return with_text(sentence, r.data.get("reason"))


def programme_attendance(r: Reader) -> str:
    sentence = r.say(
        N_("Programme session of %(when)s: %(outcome)s."),
        when=r.moment("starts_at"),
        outcome=r.label(r.get("outcome")),
    )
    return with_text(sentence, r.data.get("reason"))
