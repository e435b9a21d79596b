"""Queueing notifications: outbox rows written inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from perp_track.auth.tables import User
from perp_track.cases.tables import Person
from perp_track.notify import rules
from perp_track.notify.rules import Audience, Channel, Notice, NotificationState
from perp_track.notify.tables import Notification


async def _recipients(audience: Audience, case: dict[str, Any]) -> list[dict[str, Any]]:
    """Who stands behind an audience on this case: user or person rows, with their language."""
    if audience is Audience.REFERRING_OFFICER:
        user_id = case["referring_officer"]
    elif audience is Audience.JUSTICE_ASSISTANT:
        user_id = case["assigned_ja"]
    elif audience is Audience.SAPV_CONTACT:
        if case["victim"] is None:
            return []
        victim = await Person.select(Person.sapv_contact).where(Person.id == case["victim"]).first()
        user_id = victim["sapv_contact"] if victim else None
    elif audience is Audience.PERPETRATOR:
        person = (
            await Person.select(Person.id, Person.phone, Person.language)
            .where(Person.id == case["perpetrator"])
            .first()
        )
        return [{"person": person}] if person and person["phone"] else []
    else:
        # The victim is written to only under a recorded, unrevoked consent and her safe-contact
        # profile (DOMAIN §5). Until that profile exists for her, no message may go out.
        return []
    if user_id is None:
        return []
    user = (
        await User.select(User.id, User.email, User.language, User.active)
        .where(User.id == user_id)
        .first()
    )
    return [{"user": user}] if user and user["active"] else []


async def queue_notice(
    *,
    notice: Notice,
    case: dict[str, Any],
    event_id: int,
    payload: dict[str, Any],
    now: datetime,
    not_after: datetime | None = None,
) -> int:
    """Write one outbox row per (recipient, channel) the routing table names; return how many.

    Must run inside the transaction that records the event: both land, or neither.
    """
    rows: list[Notification] = []
    for route in rules.routes_for(notice):
        for recipient in await _recipients(route.audience, case):
            user, person = recipient.get("user"), recipient.get("person")
            for channel in route.channels:
                if channel is Channel.EMAIL and not (user and user["email"]):
                    continue
                who = f"u{user['id']}" if user else f"p{person['id']}"  # type: ignore[index]
                rows.append(
                    Notification(
                        case=case["id"],
                        event=event_id,
                        audience=route.audience,
                        recipient_user=user["id"] if user else None,
                        recipient_person=person["id"] if person else None,
                        channel=channel,
                        template=notice,
                        language=(user or person)["language"],  # type: ignore[index]
                        payload=payload,
                        urgent=route.urgent,
                        idempotency_key=rules.idempotency_key(
                            event_id, route.audience, who, channel
                        ),
                        state=NotificationState.QUEUED,
                        next_attempt_at=now,
                        not_after=not_after,
                        created_at=now,
                    )
                )
    if rows:
        await Notification.insert(*rows).on_conflict(
            target=Notification.idempotency_key, action="DO NOTHING"
        )
    return len(rows)
