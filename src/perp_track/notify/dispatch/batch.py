"""One dispatch pass: claim due outbox rows, send them outside any transaction, record what
happened (see the package's docstring)."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from perp_track.auth.tables import User
from perp_track.cases.tables import Person
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.interpreters.tables import Interpreter
from perp_track.notify import rules, safety
from perp_track.notify.channels import EmailPort, SmsPort
from perp_track.notify.context import render_row
from perp_track.notify.dispatch.lease import (
    AMBIGUOUS,
    HELD,
    State,
    claim,
    done,
    log,
    renew_leases,
)
from perp_track.notify.dispatch.send import send_email, send_sms
from perp_track.notify.outcomes import Outcome, record, record_many
from perp_track.notify.rules import Channel
from perp_track.notify.tables import SmsOptOut


@dataclass
class Channels:
    """The adapters dispatch sends through; a missing one leaves its rows queued."""

    sms: SmsPort | None = None
    email: EmailPort | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Channels:
        from perp_track.notify.channels.email import SmtpEmail
        from perp_track.notify.channels.sms import TwilioSms

        return cls(
            sms=TwilioSms(settings) if settings.twilio_configured else None,
            email=SmtpEmail(settings) if settings.smtp_host else None,
        )

    def available(self) -> list[str]:
        names = [Channel.IN_APP]
        if self.sms is not None:
            names.append(Channel.SMS)
        if self.email is not None:
            names.append(Channel.EMAIL)
        return [str(n) for n in names]

    async def close(self) -> None:
        if self.sms is not None:
            await self.sms.close()


@dataclass
class Report:
    claimed: int = 0
    states: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        detail = ", ".join(f"{state} {n}" for state, n in sorted(self.states.items()))
        return f"claimed {self.claimed}" + (f": {detail}" if detail else "")


async def dispatch_once(
    *,
    settings: Settings,
    clock: Clock,
    channels: Channels,
    limit: int | None = None,
    rand: Callable[[], float] = random.random,
) -> Report:
    """One pass: claim due rows, send them concurrently, record each outcome."""
    if HELD.stopping:
        return Report()
    now = clock.now()
    rows = await claim(
        now=now,
        lease_seconds=settings.dispatch_lease_seconds,
        limit=limit or settings.dispatch_batch_size,
        channels=channels.available(),
    )
    report = Report(claimed=len(rows))
    if not rows:
        return report
    for row in rows:
        HELD.rows[row["id"]] = (row["channel"], False)
    pending = {r["id"] for r in rows}
    heartbeat = asyncio.create_task(renew_leases(pending, settings, clock))
    gate = asyncio.Semaphore(settings.dispatch_concurrency)

    # Outcomes that write nothing else are recorded together once the batch is sent.
    plain: list[tuple[dict[str, Any], Outcome, datetime]] = []

    async def one(row: dict[str, Any]) -> None:
        async with gate:
            if HELD.stopping:
                outcome = _hand_back(row, clock.now())
            else:
                try:
                    outcome = await _process(row, settings, clock, channels, rand)
                except Exception as exc:
                    log.exception("notification %s: unexpected error while sending", row["id"])
                    outcome = _unexpected(row, settings, exc, rand(), clock.now())
            report.states[outcome.state] += 1
            if not (outcome.alert or outcome.opted_out):
                plain.append((row, outcome, clock.now()))
            else:
                # Out of the heartbeat before its state changes: a renewal must never touch a
                # row once it is released (another dispatcher may hold it by then).
                done(row["id"], pending)
                await record(row, outcome, clock.now())

    try:
        await _prefetch(rows)
        await asyncio.gather(*(one(r) for r in rows))
        for start in range(0, len(plain), 500):
            chunk = plain[start : start + 500]
            for row, _, _ in chunk:
                done(row["id"], pending)
            await record_many(chunk)
    except Exception:
        # The database away mid-batch: what was not recorded stays `sending` until its lease
        # runs out, then another pass looks it up. Not ours to hand back any more.
        for notification_id in list(pending):
            done(notification_id, pending)
        raise
    finally:
        heartbeat.cancel()
    if rows and any(r["channel"] == Channel.SMS for r in rows):
        from perp_track.notify.inbound import apply_pending

        await apply_pending(now=clock.now())
    return report


def _hand_back(row: dict[str, Any], now: datetime) -> Outcome:
    """Stopping: this row was never started. Back to the queue, due now, the attempt given back."""
    return Outcome(
        State.QUEUED,
        error_code=row["error_code"],
        error_message=row["error_message"],
        next_attempt_at=now,
        not_an_attempt=True,
        attempted_at=row["previous_attempt_at"] if row["check_first"] else None,
    )


def _unexpected(
    row: dict[str, Any], settings: Settings, exc: Exception, rand: float, now: datetime
) -> Outcome:
    """A bug or the database away mid-send: tried again later; an SMS is looked up first."""
    message = f"unexpected error: {type(exc).__name__}"
    if row["attempts"] >= settings.dispatch_max_attempts:
        return Outcome(State.FAILED, error_code="internal", error_message=message, alert=message)
    sms = row["channel"] == Channel.SMS
    wait = rules.backoff(
        row["attempts"],
        settings.dispatch_backoff_seconds,
        rand,
        settings.dispatch_backoff_cap_seconds,
    )
    return Outcome(
        State.QUEUED,
        error_code=AMBIGUOUS if sms else "internal",
        error_message=message,
        next_attempt_at=now + timedelta(seconds=wait),
        attempted_at=(row["previous_attempt_at"] or now) if sms else None,
    )


async def _prefetch(rows: list[dict[str, Any]]) -> None:
    """Numbers, opt-outs and addresses for the whole batch in three queries, not three a row."""
    person_ids = {r["recipient_person"] for r in rows if r["recipient_person"]}
    user_ids = {r["recipient_user"] for r in rows if r["channel"] == Channel.EMAIL}
    interpreter_ids = {r["recipient_interpreter"] for r in rows if r["recipient_interpreter"]}
    phones: dict[int, str | None] = {}
    if person_ids:
        found = await Person.select(Person.id, Person.phone).where(
            Person.id.is_in(list(person_ids))
        )
        phones = {p["id"]: safety.normalise_phone(p["phone"]) or None for p in found}
    opted_out: set[str] = set()
    numbers = [n for n in phones.values() if n]
    if numbers:
        found = await SmsOptOut.select(SmsOptOut.phone).where(
            SmsOptOut.phone.is_in(numbers) & SmsOptOut.restarted_at.is_null()
        )
        opted_out = {o["phone"] for o in found}
    emails: dict[int, str] = {}
    if user_ids:
        found = await User.select(User.id, User.email).where(User.id.is_in(list(user_ids)))
        emails = {u["id"]: u["email"] for u in found}
    interpreters: dict[int, str] = {}
    if interpreter_ids:
        found = await Interpreter.select(Interpreter.id, Interpreter.email).where(
            Interpreter.id.is_in(list(interpreter_ids))
        )
        interpreters = {i["id"]: i["email"] for i in found}
    for row in rows:
        phone = phones.get(row["recipient_person"])
        row["to"] = phone
        row["opted_out"] = phone in opted_out
        row["email_to"] = emails.get(row["recipient_user"]) or interpreters.get(
            row["recipient_interpreter"]
        )
        if row["email_to"] is None and row["recipient_user"] is None:
            # A service's own address (a police zone's on-duty desk), not a person's account.
            payload = row["payload"] if isinstance(row["payload"], dict) else {}
            row["email_to"] = payload.get("email_to")


async def _process(
    row: dict[str, Any],
    settings: Settings,
    clock: Clock,
    channels: Channels,
    rand: Callable[[], float],
) -> Outcome:
    now = clock.now()
    if row["not_after"] is not None and now > row["not_after"]:
        return Outcome(State.EXPIRED, error_message="too late to be useful")
    channel = Channel(row["channel"])
    if channel is Channel.IN_APP:
        rendered = await render_row(row, settings)
        return Outcome(State.DELIVERED, subject=rendered.subject, body=rendered.body)
    if channel is Channel.EMAIL:
        assert channels.email is not None
        return await send_email(row, settings, now, channels.email, rand)
    assert channels.sms is not None
    return await send_sms(row, settings, now, channels.sms, rand)
