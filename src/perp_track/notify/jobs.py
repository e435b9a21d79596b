"""Time-driven work on messages: dispatch, digests, escalation, reconciliation with Twilio."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import datetime, timedelta

from perp_track import db
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.inbox.services import escalate_unacknowledged
from perp_track.jobs.rules import JobSpec
from perp_track.notify import inbound, wakeup
from perp_track.notify.digest import send_digests
from perp_track.notify.dispatch.batch import Channels, dispatch_once
from perp_track.notify.rules import Channel, NotificationState
from perp_track.notify.tables import Notification

# One run drains for at most this long, so that its outcome is recorded and the watchdog sees it
# alive; the next run, a tick later, goes on.
MAX_RUN_SECONDS = 60.0


async def dispatch(clock: Clock, settings: Settings) -> str:
    """Send what is due, until nothing is left or the run's time is up.

    Several passes run side by side (`DISPATCH_PARALLEL`), so that one claims and records its
    rows in the database while another's messages are on their way. Every replica runs this
    job too: claims never overlap (SKIP LOCKED).
    """
    channels = Channels.from_settings(settings)
    claimed = 0
    states: Counter[str] = Counter()
    started = time.monotonic()
    # SQLite has one writer at a time: passes side by side would only queue for it.
    parallel = settings.dispatch_parallel if db.is_postgres() else 1

    async def drain() -> None:
        nonlocal claimed
        while time.monotonic() - started < MAX_RUN_SECONDS:
            report = await dispatch_once(settings=settings, clock=clock, channels=channels)
            claimed += report.claimed
            states.update(report.states)
            if report.claimed < settings.dispatch_batch_size:
                return

    wakeup.WANTED.running = True
    wakeup.WANTED.task = asyncio.current_task()
    try:
        owed = True
        while owed and time.monotonic() - started < MAX_RUN_SECONDS:
            wakeup.WANTED.take()
            # Each pass ends by itself: one failing (the database away) must not leave the
            # other sending through channels closed under it.
            failed = [
                r
                for r in await asyncio.gather(
                    *(drain() for _ in range(parallel)), return_exceptions=True
                )
                if isinstance(r, BaseException)
            ]
            if failed:
                raise failed[0]
            # Woken during the passes: rows committed after their last claim. Once more.
            owed = wakeup.WANTED.take()
        if owed:
            wakeup.WANTED.set()  # out of time: the next run serves it
    finally:
        wakeup.WANTED.running = False
        wakeup.WANTED.task = None
        await channels.close()
    detail = ", ".join(f"{state} {n}" for state, n in sorted(states.items()))
    return f"{claimed} claimed" + (f": {detail}" if detail else "")


async def digests(clock: Clock, settings: Settings) -> str:
    channels = Channels.from_settings(settings)
    try:
        count = await send_digests(settings=settings, clock=clock, channels=channels)
    finally:
        await channels.close()
    return f"{count} digests"


async def escalation(clock: Clock, settings: Settings) -> str:
    return f"{await escalate_unacknowledged(settings=settings, clock=clock)} feedback escalated"


async def reconcile(clock: Clock, settings: Settings) -> str:
    """SMS left 'sent' without a final receipt: ask Twilio; past the limit, mark them unknown."""
    now = clock.now()
    stuck = await Notification.select(
        Notification.id, Notification.provider_id, Notification.sent_at
    ).where(
        (Notification.channel == Channel.SMS)
        & (Notification.state == NotificationState.SENT)
        & Notification.provider_id.is_not_null()
        & (Notification.sent_at < now - timedelta(minutes=settings.reconcile_after_minutes))
    )
    if not stuck:
        return "0 looked up"
    channels = Channels.from_settings(settings)
    looked_up = given_up = 0
    try:
        for row in stuck:
            receipt = await channels.sms.status(row["provider_id"]) if channels.sms else None
            if receipt is not None:
                # The same rules as a status callback: final states never move.
                await inbound.record_status(
                    sid=row["provider_id"], status=receipt.status, error_code=None, now=now
                )
                looked_up += 1
            if row["sent_at"] < now - timedelta(hours=settings.reconcile_give_up_hours):
                given_up += await _give_up(row["id"], now, settings)
    finally:
        await channels.close()
    return f"{looked_up} looked up, {given_up} marked unknown"


async def _give_up(notification_id: int, now: datetime, settings: Settings) -> int:
    updated = (
        await Notification.update(
            {
                Notification.state: NotificationState.UNKNOWN,
                Notification.error_code: "no_receipt",
                Notification.error_message: "no delivery receipt after "
                f"{settings.reconcile_give_up_hours} hours: possibly undelivered",
            }
        )
        .where(
            (Notification.id == notification_id) & (Notification.state == NotificationState.SENT)
        )
        .returning(Notification.id)
    )
    return len(updated)


def jobs(settings: Settings) -> list[JobSpec]:
    stale = timedelta(minutes=settings.job_stale_minutes)
    return [
        JobSpec(
            name="notify.dispatch",
            func=dispatch,
            every=timedelta(seconds=settings.dispatch_interval_seconds),
            stale_after=stale,
            lease=timedelta(minutes=2),
            description="Send what the outbox holds (SMS, e-mail, in-app)",
            exclusive=False,
        ),
        JobSpec(
            name="notify.digests",
            func=digests,
            every=timedelta(minutes=15),
            stale_after=timedelta(hours=2),
            description="The police officers' daily digest",
        ),
        JobSpec(
            name="notify.feedback_escalation",
            func=escalation,
            every=timedelta(hours=1),
            stale_after=timedelta(hours=6),
            description="Unacknowledged police feedback is told to the justice assistant",
        ),
        JobSpec(
            name="notify.reconcile",
            func=reconcile,
            every=timedelta(minutes=30),
            stale_after=timedelta(hours=3),
            description="Ask Twilio about messages with no final status",
        ),
    ]
