"""What perp-track sent, or held back, about one case: the justice assistant's view of the
feedback loop (who was told, by which channel, whether it arrived). No message text."""

from __future__ import annotations

from datetime import datetime

from perp_track.auth.rules import ActingUser
from perp_track.cases.views import read_case
from perp_track.notify.tables import Notification
from perp_track.schemas import Out


class CaseNotificationRead(Out):
    id: int
    audience: str
    channel: str
    template: str
    state: str
    error_code: str | None
    urgent: bool
    created_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    acknowledged_at: datetime | None


async def notifications_of_case(
    *, actor: ActingUser, case_id: int, limit: int = 200
) -> list[CaseNotificationRead]:
    await read_case(actor=actor, case_id=case_id)  # 404 unless the case is the actor's to see
    rows = (
        await Notification.select(
            Notification.id,
            Notification.audience,
            Notification.channel,
            Notification.template,
            Notification.state,
            Notification.error_code,
            Notification.urgent,
            Notification.created_at,
            Notification.sent_at,
            Notification.delivered_at,
            Notification.acknowledged_at,
        )
        .where(Notification.case == case_id)
        .order_by(Notification.created_at, ascending=False)
        .order_by(Notification.id, ascending=False)
        .limit(limit)
    )
    return [CaseNotificationRead.model_validate(r) for r in rows]
