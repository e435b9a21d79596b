from __future__ import annotations

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

from perp_track.auth.tables import User
from perp_track.cases.tables import Case
from perp_track.measures.tables import Condition, Measure
from perp_track.orgs.rules import Language
from perp_track.orgs.tables import Organisation
from perp_track.summons.rules import (
    Modality,
    Outcome,
    RequestedBy,
    SessionKind,
    SessionStatus,
    SummonsStatus,
)


class Summons(Table, tablename="summons"):
    id: Serial
    case = ForeignKey(references=Case, null=False, on_delete=OnDelete.cascade, index=True)
    measure = ForeignKey(references=Measure, null=True, on_delete=OnDelete.set_null)
    scheduled_at = Timestamptz(null=False, index=True)
    duration_minutes = Integer(default=45, null=False)
    modality = Varchar(length=16, choices=Modality, default=Modality.IN_PERSON)
    place = Varchar(length=300, null=True, default=None)
    language = Varchar(length=2, choices=Language, default=Language.FR)
    interpreter_language = Varchar(length=32, null=True, default=None)
    purpose = Text(default="")
    status = Varchar(length=32, choices=SummonsStatus, default=SummonsStatus.SCHEDULED, index=True)
    # A reschedule keeps the old row (status 'rescheduled') and points the new one at it.
    rescheduled_from: ForeignKey = ForeignKey(
        references=LazyTableReference("Summons", module_path=__name__),
        null=True,
        on_delete=OnDelete.set_null,
    )
    reschedule_reason = Text(null=True, default=None)
    reschedule_requested_by = Varchar(length=32, choices=RequestedBy, null=True, default=None)
    cancel_reason = Text(null=True, default=None)
    created_by = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict)
    created_at = Timestamptz(null=False)
    updated_at = Timestamptz(null=False)
    version = Integer(default=1, null=False)


class ProgrammeSession(Table, tablename="programme_session"):
    id: Serial
    provider = ForeignKey(references=Organisation, null=False, on_delete=OnDelete.restrict)
    kind = Varchar(length=16, choices=SessionKind, default=SessionKind.GROUP)
    title = Varchar(length=200, default="")
    starts_at = Timestamptz(null=False, index=True)
    ends_at = Timestamptz(null=False)
    place = Varchar(length=300, null=True, default=None)
    status = Varchar(length=16, choices=SessionStatus, default=SessionStatus.SCHEDULED)
    created_by = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict)
    created_at = Timestamptz(null=False)
    # Set when the roll-call is saved: from then on only corrections (new records) are taken.
    roll_call_at = Timestamptz(null=True, default=None)
    version = Integer(default=1, null=False)


class SessionParticipant(Table, tablename="session_participant"):
    """Who is expected at a programme session: one programme condition (a referral) each."""

    id: Serial
    session = ForeignKey(
        references=ProgrammeSession, null=False, on_delete=OnDelete.cascade, index=True
    )
    condition = ForeignKey(references=Condition, null=False, on_delete=OnDelete.cascade, index=True)
    added_at = Timestamptz(null=False)


class Attendance(Table, tablename="attendance"):
    """Append-only. A correction is a new row pointing at the one it corrects."""

    id: Serial
    case = ForeignKey(references=Case, null=False, on_delete=OnDelete.cascade, index=True)
    summons = ForeignKey(references=Summons, null=True, on_delete=OnDelete.cascade, index=True)
    session = ForeignKey(
        references=ProgrammeSession, null=True, on_delete=OnDelete.cascade, index=True
    )
    condition = ForeignKey(references=Condition, null=True, on_delete=OnDelete.cascade)
    outcome = Varchar(length=32, choices=Outcome, null=False)
    reason = Text(null=True, default=None)
    recorded_by = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict)
    recorded_at = Timestamptz(null=False)
    corrects: ForeignKey = ForeignKey(
        references=LazyTableReference("Attendance", module_path=__name__),
        null=True,
        on_delete=OnDelete.set_null,
    )
