"""Time-driven work on summons: reminders to the perpetrator, attendance left unrecorded."""

from __future__ import annotations

from datetime import datetime, timedelta

from perp_track import db
from perp_track.cases.access import NewEvent, record_event, record_events
from perp_track.cases.rules import EventKind
from perp_track.cases.tables import Case
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.evaluations import services as evaluations
from perp_track.evaluations.rules import ArmPlan
from perp_track.jobs.rules import JobSpec
from perp_track.jobs.services import once, once_many
from perp_track.notify.rules import Notice
from perp_track.risk import rules as risk_rules
from perp_track.risk import views as risk_views
from perp_track.summons import rules
from perp_track.summons.rules import SummonsStatus
from perp_track.summons.tables import Summons

# Reminders are written in batches: one transaction and a few bulk reads per batch, so that
# thousands falling due at once (a morning) are queued in seconds, not minutes.
REMINDER_BATCH = 1000


async def send_reminders(clock: Clock, settings: Settings) -> str:
    now = clock.now()
    horizon = now + timedelta(days=max(settings.reminder_days, default=0) + 1)
    horizon = max(horizon, await evaluations.reminder_horizon(now))
    # Only summons still scheduled: a cancelled one gets none; a rescheduled one is a new row,
    # so its reminders follow the new time and the old row's stop.
    policy = await risk_views.policy_map()
    upcoming = await Summons.select(
        Summons.id,
        Summons.scheduled_at,
        Summons.created_at,
        Summons.case.risk_level.as_alias("risk_level"),
    ).where(
        (Summons.status == SummonsStatus.SCHEDULED)
        & (Summons.scheduled_at > now)
        & (Summons.scheduled_at <= horizon)
    )
    # A person in an arm of a reminder evaluation gets that arm's reminders and wording.
    plans = await evaluations.reminder_plans(upcoming, now=now, settings=settings)
    due: list[tuple[int, str]] = []
    for row in upcoming:
        times = rules.reminder_times(
            row["scheduled_at"],
            days_before=settings.reminder_days,
            send_hour=settings.reminder_hour,
            morning_hour=settings.reminder_morning_hour,
            tz=settings.tz,
        )
        if (plan := plans.get(row["id"])) is not None:
            times = plan.reminder_times(row["scheduled_at"], settings.tz)
        # The case's risk tier may add reminders (risk.rules: e.g. the evening before).
        times |= risk_rules.tier_reminder_times(
            row["scheduled_at"], row["risk_level"], policy, tz=settings.tz
        )
        # A reminder whose time came before the summons existed is not owed: the summons
        # message itself told him.
        times = {k: at for k, at in times.items() if at > row["created_at"]}
        key = rules.due_reminder(row["scheduled_at"], now, times)
        if key is not None:
            due.append((row["id"], key))
    sent = 0
    for start in range(0, len(due), REMINDER_BATCH):
        sent += await _remind_batch(due[start : start + REMINDER_BATCH], now, plans)
    return f"{sent} reminders queued"


async def _remind_batch(
    batch: list[tuple[int, str]], now: datetime, plans: dict[int, ArmPlan]
) -> int:
    async with db.transaction():
        # The once-keys decide, across replicas, which reminders this run owns.
        keys = {f"summons_reminder:{sid}:{key}": (sid, key) for sid, key in batch}
        owned = await once_many(list(keys), now)
        if not owned:
            return 0
        mine = dict(keys[k] for k in owned)
        rows = {
            r["id"]: r
            for r in await Summons.select(
                Summons.id,
                Summons.case,
                Summons.measure,
                Summons.scheduled_at,
                Summons.modality,
                Summons.place,
            ).where(Summons.id.is_in(list(mine)) & (Summons.status == SummonsStatus.SCHEDULED))
        }
        cases = {
            c["id"]: c
            for c in await Case.select().where(
                Case.id.is_in(list({r["case"] for r in rows.values()}) or [-1])
            )
        }
        batch_events = [
            NewEvent(
                case=cases[summons["case"]],
                data={"reminder": key},
                measure_id=summons["measure"],
                summons_id=summons["id"],
                payload={
                    "reminder": key,
                    "scheduled_at": summons["scheduled_at"].isoformat(),
                    "modality": summons["modality"],
                    "place": summons["place"] or "",
                    **evaluations.reminder_payload(plans.get(summons_id)),
                },
                # A reminder that cannot leave before the summons begins must not leave at all.
                not_after=summons["scheduled_at"],
            )
            for summons_id, key in mine.items()
            # Gone from the scheduled ones since the scan: cancelled or moved.
            if (summons := rows.get(summons_id)) is not None
        ]
        await record_events(
            kind=EventKind.SUMMONS_REMINDER,
            notice=Notice.SUMMONS_REMINDER,
            events=batch_events,
            now=now,
        )
        return len(batch_events)


async def attendance_overdue_alerts(clock: Clock, settings: Settings) -> str:
    now = clock.now()
    # How long unrecorded attendance may wait depends on the case's risk tier (risk policy).
    grace = await risk_views.attendance_alert_hours()
    overdue_before = now - timedelta(hours=min(grace.values()))
    rows = await Summons.select(
        Summons.id, Summons.scheduled_at, Summons.case.risk_level.as_alias("risk_level")
    ).where((Summons.status == SummonsStatus.SCHEDULED) & (Summons.scheduled_at <= overdue_before))
    told = 0
    for row in rows:
        hours = grace.get(row["risk_level"], settings.attendance_grace_hours)
        if row["scheduled_at"] > now - timedelta(hours=hours):
            continue
        async with db.transaction():
            if not await once(f"attendance_overdue:{row['id']}", now):
                continue
            summons = await Summons.select().where(Summons.id == row["id"]).first()
            if summons is None or summons["status"] != SummonsStatus.SCHEDULED:
                continue
            case = await Case.select().where(Case.id == summons["case"]).first()
            assert case is not None
            await record_event(
                case=case,
                kind=EventKind.ATTENDANCE_OVERDUE,
                actor=None,
                now=now,
                data={"scheduled_at": summons["scheduled_at"].isoformat(), "hours": hours},
                measure_id=summons["measure"],
                summons_id=summons["id"],
                notices=[
                    (
                        Notice.ATTENDANCE_NOT_RECORDED,
                        {"scheduled_at": summons["scheduled_at"].isoformat()},
                    )
                ],
            )
            told += 1
    return f"{told} justice assistants told of unrecorded attendance"


def jobs(settings: Settings) -> list[JobSpec]:
    return [
        JobSpec(
            name="summons.reminders",
            func=send_reminders,
            every=timedelta(minutes=1),
            stale_after=timedelta(minutes=15),
            description="Summons reminders 7, 3, 1 days before and the morning of",
        ),
        JobSpec(
            name="summons.attendance_overdue",
            func=attendance_overdue_alerts,
            every=timedelta(minutes=15),
            stale_after=timedelta(hours=2),
            description="Tell the justice assistant of attendance not recorded in time",
        ),
    ]
