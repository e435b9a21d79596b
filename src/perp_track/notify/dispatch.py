"""Dispatch: claim due outbox rows, send them outside any transaction, record what happened.

A claim is a lease: rows move to `sending` until `lease_until`; a dispatcher that dies leaves
them to be taken again once the lease runs out. An SMS taken again that way, or one whose
request got no clear answer, is never sent blindly a second time: it is looked up at Twilio,
and if it cannot be found it becomes `unknown` and a person is told (DOMAIN §6).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from perp_track import db
from perp_track.auth.tables import User
from perp_track.cases.tables import Person
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.notify import rules, safety
from perp_track.notify.channels import EmailPort, Failure, SendError, SmsPort
from perp_track.notify.context import render_row
from perp_track.notify.outcomes import Outcome, record, record_many
from perp_track.notify.rules import Audience, Channel, NotificationState
from perp_track.notify.services import victim_check
from perp_track.notify.tables import Notification, SmsOptOut

log = logging.getLogger("perp_track.notify")
State = NotificationState


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


async def claim(
    *, now: datetime, lease_seconds: int, limit: int, channels: list[str]
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
        if rows:
            await Notification.update(
                {
                    Notification.state: State.SENDING,
                    Notification.lease_until: now + timedelta(seconds=lease_seconds),
                    Notification.attempts: Notification.attempts + 1,
                    Notification.attempted_at: now,
                }
            ).where(Notification.id.is_in([r["id"] for r in rows]))
    for row in rows:
        row["retaken"] = row["state"] == State.SENDING
        row["previous_attempt_at"] = row["attempted_at"]
        row["attempts"] += 1
    return rows


async def dispatch_once(
    *,
    settings: Settings,
    clock: Clock,
    channels: Channels,
    limit: int | None = None,
    rand: Callable[[], float] = random.random,
) -> Report:
    """One pass: claim due rows, send them concurrently, record each outcome."""
    now = clock.now()
    rows = await claim(
        now=now,
        lease_seconds=settings.dispatch_lease_seconds,
        limit=limit or settings.dispatch_batch_size,
        channels=channels.available(),
    )
    report = Report(claimed=len(rows))
    gate = asyncio.Semaphore(settings.dispatch_concurrency)
    await _prefetch(rows)

    # Outcomes that write nothing else are recorded together once the batch is sent.
    plain: list[tuple[dict[str, Any], Outcome, datetime]] = []

    async def one(row: dict[str, Any]) -> None:
        async with gate:
            try:
                outcome = await _process(row, settings, clock, channels, rand)
            except Exception:
                log.exception("notification %s: unexpected error while sending", row["id"])
                outcome = Outcome(State.FAILED, error_code="internal", alert="internal error")
            report.states[outcome.state] += 1
            if not (outcome.alert or outcome.opted_out):
                plain.append((row, outcome, clock.now()))
            else:
                await record(row, outcome, clock.now())

    await asyncio.gather(*(one(r) for r in rows))
    for start in range(0, len(plain), 500):
        await record_many(plain[start : start + 500])
    if rows and any(r["channel"] == Channel.SMS for r in rows):
        from perp_track.notify.inbound import apply_pending

        await apply_pending(now=clock.now())
    return report


async def _prefetch(rows: list[dict[str, Any]]) -> None:
    """Numbers, opt-outs and addresses for the whole batch in three queries, not three a row."""
    person_ids = {r["recipient_person"] for r in rows if r["recipient_person"]}
    user_ids = {r["recipient_user"] for r in rows if r["channel"] == Channel.EMAIL}
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
    for row in rows:
        phone = phones.get(row["recipient_person"])
        row["to"] = phone
        row["opted_out"] = phone in opted_out
        row["email_to"] = emails.get(row["recipient_user"])


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
        return await _send_email(row, settings, now, channels.email, rand)
    assert channels.sms is not None
    return await _send_sms(row, settings, now, channels.sms, rand)


def _retry(
    row: dict[str, Any], settings: Settings, error: SendError, rand: float, now: datetime
) -> Outcome:
    if row["attempts"] >= settings.dispatch_max_attempts:
        return Outcome(
            State.FAILED,
            error_code=str(error.code or "retries"),
            error_message=f"gave up after {row['attempts']} attempts: {error.message}",
            alert=error.message,
        )
    wait = rules.backoff(row["attempts"], settings.dispatch_backoff_seconds, rand)
    return Outcome(
        State.QUEUED,
        error_code=str(error.code) if error.code else None,
        error_message=error.message,
        next_attempt_at=now + timedelta(seconds=wait),
    )


async def _send_email(
    row: dict[str, Any],
    settings: Settings,
    now: datetime,
    email: EmailPort,
    rand: Callable[[], float],
) -> Outcome:
    if not row["email_to"]:
        return Outcome(State.FAILED, error_code="no_address", error_message="no e-mail address")
    rendered = await render_row(row, settings)
    try:
        await email.send(
            to=row["email_to"], subject=rendered.subject, text=rendered.body, html=rendered.html
        )
    except SendError as error:
        if error.failure is Failure.RETRY:
            return _retry(row, settings, error, rand(), now)
        state = State.UNDELIVERED if error.failure is Failure.PERMANENT else State.FAILED
        return Outcome(state, error_message=error.message, alert=error.message)
    # An accepted e-mail has no delivery receipt: sent is as far as it goes.
    return Outcome(State.SENT, subject=rendered.subject, body=rendered.body)


async def _send_sms(
    row: dict[str, Any],
    settings: Settings,
    now: datetime,
    sms: SmsPort,
    rand: Callable[[], float],
) -> Outcome:
    profile = None
    if row["audience"] == Audience.VICTIM:
        # Checked again at send time: consent may have been revoked, or STOP received, since.
        block, profile = await victim_check(row["recipient_person"])
        if block is not None:
            return Outcome(State.SUPPRESSED, error_code=str(block), not_an_attempt=True)
        assert profile is not None
        hours = safety.SafeHours.parse(
            profile["safe_from"], profile["safe_until"], settings.victim_safe_hours_default
        )
        at = safety.when_to_send(now, row["not_after"], hours, settings.tz)
        if at is None:
            return Outcome(State.EXPIRED, error_message="her next safe hours come too late")
        if at > now:
            return Outcome(State.QUEUED, next_attempt_at=at, not_an_attempt=True)
    to = row["to"]
    if not to:
        return Outcome(State.FAILED, error_code="no_number", error_message="no phone number")
    if row["opted_out"]:
        return Outcome(
            State.SUPPRESSED,
            error_code="opted_out",
            not_an_attempt=True,
            alert="the person replied STOP to our messages",
        )
    rendered = await render_row(row, settings, profile=profile)
    _, segments = rules.sms_segments(rendered.body)
    sent = Outcome(State.SENT, body=rendered.body, segments=segments)
    if row["retaken"]:
        # A dispatcher died holding this row: it may have been sent. Look before sending.
        since = row["previous_attempt_at"] or now - timedelta(days=1)
        return await _look_up(sms, to, rendered.body, since, sent, "a dispatcher stopped mid-send")
    validity = None
    if row["not_after"] is not None:
        validity = max(1, min(36000, int((row["not_after"] - now).total_seconds())))
    try:
        receipt = await sms.send(to=to, body=rendered.body, validity_period=validity)
    except SendError as error:
        if error.failure is Failure.RETRY:
            return _retry(row, settings, error, rand(), now)
        if error.failure is Failure.AMBIGUOUS:
            return await _look_up(sms, to, rendered.body, now, sent, error.message)
        if error.failure is Failure.PERMANENT:
            return Outcome(
                State.UNDELIVERED,
                error_code=str(error.code),
                error_message=error.message,
                body=rendered.body,
                alert=f"Twilio error {error.code}",
                opted_out=error.code == rules.OPTED_OUT_CODE,
            )
        return Outcome(
            State.FAILED,
            error_code=str(error.code) if error.code else None,
            error_message=error.message,
            alert=error.message,
        )
    sent.provider_id = receipt.sid
    return sent


async def _look_up(
    sms: SmsPort, to: str, body: str, since: datetime, sent: Outcome, why: str
) -> Outcome:
    found = await sms.find(to=to, body=body, since=since)
    if found is not None:
        sent.provider_id = found.sid
        return sent
    return Outcome(
        State.UNKNOWN,
        error_code="ambiguous",
        error_message=f"{why}; not found at Twilio, not sent again",
        body=body,
        alert="it may or may not have been sent",
    )
