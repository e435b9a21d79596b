from __future__ import annotations

from piccolo.columns import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from perp_track.auth.tables import User
from perp_track.cases.tables import Case, CaseEvent, Person
from perp_track.interpreters.tables import Interpreter
from perp_track.notify.rules import (
    Audience,
    Channel,
    DetailLevel,
    InboundKind,
    NotificationState,
)
from perp_track.orgs.rules import Language


class Notification(Table, tablename="notification"):
    """The outbox: written with the event that causes it, sent later by the dispatcher."""

    id: Serial
    case = ForeignKey(references=Case, null=True, on_delete=OnDelete.cascade, index=True)
    event = ForeignKey(references=CaseEvent, null=True, on_delete=OnDelete.cascade)
    audience = Varchar(length=32, choices=Audience, null=False)
    recipient_user = ForeignKey(references=User, null=True, on_delete=OnDelete.restrict, index=True)
    recipient_person = ForeignKey(references=Person, null=True, on_delete=OnDelete.cascade)
    channel = Varchar(length=16, choices=Channel, null=False)
    template = Varchar(length=64, null=False)
    language = Varchar(length=2, choices=Language, default=Language.FR)
    payload = JSON(default="{}")
    urgent = Boolean(default=False)
    idempotency_key = Varchar(length=160, unique=True, null=False)
    state = Varchar(
        length=16, choices=NotificationState, default=NotificationState.QUEUED, index=True
    )
    attempts = Integer(default=0, null=False)
    next_attempt_at = Timestamptz(null=False, index=True)
    # A time-bound message (a reminder) expires rather than arrive late.
    not_after = Timestamptz(null=True, default=None)
    lease_until = Timestamptz(null=True, default=None)
    provider_id = Varchar(length=64, null=True, default=None, index=True)
    error_code = Varchar(length=16, null=True, default=None)
    error_message = Text(null=True, default=None)
    created_at = Timestamptz(null=False)
    sent_at = Timestamptz(null=True, default=None)
    delivered_at = Timestamptz(null=True, default=None)
    read_at = Timestamptz(null=True, default=None)
    # Added with the dispatcher (issue 4).
    variant = Varchar(length=16, null=True, default=None)
    subject = Text(null=True, default=None)
    body = Text(null=True, default=None)
    segments = Integer(null=True, default=None)
    attempted_at = Timestamptz(null=True, default=None)
    acknowledged_at = Timestamptz(null=True, default=None)
    escalated_at = Timestamptz(null=True, default=None)
    # An interpreter told of a booking (audience 'interpreter'): not a user, not a case's person.
    recipient_interpreter = ForeignKey(
        references=Interpreter, null=True, default=None, on_delete=OnDelete.restrict
    )


class SafeContactProfile(Table, tablename="safe_contact_profile"):
    """How, and whether, a victim may be written to (DOMAIN §5). Kept by her SAPV contact."""

    id: Serial
    victim = ForeignKey(references=Person, null=False, unique=True, on_delete=OnDelete.cascade)
    consent_given_at = Timestamptz(null=True, default=None)
    consent_recorded_by = ForeignKey(
        references=User, null=True, default=None, on_delete=OnDelete.restrict
    )
    consent_revoked_at = Timestamptz(null=True, default=None)
    consent_revoked_by = ForeignKey(
        references=User, null=True, default=None, on_delete=OnDelete.restrict
    )
    sms_allowed = Boolean(default=False, null=False)
    # Local wall-clock times in the service's time zone, "HH:MM"; None = the configured default.
    safe_from = Varchar(length=5, null=True, default=None)
    safe_until = Varchar(length=5, null=True, default=None)
    detail_level = Varchar(length=16, choices=DetailLevel, default=DetailLevel.NEUTRAL)
    language = Varchar(length=2, choices=Language, default=Language.FR)
    show_sender = Boolean(default=False, null=False)
    code_word_hash = Varchar(length=255, null=True, default=None, secret=True)
    opted_out_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(null=False)
    updated_at = Timestamptz(null=False)
    updated_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.restrict)
    version = Integer(default=1, null=False)
    # She replied PAUSE: her updates wait (consent stands) until she replies RESUME.
    paused_at = Timestamptz(null=True, default=None)


class NotificationPreference(Table, tablename="notification_preference"):
    """A staff member's channels. Without a row: in-app and e-mail, one message per event."""

    id: Serial
    user = ForeignKey(references=User, null=False, unique=True, on_delete=OnDelete.cascade)
    email = Boolean(default=True, null=False)
    in_app = Boolean(default=True, null=False)
    # E-mails (not urgent ones) wait for the morning and go out together.
    daily_digest = Boolean(default=False, null=False)
    updated_at = Timestamptz(null=False)
    # Without a row the preferences read as version 1; each change adds one.
    version = Integer(default=1, null=False)


class InboundMessage(Table, tablename="inbound_message"):
    """An SMS received from a victim or a perpetrator. Twilio may post it twice: sid is unique."""

    id: Serial
    provider_id = Varchar(length=64, unique=True, null=False)
    person = ForeignKey(references=Person, null=True, default=None, on_delete=OnDelete.set_null)
    kind = Varchar(length=16, choices=InboundKind, null=False)
    # A code word is never stored in clear: its body is left empty.
    body = Text(default="")
    received_at = Timestamptz(null=False)


class SmsOptOut(Table, tablename="sms_opt_out"):
    """A number that replied STOP (Twilio blocks it too, error 21610). START lifts it, except for
    a victim: her messages resume only when her SAPV contact records consent again."""

    id: Serial
    phone = Varchar(length=32, unique=True, null=False)
    opted_out_at = Timestamptz(null=False)
    restarted_at = Timestamptz(null=True, default=None)


class PendingStatus(Table, tablename="pending_status"):
    """A status callback that arrived before its message's outcome was recorded (Twilio can be
    faster than the dispatcher's write). Applied, then deleted, once the message is known."""

    id: Serial
    provider_id = Varchar(length=64, null=False, index=True)
    status = Varchar(length=16, null=False)
    error_code = Varchar(length=16, null=True, default=None)
    received_at = Timestamptz(null=False)
