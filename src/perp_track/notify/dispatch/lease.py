"""Claims are leases: rows move to `sending` until `lease_until`, renewed by a heartbeat while
the dispatcher works on them; on a graceful stop what is still held is handed back."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

from piccolo.columns import Column

from perp_track import db
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.notify.rules import Channel, NotificationState
from perp_track.notify.tables import Notification

log = logging.getLogger("perp_track.notify")
State = NotificationState

# error_code of a row whose last attempt got no clear answer: look it up before sending again.
AMBIGUOUS = "ambiguous"


class Held:
    """The rows this process has claimed and not yet recorded, and whether it is stopping."""

    def __init__(self) -> None:
        self.stopping = False
        # id -> (channel, whether a request to the provider may have left for it)
        self.rows: dict[int, tuple[str, bool]] = {}

    def start(self) -> None:
        self.stopping = False


HELD = Held()


def stopping() -> None:
    """Stop claiming; rows claimed but not yet started are handed back as they come up."""
    HELD.stopping = True


async def release_held(now: datetime) -> int:
    """Hand back every row this process still holds: claimable at once by another dispatcher.

    An SMS whose request may have left is marked ambiguous: it is looked up before any resend.
    """
    if not HELD.rows:
        return 0
    started = [i for i, (channel, left) in HELD.rows.items() if left and channel == Channel.SMS]
    ids = list(HELD.rows)
    HELD.rows.clear()
    mine = Notification.id.is_in(ids) & (Notification.state == State.SENDING)
    async with db.transaction():
        if started:
            await Notification.update(
                {
                    Notification.error_code: AMBIGUOUS,
                    Notification.error_message: "the dispatcher stopped while sending it",
                }
            ).where(Notification.id.is_in(started) & (Notification.state == State.SENDING))
        released = await (
            Notification.update(
                {
                    Notification.state: State.QUEUED,
                    Notification.lease_until: None,
                    Notification.next_attempt_at: now,
                }
            )
            .where(mine)
            .returning(Notification.id)
        )
    return len(released)


async def claim(
    *, now: datetime, lease_seconds: float, limit: int, channels: list[str]
) -> list[dict[str, Any]]:
    """Take up to `limit` due rows: queued and due, or `sending` with a lease that ran out.

    PostgreSQL: FOR UPDATE SKIP LOCKED, so dispatchers running side by side never take the same
    row. SQLite: the immediate transaction holds the write lock for the select and the update.
    """
    due = (
        (Notification.state == State.QUEUED) & (Notification.next_attempt_at <= now)
        | (Notification.state == State.SENDING) & (Notification.lease_until < now)
    ) & Notification.channel.is_in(channels)
    # Digest e-mails leave together once a day (see digest.py), not one by one.
    due = due & ((Notification.variant != "digest") | Notification.variant.is_null())
    async with db.transaction():
        query = (
            Notification.select()
            .where(due)
            .order_by(Notification.urgent, ascending=False)
            .order_by(Notification.next_attempt_at)
            .limit(limit)
        )
        if db.is_postgres():
            query = query.lock_rows("UPDATE", skip_locked=True, of=(Notification,))
        rows = await query.output(load_json=True)
        for row in rows:
            row["retaken"] = row["state"] == State.SENDING
            # Taken from a dead dispatcher, or last answered unclearly: a request may have
            # left at `attempted_at`, which is kept as the time to look it up from.
            row["check_first"] = row["retaken"] or row["error_code"] == AMBIGUOUS
        values: dict[Column | str, Any] = {
            Notification.state: State.SENDING,
            Notification.lease_until: now + timedelta(seconds=lease_seconds),
            Notification.attempts: Notification.attempts + 1,
        }
        fresh = [r["id"] for r in rows if not r["check_first"]]
        unsure = [r["id"] for r in rows if r["check_first"]]
        if fresh:
            await Notification.update({**values, Notification.attempted_at: now}).where(
                Notification.id.is_in(fresh)
            )
        if unsure:
            await Notification.update(values).where(Notification.id.is_in(unsure))
    for row in rows:
        row["previous_attempt_at"] = row["attempted_at"]
        row["attempts"] += 1
    return rows


async def renew_leases(ids: set[int], settings: Settings, clock: Clock) -> None:
    """While a batch is in flight, its leases are renewed: only a dead dispatcher loses them."""
    every = settings.dispatch_lease_seconds / 3
    while True:
        await asyncio.sleep(every)
        if not ids:
            continue
        try:
            await Notification.update(
                {
                    Notification.lease_until: clock.now()
                    + timedelta(seconds=settings.dispatch_lease_seconds)
                }
            ).where(Notification.id.is_in(list(ids)) & (Notification.state == State.SENDING))
        except Exception as exc:  # the database away: the lease runs out, the rows move on
            log.warning("renewing the dispatch lease failed: %s", exc)


def done(notification_id: int, pending: set[int]) -> None:
    pending.discard(notification_id)
    HELD.rows.pop(notification_id, None)


def mark_left(row: dict[str, Any]) -> None:
    """A request for this row is about to leave: a stop from now on must treat it as unclear."""
    HELD.rows[row["id"]] = (row["channel"], True)
