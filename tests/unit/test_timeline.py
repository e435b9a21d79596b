"""Every kind of timeline entry is told in the reader's language from its kind and data; an
entry whose data falls short shows its title only, never an English sentence in FR or NL."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest

from perp_track.cases.rules import EventKind
from perp_track.i18n.events import LEGACY_SUMMARY, RULES, TITLE_ONLY, describe

TZ = ZoneInfo("Europe/Brussels")
AT = "2026-12-01T09:00:00+00:00"

# What each kind's service writes (data, summary), as recorded today.
RECORDED: dict[EventKind, tuple[dict[str, Any], str]] = {
    EventKind.CASE_OPENED: ({"risk_level": "high"}, "Case opened on a mandate from the prosecutor"),
    EventKind.MEASURE_ADDED: (
        {"kind": "probation", "ends_on": "2027-06-30"},
        "Measure added: probation until 2027-06-30 (2 conditions)",
    ),
    EventKind.MEASURE_TRANSITION: (
        {"from": "active", "to": "suspended", "event": "suspend", "reason": "Hospital", "by": "ja"},
        "Measure probation: active → suspended. Hospital",
    ),
    EventKind.MEASURE_UPDATED: ({"ends_on": "2027-07-01"}, "Measure updated: ends on"),
    EventKind.CONDITION_ADDED: ({"kind": "therapy"}, "Condition added: therapy"),
    EventKind.CONDITION_TRANSITION: (
        {"condition_id": 7, "from": "pending", "to": "in_progress", "event": "start", "reason": ""},
        "Condition therapy: pending → in_progress. ",
    ),
    EventKind.PROGRAMME_INTERRUPTED: (
        {"condition_id": 7, "from": "in_progress", "to": "breached", "interruption": "dropped_out"},
        "Condition programme: in_progress → breached (dropped out). ",
    ),
    EventKind.BAN_BREACH_REPORTED: (
        {"condition_id": 7, "from": "in_progress", "to": "breached", "reason": "Seen at home"},
        "Condition contact ban: in_progress → breached. Seen at home",
    ),
    EventKind.PROGRAMME_COMPLETED: (
        {"condition_id": 7, "from": "in_progress", "to": "met", "reason": ""},
        "Condition programme: in_progress → met. ",
    ),
    EventKind.CONDITION_HOURS: (
        {"condition_id": 7, "hours": 3, "done": 5, "due": 10, "reason": "Park"},
        "Community service: 3 h done (5/10). Park",
    ),
    EventKind.SUMMONS_SCHEDULED: (
        {"scheduled_at": AT, "modality": "in_person", "place": ""},
        "Summons scheduled (in person)",
    ),
    EventKind.SUMMONS_RESCHEDULED: (
        {
            "scheduled_at": AT,
            "modality": "phone",
            "place": "",
            "previous_scheduled_at": "2026-11-28T09:00:00+00:00",
            "reason": "Work",
            "requested_by": "perpetrator",
        },
        "Summons moved at the request of the perpetrator: Work",
    ),
    EventKind.SUMMONS_CANCELLED: (
        {"scheduled_at": AT, "modality": "video", "place": "", "reason": "Strike"},
        "Summons cancelled: Strike",
    ),
    EventKind.INTERPRETER_BOOKED: (
        {
            "scheduled_at": AT,
            "interpreter_name": "Samira Haddou",
            "language": "arabic",
            "booking_reference": "ITP-ABCD-2345",
        },
        "Interpreter booked: Samira Haddou (arabic), ITP-ABCD-2345",
    ),
    EventKind.INTERPRETER_RELEASED: (
        {
            "scheduled_at": AT,
            "interpreter_name": "Samira Haddou",
            "language": "arabic",
            "booking_reference": "ITP-ABCD-2345",
        },
        "Interpreter released: Samira Haddou, ITP-ABCD-2345",
    ),
    EventKind.ATTENDANCE_RECORDED: (
        {"outcome": "attended", "reason": None, "scheduled_at": AT},
        "Attendance: attended",
    ),
    EventKind.ATTENDANCE_CORRECTED: (
        {"outcome": "absent_valid_reason", "reason": "Ill", "scheduled_at": AT},
        "Attendance corrected: absent valid reason (Ill)",
    ),
    EventKind.REPEATED_MISSED_SUMMONS: ({"missed": 2}, "2 summons missed without a valid reason"),
    EventKind.REPEATED_PROGRAMME_ABSENCES: (
        {"missed": 2, "condition_id": 7},
        "2 programme sessions missed without a valid reason",
    ),
    EventKind.PROTECTION_ENDING: (
        {"days_left": 3, "ends_on": "2026-12-04", "alert": 3},
        "Protection ends in 3 days (2026-12-04)",
    ),
    EventKind.SUMMONS_REMINDER: ({"reminder": "d3"}, "Reminder (d3) sent for the summons"),
    EventKind.ATTENDANCE_OVERDUE: (
        {"scheduled_at": AT},
        "Attendance not recorded 48 hours after the summons",
    ),
    EventKind.REPORT_DUE: (
        {"due_on": "2026-12-10", "report_kind": "periodic"},
        "Report to the authority due 2026-12-10 (in 9 days)",
    ),
    EventKind.REPORT_OVERDUE: (
        {"due_on": "2026-11-10", "report_kind": "intake"},
        "Report to the authority overdue since 2026-11-10",
    ),
    EventKind.AUTHORITY_REPORT: (
        {
            "report_id": 1,
            "kind": "periodic",
            "period_from": "2026-06-01",
            "period_to": "2026-11-30",
        },
        "Report to the authority (periodic): 2026-06-01 to 2026-11-30",
    ),
    EventKind.SESSION_SCHEDULED: (
        {"session_id": 1, "condition_id": 7, "starts_at": AT, "session_kind": "group"},
        "Programme session scheduled (group)",
    ),
    EventKind.SESSION_CANCELLED: (
        {
            "session_id": 1,
            "condition_id": 7,
            "starts_at": AT,
            "session_kind": "group",
            "reason": "Ill trainer",
        },
        "Programme session cancelled (group): Ill trainer",
    ),
    EventKind.PROGRAMME_ATTENDANCE: (
        {"session_id": 1, "condition_id": 7, "outcome": "late", "starts_at": AT, "reason": "Bus"},
        "Programme session: late (Bus)",
    ),
    EventKind.PROGRAMME_ATTENDANCE_CORRECTED: (
        {"session_id": 1, "condition_id": 7, "outcome": "attended", "starts_at": AT},
        "Programme attendance corrected: attended",
    ),
    EventKind.PERPETRATOR_ADDRESS_CHANGED: ({}, "The perpetrator reported a change of address"),
    EventKind.VICTIM_CONSENT_RECORDED: ({"victim": 3}, "Victim's consent to SMS recorded"),
    EventKind.VICTIM_CONSENT_REVOKED: (
        {"victim": 3, "note": "she asked"},
        "Victim's consent to SMS revoked: she asked",
    ),
    EventKind.SAFE_CONTACT_UPDATED: (
        {"victim": 3, "fields": ["language", "sms_allowed"]},
        "Safe-contact profile updated: sms_allowed, language",
    ),
    EventKind.RISK_REASSESSED: (
        {"from": "medium", "to": "high", "direction": "up", "reason": ""},
        "Risk reassessed: medium -> high",
    ),
    EventKind.RISK_LOOP_RAISED: (
        {
            "trigger": "missed_summons",
            "level": "high",
            "due_at": AT,
            "police_alert": 1,
            "safety_check": 2,
        },
        "Non-compliance in a high-risk case: missed_summons",
    ),
    EventKind.RISK_ALERT_ACKNOWLEDGED: (
        {"alert_id": 1, "alert_kind": "police_alert"},
        "police_alert acknowledged",
    ),
    EventKind.RISK_ALERT_DONE: (
        {"alert_id": 2, "alert_kind": "safety_check", "outcome": "victim_safe", "note": "Called"},
        "safety_check done",
    ),
    EventKind.RISK_ALERT_ESCALATED: (
        {"alert_id": 1, "alert_kind": "police_alert", "due_at": AT},
        "police_alert unanswered by 2026-12-01T09:00:00+00:00: escalated",
    ),
    EventKind.RISK_CALL_TASK: (
        {"scheduled_at": AT, "level": "high"},
        "Call the person followed before the summons",
    ),
    EventKind.SAPV_STATUS_SENT: (
        {"level": "high", "measures": 2},
        "Case status sent to the victim's SAPV contact",
    ),
    EventKind.PROGRAMME_BEHAVIOUR: (
        {
            "session_id": 1,
            "condition_id": 7,
            "starts_at": AT,
            "conduct": "failed_to_comply",
            "note": "Left early",
            "concern": True,
            "description": "Threats",
        },
        "Behaviour recorded at the programme session",
    ),
    EventKind.PERPETRATOR_CONTACT_CHANGED: (
        {"fields": ["language", "phone"]},
        "The perpetrator's contact details changed: language, phone",
    ),
    EventKind.CASE_REASSIGNED: (
        {"from_id": 1, "from_name": "Anne", "to_id": 2, "to_name": "Pieter", "reason": "leave"},
        "Case assigned to another justice assistant",
    ),
    EventKind.REFERRING_OFFICER_CHANGED: (
        {"to_id": 5, "to_name": "Els Peeters", "zone_name": "ZP Liège", "reason": "moved"},
        "Another police officer follows the case",
    ),
    EventKind.CASE_RESTRICTED: (
        {
            "reason": "police_officer_involved",
            "note": "",
            "named": ["Sophie Sup", "Anne Ja"],
            "user_ids": [3, 1],
        },
        "Case restricted",
    ),
    EventKind.CASE_UNRESTRICTED: ({"note": "the officer left the case"}, "Restriction lifted"),
    EventKind.CASE_ACCESS_GRANTED: (
        {"user_id": 5, "name": "Luc Officer"},
        "Named on the restricted case",
    ),
    EventKind.CASE_ACCESS_REMOVED: (
        {"user_id": 5, "name": "Luc Officer"},
        "Taken off the restricted case",
    ),
    EventKind.VICTIM_NUMBER_CHECK_STARTED: ({"victim": 3, "reason": "phone_change"}, ""),
    EventKind.VICTIM_NUMBER_CHECK_RESENT: ({"victim": 3}, ""),
    EventKind.VICTIM_NUMBER_CODE_SHOWN: ({"victim": 3}, ""),
    EventKind.VICTIM_NUMBER_WRONG_CODE: ({"victim": 3, "wrong_codes": 2}, ""),
    EventKind.VICTIM_NUMBER_CONFIRMED: ({"victim": 3}, ""),
    EventKind.VICTIM_NUMBER_BLOCKED: ({"victim": 3}, ""),
    EventKind.VICTIM_UPDATES_PAUSED: ({"victim": 3}, ""),
    EventKind.VICTIM_UPDATES_RESUMED: ({"victim": 3}, ""),
}
CONDITIONS = {7: "programme"}


def _describe(kind: EventKind | str, data: dict[str, Any], summary: str, lang: str = "fr"):
    """The entry's sentence; `summary` is what the service also wrote, never read back."""
    return describe({"kind": kind, "data": data}, lang, tz=TZ, condition_kinds=CONDITIONS)


