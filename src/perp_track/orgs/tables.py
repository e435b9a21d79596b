from __future__ import annotations

from piccolo.columns import Serial, Timestamptz, Varchar
from piccolo.table import Table

from perp_track.orgs.rules import Language, OrgKind


class Organisation(Table, tablename="organisation"):
    id: Serial
    name = Varchar(length=200, null=False)
    kind = Varchar(length=32, choices=OrgKind, null=False, index=True)
    # Zone number for a police zone, arrondissement for a justice house or a prosecutor's office.
    code = Varchar(length=32, null=True, default=None)
    language = Varchar(length=2, choices=Language, default=Language.FR)
    email = Varchar(length=254, null=True, default=None)
    phone = Varchar(length=32, null=True, default=None)
    created_at = Timestamptz(null=False)
