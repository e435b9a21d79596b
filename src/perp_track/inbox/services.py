"""The in-app inbox of each user, police feedback acknowledgement and its escalation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from perp_track import db
from perp_track.auth.rules import ActingUser
from perp_track.auth.tables import User
from perp_track.cases.access import visible
from perp_track.cases.tables import Case
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.errors import Conflict, NotFound
from perp_track.inbox.schemas import InboxItem, InboxPage, PreferencesIn, PreferencesRead
from perp_track.notify.context import is_feedback
from perp_track.notify.errors import NotifyError
from perp_track.notify.rules import Audience, Channel, Notice, NotificationState, SystemNotice
from perp_track.notify.services import queue_system_notice
from perp_track.notify.tables import Notification, NotificationPreference

_VISIBLE = [NotificationState.DELIVERED]


def _mine(actor: ActingUser) -> Any:
    # An item about a case restricted since, that the reader is not named on, leaves the inbox.
    return (
        (Notification.recipient_user == actor.id)
        & (Notification.channel == Channel.IN_APP)
        & Notification.state.is_in(_VISIBLE)
        & (Notification.case.is_null() | visible(Notification.case, actor))
    )


def _item(row: dict[str, Any]) -> InboxItem:
    return InboxItem(
        id=row["id"],
        case_id=row["case"],
        subject=row["subject"] or "",
        body=row["body"] or "",
        urgent=row["urgent"],
        created_at=row["created_at"],
        read_at=row["read_at"],
        needs_acknowledgement=is_feedback(row) and row["acknowledged_at"] is None,
        acknowledged_at=row["acknowledged_at"],
    )


async def list_inbox(*, actor: ActingUser, unread_only: bool, limit: int, offset: int) -> InboxPage:
    where = _mine(actor)
    unread = await Notification.count().where(where & Notification.read_at.is_null())
    if unread_only:
        where = where & Notification.read_at.is_null()
    total = await Notification.count().where(where)
    rows = (
        await Notification.select()
        .where(where)
        .order_by(Notification.urgent, ascending=False)
        .order_by(Notification.created_at, ascending=False)
        .order_by(Notification.id, ascending=False)
        .limit(limit)
        .offset(offset)
    )
    return InboxPage(items=[_item(r) for r in rows], total=total, unread=unread)


async def _own_item(actor: ActingUser, notification_id: int) -> dict[str, Any]:
    row = (
        await Notification.select()
        .where(_mine(actor) & (Notification.id == notification_id))
        .first()
    )
    if row is None:
        raise NotFound(NotifyError.MESSAGE_NOT_FOUND, notification_id=notification_id)
    return row


async def mark_read(*, actor: ActingUser, notification_id: int, clock: Clock) -> InboxItem:
    async with db.transaction():
        row = await _own_item(actor, notification_id)
        if row["read_at"] is None:
            await Notification.update({Notification.read_at: clock.now()}).where(
                Notification.id == notification_id
            )
    return _item(await _own_item(actor, notification_id))


async def _acknowledge(row: dict[str, Any], clock: Clock) -> None:
    if not is_feedback(row):
        raise NotFound(NotifyError.NOT_FEEDBACK, notification_id=row["id"])
    now = clock.now()
    # One acknowledgement covers the feedback however it arrived (inbox and e-mail).
    await Notification.update(
        {Notification.acknowledged_at: now, Notification.read_at: row["read_at"] or now}
    ).where(
        (Notification.event == row["event"])
        & (Notification.recipient_user == row["recipient_user"])
        & Notification.acknowledged_at.is_null()
    )


async def acknowledge(*, actor: ActingUser, notification_id: int, clock: Clock) -> InboxItem:
    async with db.transaction():
        await _acknowledge(await _own_item(actor, notification_id), clock)
    return _item(await _own_item(actor, notification_id))


async def acknowledge_by_link(*, notification_id: int, clock: Clock) -> bool:
    """From the signed link in the e-mail; False if the feedback no longer exists."""
    async with db.transaction():
        row = await Notification.select().where(Notification.id == notification_id).first()
        if row is None or not is_feedback(row):
            return False
        if row["acknowledged_at"] is None:
            await _acknowledge(row, clock)
    return True


async def feedback_language(*, notification_id: int) -> str | None:
    """The language of the officer a piece of feedback went to: the link's page speaks it."""
    row = (
        await Notification.select(
            Notification.audience, Notification.template, Notification.recipient_user.language
        )
        .where(Notification.id == notification_id)
        .first()
    )
    if row is None or not is_feedback(row):
        return None
    language = row["recipient_user.language"]
    return str(language) if language else None


