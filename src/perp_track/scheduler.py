"""APScheduler: each domain's jobs.py offers its jobs; this module runs them.

What is due lives in the database (measures' end dates, the outbox, once-keys), never in the
scheduler's memory: a restart, a missed run or a second replica changes nothing but who runs it.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
import signal
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.jobs.rules import JobFunc, JobSpec
from perp_track.jobs.services import JobResult, job_status, run_job
from perp_track.notify import wakeup
from perp_track.notify.dispatch import lease

log = logging.getLogger("perp_track.scheduler")

# Modules exposing `jobs(settings) -> list[JobSpec]`.
JOB_MODULES = [
    "perp_track.notify.jobs",
    "perp_track.measures.jobs",
    "perp_track.summons.jobs",
    "perp_track.risk.jobs",
    "perp_track.idempotency.jobs",
    "perp_track.privacy.jobs",
    "perp_track.audit.jobs",
]


def process_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def all_jobs(settings: Settings) -> list[JobSpec]:
    specs: list[JobSpec] = []
    for module in JOB_MODULES:
        specs.extend(importlib.import_module(module).jobs(settings))
    specs.append(
        JobSpec(
            name="jobs.watchdog",
            # The others: its own first run must not call itself stale; /ready shows its state.
            func=_watchdog_for(list(specs)),
            every=timedelta(minutes=1),
            stale_after=timedelta(minutes=10),
            description="Alerts when a job has not succeeded for too long",
        )
    )
    return specs


def _watchdog_for(specs: list[JobSpec]) -> JobFunc:
    # When this process began watching: a job that has never succeeded is late only once it
    # has been due for longer than its limit (a fresh database has no success to show yet).
    watching_since: list[datetime] = []

    async def watchdog(clock: Clock, settings: Settings) -> str:
        now = clock.now()
        if not watching_since:
            watching_since.append(now)
        by_name = {spec.name: spec for spec in specs}
        stale = [
            s["name"]
            for s in await job_status(specs, now)
            if s["stale"]
            and (
                s["last_ok_at"] is not None
                or now - watching_since[0] > by_name[s["name"]].stale_after
            )
        ]
        for name in stale:
            # An operator's log alert: a silent dispatcher means nobody is being told anything.
            log.error("ALERT job %s has not succeeded within its limit", name)
        return f"{len(stale)} stale jobs" + (f": {', '.join(stale)}" if stale else "")

    return watchdog


async def run_all_once(settings: Settings, clock: Clock, owner: str) -> list[JobResult]:
    """Every job once, in order: for `perp-track worker --once` and for tests that move time."""
    return [
        await run_job(spec, clock=clock, settings=settings, owner=owner)
        for spec in all_jobs(settings)
    ]


def build_scheduler(settings: Settings, clock: Clock, owner: str) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=settings.tz)
    for spec in all_jobs(settings):
        scheduler.add_job(
            run_job,
            IntervalTrigger(seconds=int(spec.every.total_seconds()), timezone=settings.tz),
            kwargs={"spec": spec, "clock": clock, "settings": settings, "owner": owner},
            id=spec.name,
            name=spec.description or spec.name,
            max_instances=1,
            coalesce=True,
            # Late is better than never: the work itself checks what is still due.
            misfire_grace_time=None,
            # Run at start-up too, so a restart catches up at once. On the scheduler's own
            # (real) time, as its triggers are: a clock set elsewhere (a test's, months back)
            # would make it enumerate every interval missed since, in one blocking step.
            next_run_time=datetime.now(settings.tz),
        )
    return scheduler


DISPATCH_JOB = "notify.dispatch"


@dataclass
class Running:
    """A started scheduler and the listener that wakes its dispatch job."""

    scheduler: AsyncIOScheduler
    listener: wakeup.Listener
    settings: Settings
    clock: Clock

    async def stop(self) -> None:
        """A graceful stop: claim nothing more, let the dispatch job finish what it holds
        within SHUTDOWN_GRACE_SECONDS, then hand back whatever is left (claimable at once)."""
        lease.stopping()
        self.scheduler.pause()
        await self.listener.stop()
        running = wakeup.WANTED.task
        if running is not None and not running.done():
            await asyncio.wait({running}, timeout=self.settings.shutdown_grace_seconds)
        # Cancels what still runs (the asyncio executor cannot wait): its rows are handed back.
        self.scheduler.shutdown(wait=False)
        await asyncio.sleep(0)
        try:
            released = await lease.release_held(self.clock.now())
        except Exception as exc:  # the database away: the leases run out instead
            log.warning("could not hand back the rows held: %s", exc)
        else:
            if released:
                log.warning("handed back %d messages not finished within the grace", released)
        finally:
            # This scheduler is gone; dispatch called otherwise in this process (the CLI, a
            # scheduler started anew) claims again.
            lease.HELD.start()


def start_scheduler(settings: Settings, clock: Clock, owner: str) -> Running:
    """Start the jobs, and the outbox listener that runs dispatch as soon as rows are written."""
    lease.HELD.start()
    scheduler = build_scheduler(settings, clock, owner)
    scheduler.start()

    def wake() -> None:
        # One nudge per burst; a running dispatch job takes the flag itself before it ends.
        if wakeup.WANTED.set() and not wakeup.WANTED.running:
            scheduler.modify_job(DISPATCH_JOB, next_run_time=datetime.now(settings.tz))

    listener = wakeup.Listener(settings, wake)
    listener.start()
    return Running(scheduler, listener, settings, clock)


async def run_worker(settings: Settings, clock: Clock) -> None:
    """`perp-track worker`: only the scheduler, until SIGTERM or SIGINT, then a graceful stop."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    running = start_scheduler(settings, clock, process_owner())
    log.info("worker started with %d jobs", len(running.scheduler.get_jobs()))
    try:
        await stop.wait()
    finally:
        log.info("stopping: finishing the messages in hand")
        await running.stop()
        log.info("worker stopped")
