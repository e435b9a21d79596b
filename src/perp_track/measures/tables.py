from __future__ import annotations

from piccolo.columns import Date, ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from perp_track.auth.tables import User
from perp_track.cases.tables import Case
from perp_track.measures.rules import (
    ConditionKind,
    ConditionStatus,
    Interruption,
    MeasureKind,
    MeasureStatus,
    ReportKind,
)
from perp_track.orgs.rules import Language
from perp_track.orgs.tables import Organisation


class Measure(Table, tablename="measure"):
    id: Serial
    # A measure belongs to its case and goes with it (retention purge).
    case = ForeignKey(references=Case, null=False, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=32, choices=MeasureKind, null=False)
    status = Varchar(length=32, choices=MeasureStatus, null=False, index=True)
    decided_by = Varchar(length=200, default="")
    decision_reference = Varchar(length=64, null=True, default=None)
    decided_on = Date(null=False)
    starts_on = Date(null=False)
    ends_on = Date(null=False, index=True)
    # The original end, so extensions can be held to the legal maximum.
    original_ends_on = Date(null=False)
    notes = Text(default="")
    created_at = Timestamptz(null=False)
    updated_at = Timestamptz(null=False)
    version = Integer(default=1, null=False)
    # Kept on the row, not derived per query: the caseload reads it with the measure.
    next_report_due = Date(null=True, default=None)
    # A hearing of the deciding authority, e.g. the family court on a ban extension.
    hearing_on = Date(null=True, default=None)


class Condition(Table, tablename="measure_condition"):
    id: Serial
    measure = ForeignKey(references=Measure, null=False, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=32, choices=ConditionKind, null=False)
    status = Varchar(length=16, choices=ConditionStatus, default=ConditionStatus.PENDING)
    description = Text(default="")
    # The programme provider (e.g. Praxis): its staff see this referral and nothing of the victim.
    provider = ForeignKey(references=Organisation, null=True, on_delete=OnDelete.restrict)
    required_sessions = Integer(null=True, default=None)
    hours_due = Integer(null=True, default=None)
    hours_done = Integer(default=0, null=False)
    protected_persons = Text(null=True, default=None)
    address = Text(null=True, default=None)
    starts_on = Date(null=True, default=None)
    ends_on = Date(null=True, default=None)
    created_at = Timestamptz(null=False)
    updated_at = Timestamptz(null=False)
    version = Integer(default=1, null=False)
    # Why a programme stopped early: refused, dropped out, excluded (None while it runs).
    interruption = Varchar(length=16, choices=Interruption, null=True, default=None)


class AuthorityReport(Table, tablename="authority_report"):
    """A report sent to the mandating authority; recording one moves the next due date on."""

    id: Serial
    measure = ForeignKey(references=Measure, null=False, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=16, choices=ReportKind, null=False)
    due_on = Date(null=True, default=None)
    period_from = Date(null=False)
    period_to = Date(null=False)
    assessment = Text(default="")
    language = Varchar(length=2, choices=Language, default=Language.FR)
    submitted_by = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict)
    submitted_at = Timestamptz(null=False)