async def escalate_unacknowledged(*, settings: Settings, clock: Clock) -> int:
    """Feedback the officer has not acknowledged after N days: the justice assistant is told.

    The scheduler runs it periodically; it escalates each piece of feedback once.
    """
    now = clock.now()
    cutoff = now - timedelta(days=settings.feedback_ack_escalation_days)
    rows = (
        await Notification.select(
            Notification.id,
            Notification.event,
            Notification.case,
            Notification.recipient_user,
            Notification.subject,
            Notification.created_at,
            Notification.payload,
        )
        .where(
            (Notification.audience == Audience.REFERRING_OFFICER)
            & Notification.template.is_in([str(n) for n in Notice])
            & Notification.event.is_not_null()
            & Notification.acknowledged_at.is_null()
            & Notification.escalated_at.is_null()
            & (Notification.created_at <= cutoff)
            & Notification.state.is_in([NotificationState.DELIVERED, NotificationState.SENT])
        )
        .order_by(Notification.id)
        .output(load_json=True)
    )
    seen: set[tuple[int, int]] = set()
    escalated = 0
    for row in rows:
        pair = (row["event"], row["recipient_user"])
        if pair in seen:
            continue
        seen.add(pair)
        async with db.transaction():
            case = await Case.select(Case.assigned_ja).where(Case.id == row["case"]).first()
            officer = (
                await User.select(User.full_name).where(User.id == row["recipient_user"]).first()
            )
            await queue_system_notice(
                notice=SystemNotice.FEEDBACK_UNACKNOWLEDGED,
                user_ids=[case["assigned_ja"] if case else None],
                case_id=row["case"],
                payload={
                    "case_reference": row["payload"].get("case_reference", ""),
                    "feedback_subject": row["subject"] or row["payload"].get("case_reference"),
                    "sent_on": row["created_at"].isoformat(),
                    "officer_name": officer["full_name"] if officer else "",
                    "days": settings.feedback_ack_escalation_days,
                },
                key=f"unacked:ev{row['event']}:u{row['recipient_user']}",
                now=now,
            )
            await Notification.update({Notification.escalated_at: now}).where(
                (Notification.event == row["event"])
                & (Notification.recipient_user == row["recipient_user"])
            )
        escalated += 1
    return escalated


async def read_preferences(*, actor: ActingUser) -> PreferencesRead:
    row = (
        await NotificationPreference.select().where(NotificationPreference.user == actor.id).first()
    )
    if row is None:
        # Not created yet: it will be created at version 2, so a form read now stays valid.
        return PreferencesRead(email=True, in_app=True, daily_digest=False, version=1)
    return PreferencesRead(
        email=row["email"],
        in_app=row["in_app"],
        daily_digest=row["daily_digest"],
        version=row["version"],
    )


async def update_preferences(
    *, actor: ActingUser, data: PreferencesIn, clock: Clock
) -> PreferencesRead:
    """Every change sends the version it read: a form from another tab does not undo this one."""
    now = clock.now()
    async with db.transaction():
        row = (
            await NotificationPreference.select(NotificationPreference.version)
            .where(NotificationPreference.user == actor.id)
            .first()
        )
        current = row["version"] if row else 1
        if data.version != current:
            raise Conflict(NotifyError.PREFERENCES_CHANGED, current_version=current)
        values: dict[Any, Any] = {
            NotificationPreference.email: data.email,
            NotificationPreference.in_app: data.in_app,
            NotificationPreference.daily_digest: data.daily_digest,
            NotificationPreference.updated_at: now,
            NotificationPreference.version: current + 1,
        }
        if row is None:
            await NotificationPreference.insert(
                NotificationPreference(
                    user=actor.id,
                    email=data.email,
                    in_app=data.in_app,
                    daily_digest=data.daily_digest,
                    updated_at=now,
                    version=current + 1,
                )
            )
        else:
            updated = (
                await NotificationPreference.update(values)
                .where(
                    (NotificationPreference.user == actor.id)
                    & (NotificationPreference.version == current)
                )
                .returning(NotificationPreference.id)
            )
            if not updated:
                raise Conflict(NotifyError.PREFERENCES_CHANGED_MEANWHILE)
    return await read_preferences(actor=actor)


async def unread_count(*, actor: ActingUser) -> int:
    """The number shown next to the inbox in the navigation of every page."""
    return int(await Notification.count().where(_mine(actor) & Notification.read_at.is_null()))
