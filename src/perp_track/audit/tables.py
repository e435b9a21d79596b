"""The audit trail: append-only, hash-chained by a sealer. A trigger refuses UPDATE and DELETE,
except the sealer's one update that gives an unsealed entry its place and hashes."""

from __future__ import annotations

from piccolo.columns import JSON, BigInt, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class AuditEntry(Table, tablename="audit_entry"):
    """Who did or read what, when. No foreign keys: the trail outlives the records it names
    (a purged case stays accountable), and no personal values: field names only."""

    id: Serial
    occurred_at = Timestamptz(null=False, index=True)
    # None for what the system did on its own (a job, the retention purge).
    actor_id = Integer(null=True, default=None, index=True)
    actor_role = Varchar(length=32, null=True, default=None)
    action = Varchar(length=16, null=False, index=True)
    record_type = Varchar(length=64, null=False)
    record_id = Integer(null=True, default=None)
    case_id = Integer(null=True, default=None, index=True)
    # The data subject whose data was read or changed: the per-person disclosure log.
    person_id = Integer(null=True, default=None, index=True)
    fields = JSON(default="[]")
    detail = Text(default="")
    request_id = Varchar(length=32, null=True, default=None)
    # Set once by the sealer (audit.services.seal): the entry's place in the chain, the hash of
    # the entry before it, and its own. None while the entry waits to be sealed.
    chain_seq = BigInt(null=True, default=None)
    prev_hash = Varchar(length=64, null=True, default=None)
    entry_hash = Varchar(length=64, null=True, default=None, unique=True)
