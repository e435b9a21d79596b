"""A case event told in a language, from its kind and its data: one describe() for the case
page, the printed report, the data export and the messages.

An event stores its kind and what happened as data (codes, dates, numbers, and the free text a
person typed); the sentence is built here, through the catalogs. Free text is shown as typed,
never translated. An event whose data falls short (a pseudonymised row, a row recorded before
events carried their data and that could not be read back) is told by nothing more than its
kind's title: never by an English sentence in French or Dutch. Such an old row keeps its English
sentence in data["summary_en"], which an English reader still sees.

The sentences are built by kind in cases.py, sessions.py and safety.py, over reader.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from perp_track.cases.rules import EventKind
from perp_track.i18n import N_
from perp_track.i18n.catalogs import translations
from perp_track.i18n.events import cases, safety, sessions
from perp_track.i18n.events.reader import LEGACY_SUMMARY, Missing, Reader, with_text
from perp_track.ui.labels import translated_label

BRUSSELS = ZoneInfo("Europe/Brussels")

# The kinds nothing records any more (or whose data names no more than the kind): the title.
TITLE_ONLY: frozenset[EventKind] = frozenset({EventKind.CASE_UPDATED, EventKind.PROGRAMME_REFERRAL})

RULES: dict[EventKind, Callable[[Reader], str]] = {
    EventKind.CASE_OPENED: cases.case_opened,
    EventKind.MEASURE_ADDED: cases.measure_added,
    EventKind.MEASURE_TRANSITION: cases.measure_transition,
    EventKind.MEASURE_UPDATED: cases.measure_updated,
    EventKind.CONDITION_ADDED: cases.condition_added,
    EventKind.CONDITION_TRANSITION: cases.condition_transition,
    EventKind.PROGRAMME_INTERRUPTED: cases.condition_transition,
    EventKind.BAN_BREACH_REPORTED: cases.condition_transition,
    EventKind.PROGRAMME_COMPLETED: cases.condition_transition,
    EventKind.CONDITION_HOURS: cases.condition_hours,
    EventKind.SUMMONS_SCHEDULED: sessions.summons_scheduled,
    EventKind.SUMMONS_RESCHEDULED: sessions.summons_rescheduled,
    EventKind.SUMMONS_CANCELLED: sessions.summons_cancelled,
    EventKind.INTERPRETER_BOOKED: sessions.interpreter_booked,
    EventKind.INTERPRETER_RELEASED: sessions.interpreter_released,
    EventKind.ATTENDANCE_RECORDED: sessions.attendance,
    EventKind.ATTENDANCE_CORRECTED: sessions.attendance,
    EventKind.REPEATED_MISSED_SUMMONS: sessions.repeated_missed,
    EventKind.REPEATED_PROGRAMME_ABSENCES: sessions.repeated_absences,
    EventKind.PROTECTION_ENDING: sessions.protection_ending,
    EventKind.SUMMONS_REMINDER: sessions.summons_reminder,
    EventKind.ATTENDANCE_OVERDUE: sessions.attendance_overdue,
    EventKind.REPORT_DUE: sessions.report_due,
    EventKind.REPORT_OVERDUE: sessions.report_overdue,
    EventKind.AUTHORITY_REPORT: sessions.authority_report,
    EventKind.SESSION_SCHEDULED: sessions.session_scheduled,
    EventKind.SESSION_CANCELLED: sessions.session_cancelled,
    EventKind.PROGRAMME_ATTENDANCE: sessions.programme_attendance,
    EventKind.PROGRAMME_ATTENDANCE_CORRECTED: sessions.programme_attendance,
    EventKind.PERPETRATOR_ADDRESS_CHANGED: lambda r: r.say(
        N_("The person followed reported a change of address.")
    ),
    EventKind.VICTIM_CONSENT_RECORDED: safety.consent(
        N_("The victim's consent to SMS was recorded.")
    ),
    EventKind.VICTIM_CONSENT_REVOKED: safety.consent(
        N_("The victim's consent to SMS was revoked.")
    ),
    EventKind.SAFE_CONTACT_UPDATED: cases.safe_contact_updated,
    EventKind.RISK_REASSESSED: safety.risk_reassessed,
    EventKind.RISK_LOOP_RAISED: safety.risk_loop_raised,
    EventKind.RISK_ALERT_ACKNOWLEDGED: safety.risk_alert,
    EventKind.RISK_ALERT_DONE: safety.risk_alert,
    EventKind.RISK_ALERT_ESCALATED: safety.risk_alert,
    EventKind.RISK_CALL_TASK: safety.risk_call_task,
    EventKind.SAPV_STATUS_SENT: safety.sapv_status_sent,
    EventKind.PROGRAMME_BEHAVIOUR: safety.programme_behaviour,
    EventKind.PERPETRATOR_CONTACT_CHANGED: cases.perpetrator_contact_changed,
    EventKind.CASE_REASSIGNED: cases.case_reassigned,
    EventKind.REFERRING_OFFICER_CHANGED: cases.referring_officer_changed,
    EventKind.CASE_RESTRICTED: safety.case_restricted,
    EventKind.CASE_UNRESTRICTED: lambda r: with_text(
        r.say(N_("Everyone who may see the house's cases sees it again.")), r.get("note")
    ),
    EventKind.CASE_ACCESS_GRANTED: lambda r: r.say(
        N_("%(name)s may see the case."), name=r.get("name")
    ),
    EventKind.CASE_ACCESS_REMOVED: lambda r: r.say(
        N_("%(name)s may no longer see the case."), name=r.get("name")
    ),
    EventKind.VICTIM_NUMBER_CHECK_STARTED: safety.number_check_started,
    EventKind.VICTIM_NUMBER_CHECK_RESENT: safety.said(
        N_("The request to confirm her number was sent again, with the same code.")
    ),
    EventKind.VICTIM_NUMBER_CODE_SHOWN: safety.said(
        N_("Her code was shown to her SAPV contact, to give her in person.")
    ),
    EventKind.VICTIM_NUMBER_WRONG_CODE: safety.wrong_code,
    EventKind.VICTIM_NUMBER_CONFIRMED: safety.said(
        N_("She confirmed her number with her code: updates may go to it.")
    ),
    EventKind.VICTIM_NUMBER_BLOCKED: safety.said(
        N_("Three wrong codes: her number is blocked until her SAPV contact gives her a new code.")
    ),
    EventKind.VICTIM_UPDATES_PAUSED: safety.said(
        N_("She paused her updates by SMS; her consent stands. Updates wait.")
    ),
    EventKind.VICTIM_UPDATES_RESUMED: safety.said(
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
        reader = Reader(
            language=language,
            tz=tz,
            data=data,
            condition_kinds=condition_kinds or {},
            tier_names=tier_names or {},
        )
        try:
            return rule(reader)
        except (Missing, ValueError, TypeError):
            pass
    if language == "en":
        return str(data.get(LEGACY_SUMMARY) or "")
    return ""


def title(kind: str, language: str) -> str:
    """The event's kind as a title, in `language`."""
    return translated_label(kind, translations(language).gettext)
