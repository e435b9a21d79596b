from __future__ import annotations

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from perp_track.auth.tables import User


class IdempotencyRecord(Table, tablename="idempotency_record"):
    """The first answer to a POST sent with an Idempotency-Key, replayed on every retry."""

    id: Serial
    # "<user id>:<key>": a key is the client's, so two users may pick the same one.
    scope_key = Varchar(length=300, unique=True, null=False)
    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade)
    method = Varchar(length=8, null=False)
    path = Varchar(length=300, null=False)
    request_hash = Varchar(length=64, null=False)
    # None while the first request is still being handled.
    status_code = Integer(null=True, default=None)
    response_body = Text(null=True, default=None)
    content_type = Varchar(length=100, null=True, default=None)
    created_at = Timestamptz(null=False, index=True)