def test_every_kind_has_a_rule_or_is_listed_as_a_title_only():
    assert set(RULES) | TITLE_ONLY == set(EventKind)
    assert not set(RULES) & TITLE_ONLY
    assert set(RECORDED) == set(RULES)


@pytest.mark.parametrize("kind", sorted(RULES))
@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_each_rule_tells_what_its_service_records(kind, lang):
    data, summary = RECORDED[kind]
    detail = _describe(kind, data, summary, lang)
    assert detail and "%(" not in detail, (kind, detail)
    if lang != "en":
        assert detail != summary


@pytest.mark.parametrize("kind", sorted(TITLE_ONLY))
def test_the_kinds_without_a_rule_show_their_title_only(kind):
    assert _describe(kind, {"victim": 3}, "Something changed") == ""


def test_free_text_is_shown_as_typed_and_dates_in_the_readers_format():
    data, summary = RECORDED[EventKind.SUMMONS_CANCELLED]
    assert _describe(EventKind.SUMMONS_CANCELLED, data, summary) == (
        "La convocation du 01/12/2026 10:00 est annulée. Strike"
    )
    data, summary = RECORDED[EventKind.ATTENDANCE_CORRECTED]
    assert _describe(EventKind.ATTENDANCE_CORRECTED, data, summary, "nl") == (
        "Oproeping van 01-12-2026, 10:00: Afwezig met geldige reden. Ill"
    )
    data, summary = RECORDED[EventKind.PROGRAMME_ATTENDANCE]
    assert _describe(EventKind.PROGRAMME_ATTENDANCE, data, summary).endswith(" Bus")
    data, summary = RECORDED[EventKind.AUTHORITY_REPORT]
    assert "du 1 juin 2026 au 30 nov. 2026" in _describe(EventKind.AUTHORITY_REPORT, data, summary)


