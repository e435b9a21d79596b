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


class NotificationState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    SUPPRESSED = "suppressed"
    EXPIRED = "expired"


FINAL_STATES = frozenset(
    {
        NotificationState.DELIVERED,
        NotificationState.UNDELIVERED,
        NotificationState.FAILED,
        NotificationState.SUPPRESSED,
        NotificationState.EXPIRED,
    }
)


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
    NON_COMPLIANCE_REPORTED = "non_compliance_reported"
    AUTHORITY_DECISION = "authority_decision"
    MEASURE_CLOSED = "measure_closed"
    PERPETRATOR_ADDRESS_CHANGED = "perpetrator_address_changed"
    SUMMONS_SCHEDULED = "summons_scheduled"
    SUMMONS_RESCHEDULED = "summons_rescheduled"
    SUMMONS_CANCELLED = "summons_cancelled"
    SUMMONS_REMINDER = "summons_reminder"
    ATTENDANCE_NOT_RECORDED = "attendance_not_recorded"


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
