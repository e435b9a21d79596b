"""The kernel every domain imports: a case scoped to the acting user, and the timeline append
(with its audit entry and the notices it queues). It imports nothing above it: no other
domain's services, no read view."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from perp_track import db
from perp_track.audit import services as audit
from perp_track.audit.rules import Action
from perp_track.auth.rules import ActingUser
from perp_track.cases import rules
from perp_track.cases.errors import CaseError
from perp_track.cases.rules import EventKind
from perp_track.cases.tables import Case, CaseAccess, CaseEvent
from perp_track.cases.visibility import HIDDEN_SQL, hidden_cases, visible
from perp_track.errors import NotFound
from perp_track.notify.rules import Notice
from perp_track.notify.services import queue_notice, queue_notice_many

__all__ = ["HIDDEN_SQL", "hidden_cases", "visible"]


@dataclass(frozen=True, slots=True)
class Denial:
    """Someone not named on a restricted case asked for it: written after the request's own
    transaction (which the 404 rolls back), by cases.restriction.denials.write_denials."""

    actor: ActingUser
    case_id: int


# A box per request (set by the HTTP edge, like db.watch_commits): the denials it met.
_denials: ContextVar[list[Denial] | None] = ContextVar("perp_track_denials", default=None)


def watch_denials() -> list[Denial]:
    box: list[Denial] = []
    _denials.set(box)
    return box


async def is_named(case_id: int, user_id: int) -> bool:
    return bool(
        await CaseAccess.exists().where((CaseAccess.case == case_id) & (CaseAccess.user == user_id))
    )


async def check_restriction(
    actor: ActingUser, case: dict[str, Any], not_found: NotFound | None = None
) -> None:
    """404 for a restricted case the actor is not named on, whatever their role; the attempt
    is noted for the audit trail and the case's supervisors. `not_found` is the very error the
    caller gives for a record that does not exist, so the two answers cannot be told apart."""
    if not case.get("restricted") or await is_named(int(case["id"]), actor.id):
        return
    box = _denials.get()
    if box is not None and not any(d.case_id == case["id"] for d in box):
        box.append(Denial(actor=actor, case_id=int(case["id"])))
    raise not_found or NotFound(CaseError.NOT_FOUND, case_id=int(case["id"]))


async def check_restricted_id(
    actor: ActingUser, case_id: int | None, not_found: NotFound | None = None
) -> None:
    """check_restriction for a caller that holds only the case id."""
    if case_id is None:
        return
    row = await Case.select(Case.id, Case.restricted).where(Case.id == case_id).first()
    if row is not None:
        await check_restriction(actor, row, not_found)


async def scoped_case(actor: ActingUser, case_id: int) -> dict[str, Any]:
    """The case row, if this actor may run it; otherwise 404 (they may not know it exists)."""
    row = await Case.select().where(Case.id == case_id).first()
    if row is None or not rules.may_run_case(
        role=actor.role,
        actor_organisation=actor.organisation_id,
        case_justice_house=row["justice_house"],
    ):
        raise NotFound(CaseError.NOT_FOUND, case_id=case_id)
    await check_restriction(actor, row)
    return row


async def record_event(
    *,
    case: dict[str, Any],
    kind: EventKind,
    actor: ActingUser | None,
    now: datetime,
    data: dict[str, Any] | None = None,
    measure_id: int | None = None,
    summons_id: int | None = None,
    notices: list[tuple[Notice, dict[str, Any]]] | None = None,
    not_after: datetime | None = None,
) -> int:
    """Append to the case timeline and queue who must be told. Call inside the transaction.

    The event is its kind and its data: what the pages, documents and export say of it is built
    from them (perp_track.i18n.events), so data must carry everything a reader needs."""
    event = CaseEvent(
        case=case["id"],
        kind=kind,
        actor=actor.id if actor else None,
        occurred_at=now,
        data=data or {},
        measure_id=measure_id,
        summons_id=summons_id,
    )
    await event.save()
    # Every change to a case passes here: one place puts it on the audit trail.
    await audit.append(
        actor=actor,
        action=Action.WRITE,
        record_type="case_event",
        record_id=int(event.id),
        case_id=int(case["id"]),
        fields=sorted((data or {}).keys()),
        now=now,
        detail=f"{kind}"
        + (f" measure {measure_id}" if measure_id else "")
        + (f" summons {summons_id}" if summons_id else ""),
    )
    for notice, payload in notices or []:
        await queue_notice(
            notice=notice,
            case=case,
            event_id=event.id,
            payload={"case_reference": case["reference"], **payload},
            now=now,
            not_after=not_after,
        )
    return int(event.id)


@dataclass(frozen=True, slots=True)
class NewEvent:
    """One timeline entry of a batch (see record_events)."""

    case: dict[str, Any]
    data: dict[str, Any]
    measure_id: int | None = None
    summons_id: int | None = None
    payload: dict[str, Any] | None = None
    not_after: datetime | None = None


async def record_events(
    *, kind: EventKind, notice: Notice | None, events: list[NewEvent], now: datetime
) -> list[int]:
    """`record_event` for a batch of system events of one kind (no actor), in bulk.

    Call inside the transaction; the timeline entries and their outbox rows land together.
    """
    if not events:
        return []
    ids = await db.insert_many_ids(
        CaseEvent,
        [
            {
                "case": e.case["id"],
                "kind": kind,
                "actor": None,
                "occurred_at": now,
                "summary": "",  # the column keeps old rows' sentences; new rows have none
                "data": e.data,
                "measure_id": e.measure_id,
                "summons_id": e.summons_id,
            }
            for e in events
        ],
    )
    # One audit entry for the batch (a system job's writes, by event id range): an entry per
    # event would add thousands of audit rows for one morning's reminders.
    await audit.append(
        actor=None,
        action=Action.WRITE,
        record_type="case_event",
        record_id=ids[0],
        now=now,
        detail=f"{kind} x{len(ids)}: events {ids[0]}..{ids[-1]}",
    )
    if notice is not None:
        await queue_notice_many(
            notice=notice,
            items=[
                (
                    e.case,
                    event_id,
                    {"case_reference": e.case["reference"], **(e.payload or {})},
                    e.not_after,
                )
                for e, event_id in zip(events, ids, strict=True)
            ],
            now=now,
        )
    return ids