@pytest.mark.parametrize(
    ("kind", "data", "summary"),
    [
        # Pseudonymised rows keep no data.
        (EventKind.SUMMONS_SCHEDULED, {}, "(pseudonymised)"),
        # A condition no longer on the case: its kind is unknown.
        (EventKind.CONDITION_TRANSITION, {"condition_id": 99, "from": "met", "to": "met"}, "x"),
        # An old row whose free text could not be read back from its summary.
        (EventKind.CONDITION_HOURS, {"condition_id": 7, "hours": 1, "done": 1, "due": 2}, "x"),
        (EventKind.MEASURE_UPDATED, {}, "Measure updated: notes"),
        ("not_a_kind", {"a": 1}, "x"),
    ],
)
def test_missing_data_shows_the_title_only_never_english(kind, data, summary):
    assert _describe(kind, data, summary) == ""
    assert _describe(kind, data, summary, "nl") == ""


def test_an_old_rows_english_sentence_is_shown_to_an_english_reader_only():
    data = {"condition_id": 7, "hours": 1, "done": 1, "due": 2, LEGACY_SUMMARY: "Old words"}
    assert _describe(EventKind.CONDITION_HOURS, data, "") == ""
    assert _describe(EventKind.CONDITION_HOURS, data, "", "en") == "Old words"


