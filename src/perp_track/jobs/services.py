"""Running jobs: one replica at a time per job (a lease), outcomes recorded, once-keys."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from perp_track import db
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.jobs.rules import JobSpec, is_stale
from perp_track.jobs.tables import JobOnce, JobRun

log = logging.getLogger("perp_track.jobs")


@dataclass(frozen=True, slots=True)
class JobResult:
    name: str
    outcome: str  # ok | error | skipped (another replica holds the lease)
    summary: str


async def _claim(name: str, owner: str, now: datetime, spec: JobSpec) -> bool:
    await JobRun.insert(JobRun(name=name)).on_conflict(target=JobRun.name, action="DO NOTHING")
    if not spec.exclusive:
        await JobRun.update({JobRun.last_started_at: now}).where(JobRun.name == name)
        return True
    # One UPDATE decides atomically, on SQLite and PostgreSQL alike, who runs this round.
    claimed = (
        await JobRun.update(
            {
                JobRun.lease_owner: owner,
                JobRun.lease_until: now + spec.lease,
                JobRun.last_started_at: now,
            }
        )
        .where((JobRun.name == name) & (JobRun.lease_until.is_null() | (JobRun.lease_until < now)))
        .returning(JobRun.id)
    )
    return bool(claimed)


async def _finish(
    spec: JobSpec, owner: str, now: datetime, error: str | None, summary: str
) -> None:
    values: dict[Any, Any] = {
        JobRun.last_finished_at: now,
        JobRun.last_outcome: "error" if error else "ok",
        JobRun.last_summary: summary[:500],
        JobRun.last_error: error[:2000] if error else None,
        JobRun.runs: JobRun.runs + 1,
    }
    if error:
        values[JobRun.failures] = JobRun.failures + 1
    else:
        values[JobRun.last_ok_at] = now
    if not spec.exclusive:
        # Every replica runs it: the row tells of the latest run to end, whoever ran it.
        await JobRun.update(values).where(JobRun.name == spec.name)
        return
    values[JobRun.lease_owner] = None
    values[JobRun.lease_until] = None
    await JobRun.update(values).where((JobRun.name == spec.name) & (JobRun.lease_owner == owner))


async def run_job(spec: JobSpec, *, clock: Clock, settings: Settings, owner: str) -> JobResult:
    """Run one job if no other replica holds it; never raises (the outcome is recorded)."""
    if not await _claim(spec.name, owner, clock.now(), spec):
        return JobResult(spec.name, "skipped", "another process is running it")
    started = time.perf_counter()
    try:
        summary = await spec.func(clock, settings)
    except Exception as exc:
        log.exception("job %s failed", spec.name)
        error = f"{type(exc).__name__}: {exc}"
        await _finish(spec, owner, clock.now(), error, "failed")
        return JobResult(spec.name, "error", error)
    elapsed_ms = (time.perf_counter() - started) * 1000
    await _finish(spec, owner, clock.now(), None, f"{summary} ({elapsed_ms:.0f} ms)")
    return JobResult(spec.name, "ok", summary)


async def once(key: str, now: datetime) -> bool:
    """True the first time a key is seen, False ever after: exactly-once across replicas.

    Call it inside the transaction that does the work, so a rollback forgets the key too.
    """
    inserted = (
        await JobOnce.insert(JobOnce(key=key, created_at=now))
        .on_conflict(target=JobOnce.key, action="DO NOTHING")
        .returning(JobOnce.id)
    )
    return bool(inserted)


async def once_many(keys: list[str], now: datetime) -> list[str]:
    """The keys among these seen for the first time (each claimed by exactly one caller)."""
    if not keys:
        return []
    return await db.insert_many(
        JobOnce,
        [{"key": key, "created_at": now} for key in keys],
        on_conflict_do_nothing=JobOnce.key,
        returning=JobOnce.key,
    )


async def job_status(specs: list[JobSpec], now: datetime) -> list[dict[str, Any]]:
    rows = {r["name"]: r for r in await JobRun.select()}
    status = []
    for spec in specs:
        row = rows.get(spec.name, {})
        status.append(
            {
                "name": spec.name,
                "every_seconds": int(spec.every.total_seconds()),
                "last_started_at": row.get("last_started_at"),
                "last_finished_at": row.get("last_finished_at"),
                "last_ok_at": row.get("last_ok_at"),
                "last_outcome": row.get("last_outcome"),
                "last_summary": row.get("last_summary"),
                "last_error": row.get("last_error"),
                "runs": row.get("runs", 0),
                "failures": row.get("failures", 0),
                "stale": is_stale(row.get("last_ok_at"), now, spec),
            }
        )
    return status
