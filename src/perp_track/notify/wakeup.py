"""Waking the dispatchers when outbox rows are written, rather than at their next tick.

On PostgreSQL a write to the outbox also says `NOTIFY perp_track_outbox`, in its transaction:
PostgreSQL delivers it at commit (never for a rollback), once per transaction, to every process
that listens. Each scheduler process listens on a connection of its own and runs its dispatch
job at once. The dispatch interval stays the safety net: a lost connection, or SQLite, only
means waiting for the next tick.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

import asyncpg

from perp_track import db
from perp_track.config import Settings

log = logging.getLogger("perp_track.notify")

CHANNEL = "perp_track_outbox"
RECONNECT_SECONDS = 5.0


async def announce() -> None:
    """Call inside the transaction that wrote outbox rows."""
    if db.is_postgres():
        from perp_track.notify.tables import Notification

        await Notification.raw(f"NOTIFY {CHANNEL}")


class Wanted:
    """Whether a dispatch pass is owed: set by a wake-up, cleared by the pass that serves it.

    A wake-up that comes while a pass is running is not lost: the pass sees the flag and goes
    round again before it ends.
    """

    def __init__(self) -> None:
        self._flag = False
        # True while this process's dispatch job runs (it will see the flag by itself).
        self.running = False
        # The task running it then (a graceful stop waits for it).
        self.task: asyncio.Task[Any] | None = None

    def set(self) -> bool:
        """Mark a pass as owed; True if none was owed yet (the caller should start one)."""
        first = not self._flag
        self._flag = True
        return first

    def take(self) -> bool:
        """Clear the flag; True if a pass was owed."""
        owed, self._flag = self._flag, False
        return owed


# One per process: the scheduler's listener sets it, the dispatch job takes it.
WANTED = Wanted()


class Listener:
    """LISTEN on a connection of its own; calls `on_wake` for every notification received.

    Reconnects after losing its connection; never raises into the scheduler.
    """

    def __init__(self, settings: Settings, on_wake: Callable[[], None]) -> None:
        self.settings = settings
        self.on_wake = on_wake
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self.connected = asyncio.Event()

    def start(self) -> None:
        if self.settings.is_sqlite or self._task is not None:
            return
        self._task = asyncio.get_running_loop().create_task(self._run(), name="outbox-listener")

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            await self._task
            self._task = None

    def _received(self, *_: Any) -> None:
        try:
            self.on_wake()
        except Exception:
            log.exception("waking the dispatcher failed")

    async def _run(self) -> None:
        while not self._stopping.is_set():
            conn: asyncpg.Connection | None = None
            try:
                conn = await asyncpg.connect(**self.settings.postgres_config)
                await self._listen(conn)
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("outbox listener: %s; polling until it reconnects", exc)
            finally:
                self.connected.clear()
                if conn is not None and not conn.is_closed():
                    await conn.close()
            if not self._stopping.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), RECONNECT_SECONDS)

    async def _listen(self, conn: asyncpg.Connection) -> None:
        """Until told to stop, or the connection is lost."""
        lost = asyncio.Event()
        conn.add_termination_listener(lambda *_: lost.set())
        await conn.add_listener(CHANNEL, self._received)
        self.connected.set()
        # Rows written while nobody listened: one pass for them.
        self._received()
        waits = {
            asyncio.create_task(self._stopping.wait()),
            asyncio.create_task(lost.wait()),
        }
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in waits:
                task.cancel()
