from __future__ import annotations

from piccolo.columns import Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class JobRun(Table, tablename="job_run"):
    """One row per job: its lease (one replica at a time) and its last outcome."""

    id: Serial
    name = Varchar(length=64, unique=True, null=False)
    lease_owner = Varchar(length=128, null=True, default=None)
    lease_until = Timestamptz(null=True, default=None)
    last_started_at = Timestamptz(null=True, default=None)
    last_finished_at = Timestamptz(null=True, default=None)
    last_ok_at = Timestamptz(null=True, default=None)
    last_outcome = Varchar(length=16, null=True, default=None)
    last_summary = Text(null=True, default=None)
    last_error = Text(null=True, default=None)
    runs = Integer(default=0, null=False)
    failures = Integer(default=0, null=False)


class JobOnce(Table, tablename="job_once"):
    """Keys of things done exactly once (a reminder for one summons at one offset)."""

    id: Serial
    key = Varchar(length=200, unique=True, null=False)
    created_at = Timestamptz(null=False)
