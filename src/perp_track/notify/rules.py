"""Who is told what (DOMAIN §4), as data: event -> audiences -> channels."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Channel(StrEnum):
    SMS = "sms"
    EMAIL = "email"
    IN_APP = "in_app"


class Audience(StrEnum):
    REFERRING_OFFICER = "referring_officer"
    SAPV_CONTACT = "sapv_contact"
    VICTIM = "victim"
    PERPETRATOR = "perpetrator"
    JUSTICE_ASSISTANT = "justice_assistant"
    # An interpreter of the house's register, booked for a summons: e-mail only, and only the
    # date, time, place and language (never a name, an offence or the case reference).
    INTERPRETER = "interpreter"


class NotificationState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    SUPPRESSED = "suppressed"
    EXPIRED = "expired"
    # The request may or may not have reached Twilio and the look-up found nothing: never resent
    # blindly (a victim could get it twice); a person decides.
    UNKNOWN = "unknown"
    # A victim's message waiting for her number to be confirmed or for her to resume her
    # updates (error_code says which). Never claimed; sent, or dropped if superseded, once
    # she may be written to again.
    HELD = "held"


FINAL_STATES = frozenset(
    {
        NotificationState.DELIVERED,
        NotificationState.UNDELIVERED,
        NotificationState.FAILED,
        NotificationState.SUPPRESSED,
        NotificationState.EXPIRED,
        NotificationState.UNKNOWN,
    }
)


class DetailLevel(StrEnum):
    """How much a victim's SMS says (DOMAIN §5); it picks the template variant."""

    NEUTRAL = "neutral"
    STATUS = "status"
    FULL = "full"


class InboundKind(StrEnum):
    STOP = "stop"
    START = "start"
    HELP = "help"
    CODE_WORD = "code_word"
    REPLY = "reply"
    # Her number confirmation: the right code (never stored), a wrong one; PAUSE and RESUME.
    NUMBER_CONFIRMED = "number_confirmed"
    WRONG_CODE = "wrong_code"
    PAUSE = "pause"
    RESUME = "resume"
    UNKNOWN_SENDER = "unknown_sender"


class SystemNotice(StrEnum):
    """Messages the notification system itself sends, to named people rather than via ROUTES."""

    VICTIM_COPY = "victim_copy"
    MESSAGE_UNDELIVERABLE = "message_undeliverable"
    VICTIM_OPTED_OUT = "victim_opted_out"
    VICTIM_ASKED_RESTART = "victim_asked_restart"
    CODE_WORD_ALERT = "code_word_alert"
    SMS_REPLY_RECEIVED = "sms_reply_received"
    FEEDBACK_UNACKNOWLEDGED = "feedback_unacknowledged"
    DAILY_DIGEST = "daily_digest"
    # The risk policy's closed loop and schedule (risk/).
    RISK_POLICE_ALERT = "risk_police_alert"
    RISK_SAFETY_CHECK = "risk_safety_check"
    RISK_ALERT_ESCALATED = "risk_alert_escalated"
    RISK_ALERT_CLOSED = "risk_alert_closed"
    RISK_CALL_TASK = "risk_call_task"
    RISK_REASSESSMENT_DUE = "risk_reassessment_due"
    SAPV_STATUS_UPDATE = "sapv_status_update"
    PROGRAMME_CONCERN = "programme_concern"
    # Restricted cases (cases/restriction.py): the news of a case told to someone not named on
    # it, without the case; a refused attempt to open it, told to its supervisors.
    RESTRICTED_CASE_NEWS = "restricted_case_news"
    RESTRICTED_CASE_ATTEMPT = "restricted_case_attempt"
    INTERPRETER_BOOKED = "interpreter_booked"
    INTERPRETER_MOVED = "interpreter_moved"
    INTERPRETER_CANCELLED = "interpreter_cancelled"
    # Her number and the pace of her updates (notify/victim_control), told to her SAPV contact.
    VICTIM_NUMBER_CONFIRMED = "victim_number_confirmed"
    VICTIM_NUMBER_BLOCKED = "victim_number_blocked"
    VICTIM_PAUSED = "victim_paused"
    VICTIM_RESUMED = "victim_resumed"


