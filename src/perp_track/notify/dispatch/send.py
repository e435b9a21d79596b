"""Sending one claimed row: an e-mail, or an SMS with the victim's safety checked again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from perp_track.config import Settings
from perp_track.notify import rules, safety
from perp_track.notify.channels import EmailPort, Failure, SendError, SmsPort
from perp_track.notify.context import render_row
from perp_track.notify.dispatch.lease import (
    AMBIGUOUS,
    State,
    mark_left,
)
from perp_track.notify.dispatch.lookup import look_up
from perp_track.notify.outcomes import Outcome
from perp_track.notify.recipients import victim_state
from perp_track.notify.rules import Audience
from perp_track.notify.victim_control import rules as control


def must_wait(
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


def retry(
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


async def send_email(
    row: dict[str, Any],
    settings: Settings,
    now: datetime,
    email: EmailPort,
    rand: Callable[[], float],
) -> Outcome:
    if not row["email_to"]:
        return Outcome(State.FAILED, error_code="no_address", error_message="no e-mail address")
    rendered = await render_row(row, settings)
    mark_left(row)
    try:
        await email.send(
            to=row["email_to"], subject=rendered.subject, text=rendered.body, html=rendered.html
        )
    except SendError as error:
        if error.failure is Failure.RETRY:
            return retry(row, settings, error, rand(), now)
        state = State.UNDELIVERED if error.failure is Failure.PERMANENT else State.FAILED
        return Outcome(state, error_message=error.message, alert=error.message)
    # An accepted e-mail has no delivery receipt: sent is as far as it goes.
    return Outcome(State.SENT, subject=rendered.subject, body=rendered.body)


async def send_sms(
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
        waits = must_wait(row, hold, profile, confirmation)
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
        checked = await look_up(row, settings, sms, to, rendered.body, since, sent, now, rand())
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
    mark_left(row)
    try:
        receipt = await sms.send(to=to, body=rendered.body, validity_period=validity)
    except SendError as error:
        if error.failure is Failure.RETRY:
            return retry(row, settings, error, rand(), now)
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
