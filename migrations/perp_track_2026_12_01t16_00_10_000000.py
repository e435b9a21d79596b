"""The default risk policy, so that a new installation (and `make run`) shows one.

Piccolo runs a migration's raw steps before its table steps, hence a migration of its own after
the one creating `risk_policy`. Backwards removes the rows (the table goes with the previous one).
The values are the default as it stood when this was written (risk.rules.DEFAULT_POLICY).
"""

from datetime import UTC, datetime

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Boolean, Integer, Timestamptz, Varchar
from piccolo.table import Table

ID = "2026-12-01T16:00:10:000000"
VERSION = "1.38.0"
DESCRIPTION = "The default risk policy"


class _RiskPolicy(Table, tablename="risk_policy"):
    tier = Varchar(length=16)
    evening_reminder_hour = Integer(null=True)
    call_task_days = Integer(null=True)
    attendance_alert_hours = Integer()
    redlist_priority = Integer()
    sapv_update_days = Integer(null=True)
    reassess_days = Integer(null=True)
    closed_loop = Boolean()
    response_hours = Integer()
    updated_at = Timestamptz()
    version = Integer()


# The default policy as it stood when this migration was written (risk.rules.DEFAULT_POLICY):
# tier, evening reminder hour, call task days, attendance alert hours, red-list priority,
# SAPV update days, reassessment days, closed loop, response hours.
_DEFAULT = (
    ("low", None, None, 24, 4, None, 180, False, 72),
    ("medium", None, None, 24, 3, 30, 90, False, 48),
    ("high", 19, 1, 4, 2, 14, 30, True, 24),
    ("severe", 19, 2, 2, 1, 7, 14, True, 4),
)
_FIELDS = (
    "tier",
    "evening_reminder_hour",
    "call_task_days",
    "attendance_alert_hours",
    "redlist_priority",
    "sapv_update_days",
    "reassess_days",
    "closed_loop",
    "response_hours",
)


async def _seed() -> None:
    # A migration has no injected clock: the moment it runs is the moment of the seed.
    now = datetime.now(UTC)
    await _RiskPolicy.insert(
        *[
            _RiskPolicy(**dict(zip(_FIELDS, row, strict=True)), updated_at=now, version=1)
            for row in _DEFAULT
        ]
    )



async def _unseed() -> None:
    await _RiskPolicy.delete(force=True)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="perp_track", description=DESCRIPTION)
    manager.add_raw(_seed)
    manager.add_raw_backwards(_unseed)
    return manager
