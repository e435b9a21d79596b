"""The audit trail's rules: what an entry is, and the hash chain that makes tampering evident."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

GENESIS = "0" * 64

# The request being served, set by the HTTP edge: every entry names the request that caused it.
current_request_id: ContextVar[str | None] = ContextVar("perp_track_request_id", default=None)


class Action(StrEnum):
    READ = "read"  # personal data shown to someone
    WRITE = "write"  # a change to a case or an account
    EXPORT = "export"  # everything held on a person, handed out
    PURGE = "purge"  # the retention job removed or pseudonymised data
    LOGIN = "login"
    SECURITY = "security"  # tokens, second factors, accounts disabled
    DENIED = "denied"  # someone not named on a restricted case asked for it


# The fields of a victim that count as "victim data" whenever any of them is shown.
VICTIM_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "language",
    "interpreter_language",
    "phone",
    "email",
    "address",
)

_HASHED = (
    "occurred_at",
    "actor_id",
    "actor_role",
    "action",
    "record_type",
    "record_id",
    "case_id",
    "person_id",
    "fields",
    "detail",
    "request_id",
)


def _instant(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return str(value)


def canonical(entry: Mapping[str, Any]) -> str:
    """The entry's content as one stable string: the same row always hashes the same."""
    body = {name: entry.get(name) for name in _HASHED}
    body["occurred_at"] = _instant(body["occurred_at"])
    body["fields"] = sorted(body["fields"] or [])
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    return hashlib.sha256(f"{prev_hash}\n{canonical(entry)}".encode()).hexdigest()


def first_break(
    entries: Iterable[Mapping[str, Any]], start: str = GENESIS, start_seq: int | None = None
) -> int | None:
    """The id of the first entry whose link or content does not match, or None if intact.

    With `start_seq`, entries carry their chain position (`chain_seq`) and a missing position
    (an entry deleted) breaks the chain at the entry after the gap.
    """
    prev, seq = start, start_seq
    for entry in entries:
        if seq is not None:
            seq += 1
            if entry["chain_seq"] != seq:
                return int(entry["id"])
        if entry["prev_hash"] != prev or entry["entry_hash"] != entry_hash(prev, entry):
            return int(entry["id"])
        prev = entry["entry_hash"]
    return None