class Notice(StrEnum):
    """The events that tell someone something. Names match the files in notifications/."""

    PROTECTIVE_MEASURE_OPENED = "protective_measure_opened"
    BAN_EXTENDED = "ban_extended"
    BAN_LIFTED = "ban_lifted"
    BAN_EXPIRED = "ban_expired"
    ADP_RENEWED = "adp_renewed"
    PROTECTION_ENDING = "protection_ending"
    BAN_BREACH_REPORTED = "ban_breach_reported"
    PROGRAMME_INTERRUPTED = "programme_interrupted"
    REPEATED_MISSED_SUMMONS = "repeated_missed_summons"
    REPEATED_PROGRAMME_ABSENCES = "repeated_programme_absences"
    PROGRAMME_COMPLETED = "programme_completed"
    NON_COMPLIANCE_REPORTED = "non_compliance_reported"
    AUTHORITY_DECISION = "authority_decision"
    MEASURE_CLOSED = "measure_closed"
    PERPETRATOR_ADDRESS_CHANGED = "perpetrator_address_changed"
    SUMMONS_SCHEDULED = "summons_scheduled"
    SUMMONS_RESCHEDULED = "summons_rescheduled"
    SUMMONS_CANCELLED = "summons_cancelled"
    SUMMONS_REMINDER = "summons_reminder"
    ATTENDANCE_NOT_RECORDED = "attendance_not_recorded"
    REPORT_DUE = "report_due"
    REPORT_OVERDUE = "report_overdue"
    # The case's people changed: the new justice assistant, the new referring officer.
    CASE_ASSIGNED = "case_assigned"
    REFERRAL_TRANSFERRED = "referral_transferred"


@dataclass(frozen=True, slots=True)
class Route:
    audience: Audience
    channels: tuple[Channel, ...]
    urgent: bool = False


_STAFF = (Channel.IN_APP, Channel.EMAIL)
_OFFICER = Route(Audience.REFERRING_OFFICER, _STAFF)
_SAPV = Route(Audience.SAPV_CONTACT, _STAFF)
# The victim is only ever reached by SMS, and only within her consent (notify.services decides).
_VICTIM = Route(Audience.VICTIM, (Channel.SMS,))
_PERPETRATOR = Route(Audience.PERPETRATOR, (Channel.SMS,))

# DOMAIN §4, row by row. An event absent from this table tells nobody (e.g. a first missed
# summons). "SAPV decides" for the victim means no automatic message to her.
ROUTES: dict[Notice, tuple[Route, ...]] = {
    Notice.PROTECTIVE_MEASURE_OPENED: (_OFFICER, _SAPV, _VICTIM),
    Notice.BAN_EXTENDED: (_OFFICER, _SAPV, _VICTIM),
    Notice.BAN_LIFTED: (_OFFICER, _SAPV, _VICTIM),
    Notice.BAN_EXPIRED: (_OFFICER, _SAPV, _VICTIM),
    Notice.ADP_RENEWED: (_OFFICER, _SAPV, _VICTIM),
    Notice.PROTECTION_ENDING: (_OFFICER, _SAPV, _VICTIM),
    Notice.BAN_BREACH_REPORTED: (
        Route(Audience.REFERRING_OFFICER, _STAFF, urgent=True),
        Route(Audience.SAPV_CONTACT, _STAFF, urgent=True),
    ),
    Notice.PROGRAMME_INTERRUPTED: (_OFFICER, _SAPV, _VICTIM),
    Notice.REPEATED_MISSED_SUMMONS: (_OFFICER,),
    # Programme absences follow the summons' rule: the threshold-th one tells the officer,
    # who also learns the end of the referral (interrupted above, completed here).
    Notice.REPEATED_PROGRAMME_ABSENCES: (_OFFICER,),
    Notice.PROGRAMME_COMPLETED: (_OFFICER,),
    Notice.NON_COMPLIANCE_REPORTED: (_OFFICER,),
    Notice.AUTHORITY_DECISION: (_OFFICER, _SAPV, _VICTIM),
    Notice.MEASURE_CLOSED: (_OFFICER, _SAPV, _VICTIM),
    Notice.PERPETRATOR_ADDRESS_CHANGED: (_OFFICER,),
    Notice.SUMMONS_SCHEDULED: (_PERPETRATOR,),
    Notice.SUMMONS_RESCHEDULED: (_PERPETRATOR,),
    Notice.SUMMONS_CANCELLED: (_PERPETRATOR,),
    # 7, 3, 1 days before and the morning of (court-reminder trials: fewer failures to appear).
    Notice.SUMMONS_REMINDER: (_PERPETRATOR,),
    Notice.ATTENDANCE_NOT_RECORDED: (Route(Audience.JUSTICE_ASSISTANT, (Channel.IN_APP,)),),
    # Reports to the mandating authority: the justice assistant writes them.
    Notice.REPORT_DUE: (Route(Audience.JUSTICE_ASSISTANT, _STAFF),),
    Notice.REPORT_OVERDUE: (Route(Audience.JUSTICE_ASSISTANT, _STAFF),),
    # A supervisor gave the case to another justice assistant: the new one is told (the routing
    # reads the case after the change, so "the justice assistant" is the new one).
    Notice.CASE_ASSIGNED: (Route(Audience.JUSTICE_ASSISTANT, _STAFF),),
    # Another officer (perhaps of another zone) now follows the case: they get its feedback.
    Notice.REFERRAL_TRANSFERRED: (_OFFICER,),
}

