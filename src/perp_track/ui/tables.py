"""Server-side web sessions: in the database, so every web replica sees the same ones."""

from __future__ import annotations

from piccolo.columns import JSON, ForeignKey, OnDelete, Serial, Timestamptz, Varchar
from piccolo.table import Table

from perp_track.auth.tables import User


class WebSession(Table, tablename="web_session"):
    id: Serial
    # The cookie carries a random token; only its SHA-256 is kept (a leaked table logs no one in).
    token_hash = Varchar(length=64, unique=True, null=False, secret=True)
    user = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    # The synchronizer token every form of this session must send back (CSRF).
    csrf_token = Varchar(length=64, null=False, secret=True)
    created_at = Timestamptz(null=False)
    last_seen_at = Timestamptz(null=False)
    # The absolute end, whatever the activity; the idle limit is checked against last_seen_at.
    expires_at = Timestamptz(null=False, index=True)
    ended_at = Timestamptz(null=True, default=None)
    # Messages to show on the next page ("summons scheduled"), already in the user's language.
    flash = JSON(default="[]")
