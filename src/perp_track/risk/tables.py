from __future__ import annotations

from piccolo.columns import (
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
from perp_track.cases.tables import Case
from perp_track.orgs.tables import Organisation
from perp_track.risk.rules import AlertKind, AlertOutcome, AlertState, Conduct, Source, Trigger


class RiskPolicy(Table, tablename="risk_policy"):
    """One row per risk tier: the tier itself (its code, rank and names) and what it sets
    (risk.rules.TierPolicy). Supervisors add, rename and remove tiers and change what they set,
    each change audited and versioned. The rank is unique (an index of the data migration)."""

    id: Serial
    # The tier's stable code, as dv_case.risk_level and the risk history keep it.
    tier = Varchar(length=16, null=False, unique=True)
    rank = Integer(null=False, default=0)
    name_fr = Varchar(length=40, null=False, default="")
    name_nl = Varchar(length=40, null=False, default="")
    name_en = Varchar(length=40, null=False, default="")
    name_de = Varchar(length=40, null=False, default="")
    evening_reminder_hour = Integer(null=True, default=None)
    call_task_days = Integer(null=True, default=None)
    attendance_alert_hours = Integer(null=False, default=24)
    redlist_priority = Integer(null=False, default=1)
    sapv_update_days = Integer(null=True, default=None)
    reassess_days = Integer(null=True, default=None)
    closed_loop = Boolean(null=False, default=False)
    response_hours = Integer(null=False, default=24)
    updated_at = Timestamptz(null=False)
    updated_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.restrict)
    version = Integer(default=1, null=False)


class RiskAssessment(Table, tablename="risk_assessment"):
    """The risk history of a case: the police's initial level, then every reassessment.
    Append-only: the case's current level is the latest row (and dv_case.risk_level)."""

    id: Serial
    case = ForeignKey(references=Case, null=False, on_delete=OnDelete.cascade, index=True)
    level = Varchar(length=16, null=False)
    previous_level = Varchar(length=16, null=True, default=None)
    source = Varchar(length=16, choices=Source, null=False)
    # The day of the assessment and who made it (for the police's: the officer, by name).
    assessed_on = Date(null=False)
    assessor_name = Varchar(length=200, null=False, default="")
    reason = Text(default="")
    recorded_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.restrict)
    recorded_at = Timestamptz(null=False)


class RiskAlert(Table, tablename="risk_alert"):
    """One half of the closed loop: the police zone's alert or the SAPV contact's safety check,
    raised together in the transaction that records the non-compliance."""

    id: Serial
    case = ForeignKey(references=Case, null=False, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=16, choices=AlertKind, null=False)
    trigger = Varchar(length=24, choices=Trigger, null=False)
    # What set it off (a summons, a session attendance, a condition), to raise it only once.
    trigger_key = Varchar(length=64, null=False)
    level = Varchar(length=16, null=False)
    # The owner: the zone (every officer of it reads it, and its on-duty address is written to)
    # for a police alert; the victim's SAPV contact for a safety check.
    zone = ForeignKey(references=Organisation, null=True, default=None, on_delete=OnDelete.restrict)
    owner = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.restrict)
    state = Varchar(length=16, choices=AlertState, null=False, default=AlertState.OPEN)
    due_at = Timestamptz(null=False, index=True)
    created_at = Timestamptz(null=False)
    acknowledged_at = Timestamptz(null=True, default=None)
    acknowledged_by = ForeignKey(
        references=User, null=True, default=None, on_delete=OnDelete.restrict
    )
    done_at = Timestamptz(null=True, default=None)
    done_by = ForeignKey(references=User, null=True, default=None, on_delete=OnDelete.restrict)
    outcome = Varchar(length=24, choices=AlertOutcome, null=True, default=None)
    note = Text(default="")
    escalated_at = Timestamptz(null=True, default=None)
    version = Integer(default=1, null=False)


class ProgrammeObservation(Table, tablename="programme_observation"):
    """What programme staff saw of a participant at a session: conduct, a behaviour note, and a
    concern for the justice assistant. Append-only. The session and referral are kept by id (the
    programme tables sit above this domain)."""

    id: Serial
    case = ForeignKey(references=Case, null=False, on_delete=OnDelete.cascade, index=True)
    session_id = Integer(null=False, index=True)
    condition_id = Integer(null=False)
    conduct = Varchar(length=24, choices=Conduct, null=True, default=None)
    behaviour_note = Text(default="")
    concern = Boolean(null=False, default=False)
    concern_description = Text(default="")
    recorded_by = ForeignKey(references=User, null=False, on_delete=OnDelete.restrict)
    recorded_at = Timestamptz(null=False)