def test_every_timeline_entry_has_a_translated_title():
    from perp_track.ui.labels import LABELS

    assert [k for k in EventKind if k.value not in LABELS] == []


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_a_safe_contact_change_names_every_field_in_the_readers_language(lang):
    fields = ["sms_allowed", "safe_from", "safe_until", "detail_level", "language"]
    fields += ["show_sender", "code_word"]
    text = _describe(EventKind.SAFE_CONTACT_UPDATED, {"victim": 3, "fields": fields}, "", lang)
    assert text and "_" not in text and "allowed" not in text and "Safe" not in text, text


@pytest.mark.parametrize("kind", sorted(EventKind))
def test_every_kind_is_told_in_french_dutch_and_english_never_in_english_for_fr_or_nl(kind):
    """What each kind's service records is told in each language from its data alone (no
    summary is written any more); French and Dutch never repeat the English words."""
    from perp_track.i18n.events import title

    titles = {lang: title(kind, lang) for lang in ("fr", "nl", "en")}
    assert all(titles.values()), titles
    assert titles["fr"] != titles["en"] and titles["nl"] != titles["en"], titles
    if kind in TITLE_ONLY:
        return
    data, _ = RECORDED[kind]
    told = {
        lang: describe({"kind": kind, "data": data}, lang, tz=TZ, condition_kinds=CONDITIONS)
        for lang in ("fr", "nl", "en")
    }
    assert all(told.values()) and not any("%(" in t for t in told.values()), told
    assert told["fr"] != told["en"] and told["nl"] != told["en"], told


def test_a_change_of_her_number_is_told_by_name():
    data = {"victim": 3, "fields": ["phone"]}
    told = {
        lang: describe({"kind": EventKind.SAFE_CONTACT_UPDATED, "data": data}, lang, tz=TZ)
        for lang in ("fr", "nl", "en")
    }
    assert told == {
        "fr": "Modifié : Son numéro.",
        "nl": "Gewijzigd: Haar nummer.",
        "en": "Changed: Her number.",
    }
