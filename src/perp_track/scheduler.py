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

log = logging.getLogger("perp_track.scheduler")

# Modules exposing `jobs(settings) -> list[JobSpec]`.
JOB_MODULES = [
    "perp_track.notify.jobs",
    "perp_track.measures.jobs",
    "perp_track.summons.jobs",
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
    async def watchdog(clock: Clock, settings: Settings) -> str:
        stale = [s["name"] for s in await job_status(specs, clock.now()) if s["stale"]]
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
            # Run at start-up too, so a restart catches up at once.
            next_run_time=clock.now(),
        )
    return scheduler


DISPATCH_JOB = "notify.dispatch"


@dataclass
class Running:
    """A started scheduler and the listener that wakes its dispatch job."""

    scheduler: AsyncIOScheduler
    listener: wakeup.Listener

    async def stop(self) -> None:
        await self.listener.stop()
        self.scheduler.shutdown(wait=False)


def start_scheduler(settings: Settings, clock: Clock, owner: str) -> Running:
    """Start the jobs, and the outbox listener that runs dispatch as soon as rows are written."""
    scheduler = build_scheduler(settings, clock, owner)
    scheduler.start()

    def wake() -> None:
        # One nudge per burst; a running dispatch job takes the flag itself before it ends.
        if wakeup.WANTED.set() and not wakeup.WANTED.running:
            scheduler.modify_job(DISPATCH_JOB, next_run_time=datetime.now(settings.tz))

    listener = wakeup.Listener(settings, wake)
    listener.start()
    return Running(scheduler, listener)


async def run_worker(settings: Settings, clock: Clock) -> None:
    """`perp-track worker`: only the scheduler, until SIGTERM or SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    running = start_scheduler(settings, clock, process_owner())
    log.info("worker started with %d jobs", len(running.scheduler.get_jobs()))
    try:
        await stop.wait()
    finally:
        await running.stop()
        log.info("worker stopped")
