"""The daily digest: staff who chose it get one e-mail a morning instead of one per event."""

from __future__ import annotations

import json
import logging
from datetime import datetime, time
from typing import Any

from perp_track import db
from perp_track.auth.tables import User
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.notify import templates
from perp_track.notify.channels import Failure, SendError
from perp_track.notify.context import render_row
from perp_track.notify.dispatch.batch import Channels
from perp_track.notify.rules import Channel, NotificationState, SystemNotice
from perp_track.notify.tables import Notification

log = logging.getLogger("perp_track.notify")
State = NotificationState


def digest_cutoff(now: datetime, settings: Settings) -> datetime | None:
    """Today's digest time (UTC) once it has passed; None before it."""
    local = now.astimezone(settings.tz)
    at = datetime.combine(local.date(), time(settings.daily_digest_hour), tzinfo=settings.tz)
    return at.astimezone(now.tzinfo) if local >= at else None


async def send_digests(*, settings: Settings, clock: Clock, channels: Channels) -> int:
    """Send each user's digest of the e-mails queued before today's digest time."""
    now = clock.now()
    cutoff = digest_cutoff(now, settings)
    if channels.email is None or cutoff is None:
        return 0
    waiting = (
        (Notification.variant == "digest")
        & (Notification.channel == Channel.EMAIL)
        & (Notification.state == State.QUEUED)
        & (Notification.created_at < cutoff)
    )
    users = {
        r["recipient_user"]
        for r in await Notification.select(Notification.recipient_user).where(waiting)
    }
    sent = 0
    for user_id in sorted(u for u in users if u is not None):
        async with db.transaction():
            rows = (
                await Notification.update({Notification.state: State.SENDING})
                .where(waiting & (Notification.recipient_user == user_id))
                .returning(*Notification.all_columns())
            )
        if await _send_one(user_id, list(rows), settings, channels, now):
            sent += 1
    return sent


async def _send_one(
    user_id: int, rows: list[dict[str, Any]], settings: Settings, channels: Channels, now: datetime
) -> bool:
    ids = [r["id"] for r in rows]
    user = await User.select(User.email, User.language).where(User.id == user_id).first()
    assert channels.email is not None
    items = []
    for row in rows:
        if isinstance(row["payload"], str):
            row["payload"] = json.loads(row["payload"])
        rendered = await render_row(row, settings)
        items.append({"subject": rendered.subject, "body": rendered.body})
    digest = templates.render(
        notice=SystemNotice.DAILY_DIGEST,
        channel="email",
        language=user["language"] if user else "fr",
        context={"items": items},
        timezone=settings.timezone,
    )
    try:
        if user is None or not user["email"]:
            raise SendError(Failure.PERMANENT, "no e-mail address")
        await channels.email.send(
            to=user["email"], subject=digest.subject, text=digest.body, html=digest.html
        )
    except SendError as error:
        log.warning("digest for user %s not sent: %s", user_id, error.message)
        await Notification.update({Notification.state: State.QUEUED}).where(
            Notification.id.is_in(ids)
        )
        return False
    await Notification.update({Notification.state: State.SENT, Notification.sent_at: now}).where(
        Notification.id.is_in(ids)
    )
    return True
