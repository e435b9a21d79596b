"""Tokens with which a police zone's communication centre reads its red list."""

from __future__ import annotations

from piccolo.columns import ForeignKey, OnDelete, Serial, Timestamptz, Varchar
from piccolo.table import Table

from perp_track.auth.tables import User
from perp_track.orgs.tables import Organisation


class RedListToken(Table, tablename="red_list_token"):
    """Reads one zone's red list and nothing else; stored as its SHA-256, revocable, expiring."""

    id: Serial
    zone = ForeignKey(references=Organisation, null=False, on_delete=OnDelete.cascade, index=True)
    label = Varchar(length=100, null=False)
    token_hash = Varchar(length=64, unique=True, null=False, secret=True)
    created_by = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict)
    created_at = Timestamptz(null=False)
    expires_at = Timestamptz(null=False)
    revoked_at = Timestamptz(null=True, default=None)
    last_used_at = Timestamptz(null=True, default=None)
