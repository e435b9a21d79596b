"""An attempt that got no clear answer is settled by Twilio's message list, never resent blindly."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from perp_track.config import Settings
from perp_track.notify.channels import LookupFailed, SmsPort
from perp_track.notify.dispatch.lease import (
    AMBIGUOUS,
    State,
)
from perp_track.notify.outcomes import Outcome

# Appended to a row's error_message when the look-up itself failed.
LOOKUP_FAILED = "; look-up failed: "


async def look_up(
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
