"""Cases: the words of a dossier, and the kinds of events on its timeline."""

from __future__ import annotations

from enum import StrEnum


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class RiskLevel(StrEnum):
    """The police risk screening's four levels (COL 15/2020): the seeded default tiers and the
    demo's. The tiers in force are data (risk_policy, risk.rules.Tiers); nothing may take these
    four for the whole set, nor their order for the tiers' order (the rank is)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    SEVERE = "severe"


class Authority(StrEnum):
    """Who gave the justice house its mandate."""

    PROSECUTOR = "prosecutor"
    INVESTIGATING_JUDGE = "investigating_judge"
    TRIAL_COURT = "trial_court"
    PROBATION_COMMISSION = "probation_commission"
    FAMILY_COURT = "family_court"


class PersonRole(StrEnum):
    PERPETRATOR = "perpetrator"
    VICTIM = "victim"


class EventKind(StrEnum):
    CASE_OPENED = "case_opened"
    CASE_UPDATED = "case_updated"
    MEASURE_ADDED = "measure_added"
    MEASURE_TRANSITION = "measure_transition"
    CONDITION_ADDED = "condition_added"
    SUMMONS_SCHEDULED = "summons_scheduled"
    SUMMONS_RESCHEDULED = "summons_rescheduled"
    SUMMONS_CANCELLED = "summons_cancelled"
    ATTENDANCE_RECORDED = "attendance_recorded"
    ATTENDANCE_CORRECTED = "attendance_corrected"
    REPEATED_MISSED_SUMMONS = "repeated_missed_summons"
    REPEATED_PROGRAMME_ABSENCES = "repeated_programme_absences"
    PROTECTION_ENDING = "protection_ending"
    SUMMONS_REMINDER = "summons_reminder"
    ATTENDANCE_OVERDUE = "attendance_overdue"
    REPORT_DUE = "report_due"
    REPORT_OVERDUE = "report_overdue"
    SESSION_SCHEDULED = "session_scheduled"
    SESSION_CANCELLED = "session_cancelled"
    PERPETRATOR_ADDRESS_CHANGED = "perpetrator_address_changed"
    MEASURE_UPDATED = "measure_updated"
    CONDITION_TRANSITION = "condition_transition"
    CONDITION_HOURS = "condition_hours"
    BAN_BREACH_REPORTED = "ban_breach_reported"
    AUTHORITY_REPORT = "authority_report"
    PROGRAMME_REFERRAL = "programme_referral"
    PROGRAMME_ATTENDANCE = "programme_attendance"
    PROGRAMME_ATTENDANCE_CORRECTED = "programme_attendance_corrected"
    PROGRAMME_COMPLETED = "programme_completed"
    PROGRAMME_INTERRUPTED = "programme_interrupted"
    SAFE_CONTACT_UPDATED = "safe_contact_updated"
    VICTIM_CONSENT_RECORDED = "victim_consent_recorded"
    VICTIM_CONSENT_REVOKED = "victim_consent_revoked"
    RISK_REASSESSED = "risk_reassessed"
    RISK_LOOP_RAISED = "risk_loop_raised"
    RISK_ALERT_ACKNOWLEDGED = "risk_alert_acknowledged"
    RISK_ALERT_DONE = "risk_alert_done"
    RISK_ALERT_ESCALATED = "risk_alert_escalated"
    RISK_CALL_TASK = "risk_call_task"
    SAPV_STATUS_SENT = "sapv_status_sent"
    PROGRAMME_BEHAVIOUR = "programme_behaviour"
    # Facts of the case changed after opening (cases/changes.py).
    PERPETRATOR_CONTACT_CHANGED = "perpetrator_contact_changed"
    CASE_REASSIGNED = "case_reassigned"
    REFERRING_OFFICER_CHANGED = "referring_officer_changed"
    CASE_RESTRICTED = "case_restricted"
    CASE_UNRESTRICTED = "case_unrestricted"
    CASE_ACCESS_GRANTED = "case_access_granted"
    CASE_ACCESS_REMOVED = "case_access_removed"
    INTERPRETER_BOOKED = "interpreter_booked"
    INTERPRETER_RELEASED = "interpreter_released"
    # Her number confirmed by her own reply, and the pace of her updates (notify/victim_control).
    VICTIM_NUMBER_CHECK_STARTED = "victim_number_check_started"
    VICTIM_NUMBER_CHECK_RESENT = "victim_number_check_resent"
    VICTIM_NUMBER_CODE_SHOWN = "victim_number_code_shown"
    VICTIM_NUMBER_WRONG_CODE = "victim_number_wrong_code"
    VICTIM_NUMBER_CONFIRMED = "victim_number_confirmed"
    VICTIM_NUMBER_BLOCKED = "victim_number_blocked"
    VICTIM_UPDATES_PAUSED = "victim_updates_paused"
    VICTIM_UPDATES_RESUMED = "victim_updates_resumed"


def case_reference(year: int, sequence: int, justice_house_code: str | None) -> str:
    """A reference to read out on the phone: house code, year, number (e.g. BXL-2026-00042)."""
    prefix = (justice_house_code or "JH").upper()
    return f"{prefix}-{year}-{sequence:05d}"


def may_run_case(*, role: str, actor_organisation: int, case_justice_house: int) -> bool:
    """Justice-house staff run the cases of their own justice house (DOMAIN §2)."""
    from perp_track.auth.rules import JUSTICE_HOUSE_STAFF

    return role in JUSTICE_HOUSE_STAFF and actor_organisation == case_justice_house


def reference_needle(text: str) -> tuple[str, str] | None:
    """What a typed reference looks for: (the reference itself, the end of one), upper case;
    None when it cannot be a reference (only letters, digits and dashes; 2 to 32 of them).

    "lie-2026-00012" finds that case; "2026-00012" or "00012" the references ending so; a bare
    number "12" is read as the case number of the reference ("-00012")."""
    typed = "".join(text.split()).upper()
    if not 2 <= len(typed) <= 32 or not all(
        c.isascii() and (c.isalnum() or c == "-") for c in typed
    ):
        return None
    if typed.isdigit() and len(typed) <= 5:
        return typed, f"-{int(typed):05d}"
    return typed, typed
