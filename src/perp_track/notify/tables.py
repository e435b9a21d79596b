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
from perp_track.notify.rules import Audience, Channel, NotificationState
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
