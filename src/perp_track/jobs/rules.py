"""Scheduled jobs as data: what runs, how often, and when its silence is alarming."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from perp_track.clock import Clock
    from perp_track.config import Settings

# A job does its work for "now" as the clock says, and returns a one-line summary.
JobFunc = Callable[["Clock", "Settings"], Awaitable[str]]


@dataclass(frozen=True, slots=True)
class JobSpec:
    name: str
    func: JobFunc
    every: timedelta
    # No successful run for this long is an alert (the dispatcher above all).
    stale_after: timedelta
    # A replica that claimed the job holds it this long at most (a crashed one lets go).
    lease: timedelta = timedelta(minutes=5)
    description: str = ""
    # One replica at a time (a lease), unless the work claims its own rows safely in parallel
    # (the dispatcher, with SKIP LOCKED): then every replica runs it, to share the load.
    exclusive: bool = True


def is_stale(last_ok: datetime | None, now: datetime, spec: JobSpec) -> bool:
    return last_ok is None or now - last_ok > spec.stale_after
