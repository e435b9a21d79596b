"""Dispatch: claim due outbox rows, send them outside any transaction, record what happened.

A claim is a lease: rows move to `sending` until `lease_until`, renewed while the dispatcher
works on them (a heartbeat); a dispatcher that dies leaves them to be taken again once the lease
runs out. A claimed SMS is retried until it is proven sent or proven impossible (DOMAIN §6):

- sent, or refused for good (21211, 21610...): recorded; for a refusal a person is told.
- 429, no connection: nothing was created; tried again with capped exponential back-off.
- no clear answer (5xx, a timeout, a dispatcher that died holding it): never sent blindly. It is
  marked `ambiguous` and, once `DISPATCH_SETTLE_SECONDS` have passed since the attempt, looked
  up in Twilio's message list. Found: its sid is recorded. Not found: proof that nothing was
  created, so it is sent again (the same row, the attempt counted). The list itself failing
  proves nothing: the look-up is tried again with back-off, and only after
  `DISPATCH_LOOKUP_GIVE_UP_HOURS` does the message become `unknown`, with an alert that says
  what a person should check.

On a graceful stop (`stopping()`), no row is claimed any more, rows not yet started are handed
back at once, and `release_held()` hands back whatever is still held when the grace runs out.
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

from piccolo.columns import Column

from perp_track import db
from perp_track.auth.tables import User
from perp_track.cases.tables import Person
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.interpreters.tables import Interpreter
from perp_track.notify import rules, safety
from perp_track.notify.channels import EmailPort, Failure, LookupFailed, SendError, SmsPort
from perp_track.notify.context import render_row
from perp_track.notify.outcomes import Outcome, record, record_many
from perp_track.notify.rules import Audience, Channel, NotificationState
from perp_track.notify.services import victim_state
from perp_track.notify.tables import Notification, SmsOptOut
from perp_track.notify.victim_control import rules as control

log = logging.getLogger("perp_track.notify")
State = NotificationState

# error_code of a row whose last attempt got no clear answer: look it up before sending again.
AMBIGUOUS = "ambiguous"
LOOKUP_FAILED = "; look-up failed: "


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


async def _heartbeat(ids: set[int], settings: Settings, clock: Clock) -> None:
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
    heartbeat = asyncio.create_task(_heartbeat(pending, settings, clock))
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
                _done(row["id"], pending)
                await record(row, outcome, clock.now())

    try:
        await _prefetch(rows)
        await asyncio.gather(*(one(r) for r in rows))
        for start in range(0, len(plain), 500):
            chunk = plain[start : start + 500]
            for row, _, _ in chunk:
                _done(row["id"], pending)
            await record_many(chunk)
    except Exception:
        # The database away mid-batch: what was not recorded stays `sending` until its lease
        # runs out, then another pass looks it up. Not ours to hand back any more.
        for notification_id in list(pending):
            _done(notification_id, pending)
        raise
    finally:
        heartbeat.cancel()
    if rows and any(r["channel"] == Channel.SMS for r in rows):
        from perp_track.notify.inbound import apply_pending

        await apply_pending(now=clock.now())
    return report


def _done(notification_id: int, pending: set[int]) -> None:
    pending.discard(notification_id)
    HELD.rows.pop(notification_id, None)


def _left(row: dict[str, Any]) -> None:
    """A request for this row is about to leave: a stop from now on must treat it as unclear."""
    HELD.rows[row["id"]] = (row["channel"], True)


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
        return await _send_email(row, settings, now, channels.email, rand)
    assert channels.sms is not None
    return await _send_sms(row, settings, now, channels.sms, rand)


def _waits(
    row: dict[str, Any],
    hold: control.HoldReason | None,
    profile: dict[str, Any],
    confirmation: dict[str, Any] | None,
) -> Outcome | None:
    """An outcome when this message to her must not leave now: an update held until her number
    is confirmed and she has not paused; a confirmation request that is no longer the one
    waiting for this number (a newer one, another number) dropped."""
    if row["template"] != control.REQUEST_NOTICE:
        if hold is not None:
            return Outcome(State.HELD, error_code=str(hold), not_an_attempt=True)
        return None
    current = (
        confirmation is not None
        and confirmation["id"] == (row["payload"] or {}).get("confirmation")
        and control.number_status(confirmation, row["to"] or "") is control.NumberStatus.WAITING
    )
    if not current:
        return Outcome(State.SUPPRESSED, error_code=control.SUPERSEDED, not_an_attempt=True)
    if profile["paused_at"] is not None:
        return Outcome(State.HELD, error_code=str(control.HoldReason.PAUSED), not_an_attempt=True)
    return None


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
    wait = rules.backoff(
        row["attempts"],
        settings.dispatch_backoff_seconds,
        rand,
        settings.dispatch_backoff_cap_seconds,
    )
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
    _left(row)
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
        block, hold, profile, confirmation = await victim_state(row["recipient_person"])
        if block is not None:
            return Outcome(State.SUPPRESSED, error_code=str(block), not_an_attempt=True)
        assert profile is not None
        waits = _waits(row, hold, profile, confirmation)
        if isinstance(waits, Outcome):
            return waits
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
    if row["check_first"]:
        # A request may have left before: look it up, and send only if it is proven absent.
        since = row["previous_attempt_at"] or row["created_at"]
        checked = await _look_up(row, settings, sms, to, rendered.body, since, sent, now, rand())
        if checked is not None:
            return checked
        if row["attempts"] > settings.dispatch_max_attempts:
            return Outcome(
                State.FAILED,
                error_code="retries",
                error_message=f"gave up after {row['attempts'] - 1} attempts with no clear "
                f"answer from Twilio (last: {row['error_message']}); none of them was created",
                body=rendered.body,
                alert="Twilio gave no clear answer to any attempt; it was never sent",
            )
    validity = None
    if row["not_after"] is not None:
        validity = max(1, min(36000, int((row["not_after"] - now).total_seconds())))
    _left(row)
    try:
        receipt = await sms.send(to=to, body=rendered.body, validity_period=validity)
    except SendError as error:
        if error.failure is Failure.RETRY:
            return _retry(row, settings, error, rand(), now)
        if error.failure is Failure.AMBIGUOUS:
            # Never resent blindly: looked up once the list has had time to show it.
            wait = max(
                settings.dispatch_settle_seconds,
                rules.backoff(
                    row["attempts"],
                    settings.dispatch_backoff_seconds,
                    rand(),
                    settings.dispatch_backoff_cap_seconds,
                ),
            )
            return Outcome(
                State.QUEUED,
                error_code=AMBIGUOUS,
                error_message=error.message,
                next_attempt_at=now + timedelta(seconds=wait),
                attempted_at=now,
            )
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
    row: dict[str, Any],
    settings: Settings,
    sms: SmsPort,
    to: str,
    body: str,
    since: datetime,
    sent: Outcome,
    now: datetime,
    rand: float,
) -> Outcome | None:
    """What Twilio's list says of an unclear attempt: an outcome, or None (proven absent)."""
    why = (row["error_message"] or "a dispatcher stopped while sending it").split(LOOKUP_FAILED)[0]
    waiting = Outcome(
        State.QUEUED,
        error_code=AMBIGUOUS,
        error_message=why,
        not_an_attempt=True,
        attempted_at=since,
    )
    settled = since + timedelta(seconds=settings.dispatch_settle_seconds)
    if now < settled:
        # Too early for "not found" to mean anything: come back once it does.
        waiting.next_attempt_at = settled
        return waiting
    try:
        found = await sms.find(to=to, body=body, since=since)
    except LookupFailed as exc:
        if now - since > timedelta(hours=settings.dispatch_lookup_give_up_hours):
            return Outcome(
                State.UNKNOWN,
                error_code=AMBIGUOUS,
                error_message=f"{why}; Twilio could not tell whether it was created ({exc})",
                body=body,
                alert=(
                    "Twilio could not tell us whether this SMS was sent. Check in the Twilio"
                    f" console (Monitor > Messaging logs) for a message to {to} since"
                    f" {since:%Y-%m-%d %H:%M} UTC, and tell the person yourself if it is not"
                    " there."
                ),
            )
        # Back-off grows with the time already spent unsure: exponential, capped, jittered.
        elapsed = (now - since).total_seconds()
        base = max(settings.dispatch_settle_seconds, settings.dispatch_backoff_seconds, elapsed)
        wait = min(settings.dispatch_backoff_cap_seconds, base) * (0.5 + rand / 2)
        waiting.error_message = f"{why}{LOOKUP_FAILED}{exc}"
        waiting.next_attempt_at = now + timedelta(seconds=max(wait, 0.05))
        return waiting
    if found is None:
        return None
    sent.provider_id = found.sid
    sent.not_an_attempt = True
    return sent
