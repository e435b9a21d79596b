"""Writing down what happened to each message, and telling someone when it did not arrive."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from perp_track import db
from perp_track.cases.tables import Case, Person
from perp_track.notify.optout import opt_out_person
from perp_track.notify.rules import Audience, NotificationState, SystemNotice
from perp_track.notify.services import queue_system_notice
from perp_track.notify.tables import Notification

log = logging.getLogger("perp_track.notify")
State = NotificationState


@dataclass
class Outcome:
    state: NotificationState
    error_code: str | None = None
    error_message: str | None = None
    provider_id: str | None = None
    next_attempt_at: datetime | None = None
    subject: str | None = None
    body: str | None = None
    segments: int | None = None
    # Not an attempt after all (waiting for her safe hours): give the attempt back.
    not_an_attempt: bool = False
    # Tell the responsible person that this message did not reach its recipient.
    alert: str | None = None
    opted_out: bool = False
    # When a request for it may last have left (kept to look it up from, after an unclear one).
    attempted_at: datetime | None = None


async def record(row: dict[str, Any], outcome: Outcome, now: datetime) -> None:
    values: dict[Any, Any] = {
        Notification.state: outcome.state,
        Notification.lease_until: None,
        Notification.error_code: outcome.error_code,
        Notification.error_message: outcome.error_message,
    }
    if outcome.next_attempt_at is not None:
        values[Notification.next_attempt_at] = outcome.next_attempt_at
    if outcome.not_an_attempt:
        values[Notification.attempts] = row["attempts"] - 1
    for column, value in (
        (Notification.provider_id, outcome.provider_id),
        (Notification.subject, outcome.subject),
        (Notification.body, outcome.body),
        (Notification.segments, outcome.segments),
        (Notification.attempted_at, outcome.attempted_at),
    ):
        if value is not None:
            values[column] = value
    if outcome.state in {State.SENT, State.DELIVERED}:
        values[Notification.sent_at] = now
    if outcome.state is State.DELIVERED:
        values[Notification.delivered_at] = now
    mine = (Notification.id == row["id"]) & (Notification.state == State.SENDING)
    if not (outcome.opted_out or outcome.alert):
        # One statement is atomic on its own: no transaction round trips for the common case.
        await Notification.update(values).where(mine)
        return
    async with db.transaction():
        updated = await Notification.update(values).where(mine).returning(Notification.id)
        if not updated:
            return  # a status callback or another dispatcher got there first
        if outcome.opted_out:
            await opt_out_person(person_id=row["recipient_person"], now=now)
        if outcome.alert:
            await tell_responsible(row, reason=outcome.alert, now=now)


_COLUMNS = (
    ("id", "int"),
    ("state", "varchar"),
    ("error_code", "varchar"),
    ("error_message", "text"),
    ("next_attempt_at", "timestamptz"),
    ("give_back", "int"),
    ("provider_id", "varchar"),
    ("subject", "text"),
    ("body", "text"),
    ("segments", "int"),
    ("sent_at", "timestamptz"),
    ("delivered_at", "timestamptz"),
    ("attempted_at", "timestamptz"),
)


async def record_many(results: list[tuple[dict[str, Any], Outcome, datetime]]) -> None:
    """PostgreSQL: the outcomes of a batch in one UPDATE ... FROM unnest(...), instead of one
    round trip per message. Only outcomes that write nothing else (no alert, no opt-out).

    One array per column: the statement is the same whatever the batch size, prepared once.
    SQLite: one UPDATE a row, all in one transaction (one write to disk, not one a message).
    """
    if not results:
        return
    if not db.is_postgres():
        async with db.transaction():
            for row, outcome, now in results:
                await record(row, outcome, now)
        return
    columns: list[list[Any]] = [[] for _ in _COLUMNS]
    for row, outcome, now in results:
        delivered = outcome.state is State.DELIVERED
        values = (
            row["id"],
            str(outcome.state),
            outcome.error_code,
            outcome.error_message,
            outcome.next_attempt_at,
            1 if outcome.not_an_attempt else 0,
            outcome.provider_id,
            outcome.subject,
            outcome.body,
            outcome.segments,
            now if outcome.state in {State.SENT, State.DELIVERED} else None,
            now if delivered else None,
            outcome.attempted_at,
        )
        for column, value in zip(columns, values, strict=True):
            column.append(value)
    keep = (
        "provider_id",
        "subject",
        "body",
        "segments",
        "sent_at",
        "delivered_at",
        "attempted_at",
    )
    sets = ", ".join(
        [
            "state = v.state",
            "lease_until = NULL",
            "error_code = v.error_code",
            "error_message = v.error_message",
            "next_attempt_at = COALESCE(v.next_attempt_at, n.next_attempt_at)",
            "attempts = n.attempts - v.give_back",
        ]
        + [f"{c} = COALESCE(v.{c}, n.{c})" for c in keep]
    )
    names = ", ".join(name for name, _ in _COLUMNS)
    arrays = ", ".join(f"{{}}::{kind}[]" for _, kind in _COLUMNS)
    sql = (
        f"UPDATE notification AS n SET {sets} "  # noqa: S608 - fixed names, values are parameters
        f"FROM unnest({arrays}) AS v({names}) "
        "WHERE n.id = v.id AND n.state = 'sending'"
    )
    await Notification.raw(sql, *columns)


async def responsible_for(row: dict[str, Any]) -> list[int | None]:
    """Who answers for a message that did not arrive: her SAPV contact for a victim's message,
    otherwise the case's justice assistant."""
    if row["audience"] == Audience.VICTIM and row["recipient_person"]:
        person = (
            await Person.select(Person.sapv_contact)
            .where(Person.id == row["recipient_person"])
            .first()
        )
        return [person["sapv_contact"] if person else None]
    if row["case"] is None:
        return []
    case = await Case.select(Case.assigned_ja).where(Case.id == row["case"]).first()
    return [case["assigned_ja"] if case else None]


async def tell_responsible(row: dict[str, Any], *, reason: str, now: datetime) -> None:
    # A message about a failed message that itself fails would loop: system notices stop here.
    # An interpreter's booking is the exception: unless told, they will not come.
    if row["template"] in set(SystemNotice) and row["audience"] != Audience.INTERPRETER:
        log.warning("notification %s (%s) was not delivered", row["id"], row["template"])
        return
    payload = row["payload"] if isinstance(row["payload"], dict) else {}
    await queue_system_notice(
        notice=SystemNotice.MESSAGE_UNDELIVERABLE,
        user_ids=await responsible_for(row),
        case_id=row["case"],
        payload={
            "case_reference": payload.get("case_reference", ""),
            "channel": row["channel"],
            "failed_template": row["template"],
            "failed_audience": row["audience"],
            "reason": reason,
            "notification_id": row["id"],
        },
        key=f"undeliverable:n{row['id']}",
        now=now,
        urgent=row["audience"] == Audience.VICTIM or bool(row["urgent"]),
    )
