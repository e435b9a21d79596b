"""What the retention job did to which case: it never does it twice."""

from __future__ import annotations

from piccolo.columns import Integer, Serial, Timestamptz, Varchar
from piccolo.table import Table


class RetentionRecord(Table, tablename="retention_record"):
    id: Serial
    # No foreign key: after a purge the case is gone, and this row says when and why.
    case_id = Integer(null=False, unique=True)
    action = Varchar(length=16, null=False)  # pseudonymised | purged
    due_at = Timestamptz(null=False)
    done_at = Timestamptz(null=False)
