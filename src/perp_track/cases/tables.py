from __future__ import annotations

from piccolo.columns import (
    JSON,
    Boolean,
    Date,
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
from perp_track.cases.rules import Authority, CaseStatus, PersonRole, RiskLevel
from perp_track.orgs.rules import Language
from perp_track.orgs.tables import Organisation


class Person(Table, tablename="person"):
    id: Serial
    role = Varchar(length=16, choices=PersonRole, null=False)
    first_name = Varchar(length=100, null=False)
    last_name = Varchar(length=100, null=False)
    birth_date = Date(null=True, default=None)
    language = Varchar(length=2, choices=Language, default=Language.FR)
    interpreter_language = Varchar(length=32, null=True, default=None)
    phone = Varchar(length=32, null=True, default=None, index=True)
    email = Varchar(length=254, null=True, default=None)
    address = Text(null=True, default=None)
    # A victim's SAPV contact. Unassigning her contact must not delete her.
    sapv_contact = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(null=False)


class Case(Table, tablename="dv_case"):
    id: Serial
    reference = Varchar(length=32, unique=True, null=False)
    # Cases leave only through the retention purge, which deletes children first: restrict.
    justice_house = ForeignKey(references=Organisation, null=False, on_delete=OnDelete.restrict)
    mandating_authority = Varchar(length=32, choices=Authority, null=False)
    authority_reference = Varchar(length=64, null=True, default=None)
    # The police's own numbers for the case: the report (PV / proces-verbaal) and the zone's file.
    police_report_number = Varchar(length=64, null=True, default=None)
    police_reference = Varchar(length=64, null=True, default=None)
    referring_officer = ForeignKey(references=User, null=True, on_delete=OnDelete.restrict)
    assigned_ja = ForeignKey(references=User, null=True, on_delete=OnDelete.restrict, index=True)
    perpetrator = ForeignKey(references=Person, null=False, on_delete=OnDelete.restrict)
    victim = ForeignKey(references=Person, null=True, on_delete=OnDelete.restrict)
    # A tier of the risk policy (risk_policy.tier): the tiers are data, checked by the services.
    risk_level = Varchar(length=16, null=False, default=RiskLevel.MEDIUM)
    language = Varchar(length=2, choices=Language, default=Language.FR)
    interpreter_language = Varchar(length=32, null=True, default=None)
    summary = Text(default="")
    status = Varchar(length=16, choices=CaseStatus, default=CaseStatus.OPEN, index=True)
    opened_at = Timestamptz(null=False)
    closed_at = Timestamptz(null=True, default=None)
    created_by = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict)
    version = Integer(default=1, null=False)
    # A restricted case is seen only by the users named in case_access (cases/restriction.py).
    # Few cases are restricted: a partial index of them (migration 2026-12-01T16:20:10) serves
    # every read's filter (cases.access.hidden_cases).
    restricted = Boolean(default=False, null=False)
    restricted_reason = Varchar(length=32, null=True, default=None)
    restricted_note = Text(null=True, default=None)
    restricted_at = Timestamptz(null=True, default=None)
    restricted_by = ForeignKey(references=User, null=True, on_delete=OnDelete.restrict)


class CaseEvent(Table, tablename="case_event"):
    """The case timeline: append-only. Services insert; nothing updates or deletes."""

    id: Serial
    case = ForeignKey(references=Case, null=False, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=48, null=False)
    # None for what the system did on its own (a job); never for a person's action.
    actor = ForeignKey(references=User, null=True, on_delete=OnDelete.restrict)
    occurred_at = Timestamptz(null=False)
    # The English sentence of rows recorded before events carried their data; new rows leave it
    # empty: what an event says is built from its kind and data (perp_track.i18n.events).
    summary = Text(null=False, default="")
    data = JSON(default="{}")
    measure_id = Integer(null=True, default=None)
    summons_id = Integer(null=True, default=None)


class CaseAccess(Table, tablename="case_access"):
    """The named users who may see a restricted case. Rows are added and removed by the case's
    restriction service only (each change on the timeline and the audit trail)."""

    id: Serial
    case = ForeignKey(references=Case, null=False, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict, index=True)
    added_by = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict)
    added_at = Timestamptz(null=False)