# Never, whatever a route says: the SAPV contact and the victim are not told the perpetrator's
# address (DOMAIN §4, last row). Checked again at queue time as a second lock.
NEVER: dict[Notice, frozenset[Audience]] = {
    Notice.PERPETRATOR_ADDRESS_CHANGED: frozenset({Audience.SAPV_CONTACT, Audience.VICTIM}),
}


def routes_for(notice: Notice) -> tuple[Route, ...]:
    banned = NEVER.get(notice, frozenset())
    return tuple(r for r in ROUTES.get(notice, ()) if r.audience not in banned)


def idempotency_key(event_id: int, audience: Audience, recipient: str, channel: Channel) -> str:
    """Unique per (event, recipient, channel): queuing the same event twice adds nothing."""
    return f"ev{event_id}:{audience}:{recipient}:{channel}"


# Twilio error codes (DOMAIN §6). Permanent: the number will not work; retrying cannot help.
OPTED_OUT_CODE = 21610
PERMANENT_ERRORS = frozenset({21610, 21211, 21614, 30005, 30006, 30007})
# Unreachable (phone off): tried again a few times, then undeliverable.
UNREACHABLE_CODE = 30003
UNREACHABLE_RETRIES = 2
RATE_LIMITED_CODE = 20429


def backoff(attempt: int, base: float, rand: float, cap: float = 6 * 3600) -> float:
    """Seconds to wait before try number attempt+1: exponential, with jitter in [50%, 100%].

    rand is a number in [0, 1) given by the caller, so the rule stays pure and testable.
    """
    delay = min(cap, base * (2 ** max(0, attempt - 1)))
    return delay * (0.5 + rand / 2)


# GSM 03.38: the basic set counts one septet, the extension set two. Anything else means UCS-2.
_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€\f")
_GSM_ALL = frozenset(_GSM_BASIC | _GSM_EXTENDED)


def sms_segments(text: str) -> tuple[str, int]:
    """The encoding Twilio will use and how many segments (billed messages) the text takes."""
    used = set(text)
    if used <= _GSM_ALL:
        septets = len(text) + sum(text.count(c) for c in used & _GSM_EXTENDED)
        return "GSM-7", 1 if septets <= 160 else -(-septets // 153)
    units = len(text.encode("utf-16-le")) // 2
    return "UCS-2", 1 if units <= 70 else -(-units // 67)


STATUS_FROM_TWILIO = {
    "accepted": NotificationState.SENT,
    "scheduled": NotificationState.SENT,
    "queued": NotificationState.SENT,
    "sending": NotificationState.SENT,
    "sent": NotificationState.SENT,
    "delivered": NotificationState.DELIVERED,
    "read": NotificationState.DELIVERED,
    "undelivered": NotificationState.UNDELIVERED,
    "failed": NotificationState.FAILED,
    "canceled": NotificationState.FAILED,
}

_RANK = {
    NotificationState.QUEUED: 0,
    NotificationState.SENDING: 1,
    NotificationState.SENT: 2,
}


def status_change(current: str, reported: str) -> NotificationState | None:
    """The new state for a status callback, or None: final states never move, nor go backwards.

    Callbacks arrive out of order and more than once (DOMAIN §6).
    """
    new = STATUS_FROM_TWILIO.get(reported.lower())
    state = NotificationState(current)
    if new is None or state in FINAL_STATES or new == state:
        return None
    if new not in FINAL_STATES and _RANK.get(new, 0) <= _RANK.get(state, 0):
        return None
    return new
