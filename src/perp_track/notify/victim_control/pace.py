"""The pace of her updates in her hands: PAUSE holds them, RESUME sends those still useful;
and the held messages themselves, released once her number is confirmed and she has not paused
(the rule of what is still useful: rules.superseded)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from perp_track.cases.rules import EventKind
from perp_track.cases.tables import CaseEvent
from perp_track.notify import wakeup
from perp_track.notify.recipients import victim_state
from perp_track.notify.rules import Audience, NotificationState, SystemNotice
from perp_track.notify.tables import Notification, SafeContactProfile
from perp_track.notify.victim_control import rules
from perp_track.notify.victim_control.events import record, tell_sapv
from perp_track.notify.victim_control.rules import HoldReason

State = NotificationState


async def pause(*, victim: dict[str, Any], now: datetime, sid: str) -> None:
    """PAUSE from her phone: nothing more goes to her until she resumes; consent stands."""
    profile = await _profile_of(victim["id"])
    if profile is None or profile["paused_at"] is not None:
        return  # nothing to pause, or paused already: the same answer, nothing new
    await SafeContactProfile.update(
        {
            SafeContactProfile.paused_at: now,
            SafeContactProfile.updated_at: now,
            SafeContactProfile.version: profile["version"] + 1,
        }
    ).where(SafeContactProfile.id == profile["id"])
    await hold_queued(victim["id"], HoldReason.PAUSED)
    await record(victim["id"], EventKind.VICTIM_UPDATES_PAUSED, None, now)
    await tell_sapv(victim, SystemNotice.VICTIM_PAUSED, f"paused:{sid}", now)


async def resume(*, victim: dict[str, Any], now: datetime, sid: str) -> None:
    """RESUME from her phone: what waited goes out, if still useful."""
    profile = await _profile_of(victim["id"])
    if profile is None or profile["paused_at"] is None:
        return
    await SafeContactProfile.update(
        {
            SafeContactProfile.paused_at: None,
            SafeContactProfile.updated_at: now,
            SafeContactProfile.version: profile["version"] + 1,
        }
    ).where(SafeContactProfile.id == profile["id"])
    await record(victim["id"], EventKind.VICTIM_UPDATES_RESUMED, None, now)
    await tell_sapv(victim, SystemNotice.VICTIM_RESUMED, f"resumed:{sid}", now)
    await release_held(victim_id=victim["id"], now=now)


async def _profile_of(victim_id: int) -> dict[str, Any] | None:
    return await SafeContactProfile.select().where(SafeContactProfile.victim == victim_id).first()


def _hers(victim_id: int, state: NotificationState) -> Any:
    return (
        (Notification.recipient_person == victim_id)
        & (Notification.audience == Audience.VICTIM)
        & (Notification.state == state)
    )


async def hold_queued(victim_id: int, reason: HoldReason) -> None:
    """Her queued updates wait (the confirmation request waits only for a pause)."""
    where = _hers(victim_id, State.QUEUED)
    if reason is not HoldReason.PAUSED:
        where = where & (Notification.template != rules.REQUEST_NOTICE)
    await Notification.update(
        {Notification.state: State.HELD, Notification.error_code: str(reason)}
    ).where(where)


async def set_hold_reason(victim_id: int, reason: HoldReason) -> None:
    await Notification.update({Notification.error_code: str(reason)}).where(
        _hers(victim_id, State.HELD) & (Notification.template != rules.REQUEST_NOTICE)
    )


async def release_held(*, victim_id: int, now: datetime) -> int:
    """Send what waited for her, if she may be written to now and it is still useful: a held
    update that a later one of the same kind supersedes is dropped (rules.SUPERSEDED_KINDS).
    Returns how many rows go back to the queue. Inside a transaction."""
    block, hold, profile, _ = await victim_state(victim_id)
    if block is not None:
        return 0  # consent revoked or STOP: those paths withdraw what waited
    paused = profile is not None and profile["paused_at"] is not None
    rows = (
        await Notification.select(
            Notification.id, Notification.template, Notification.case, Notification.event
        )
        .where(_hers(victim_id, State.HELD))
        .order_by(Notification.id)
    )
    if not rows:
        return 0
    event_ids = [r["event"] for r in rows if r["event"] is not None]
    measures: dict[int, int | None] = {}
    if event_ids:
        found = await CaseEvent.select(CaseEvent.id, CaseEvent.measure_id).where(
            CaseEvent.id.is_in(event_ids)
        )
        measures = {e["id"]: e["measure_id"] for e in found}
    releasable = [
        r
        for r in rows
        # The request needs only her not to have paused; an update, a confirmed number too.
        if (r["template"] == rules.REQUEST_NOTICE and not paused)
        or (r["template"] != rules.REQUEST_NOTICE and hold is None)
    ]
    if hold is not None:
        await set_hold_reason(victim_id, hold)
    if not releasable:
        return 0
    dropped = rules.superseded(
        rules.HeldUpdate(
            id=r["id"],
            kind=r["template"],
            case_id=r["case"],
            measure_id=measures.get(r["event"]) if r["event"] is not None else None,
        )
        for r in releasable
    )
    if dropped:
        await Notification.update(
            {Notification.state: State.SUPPRESSED, Notification.error_code: rules.SUPERSEDED}
        ).where(Notification.id.is_in(list(dropped)))
    again = [r["id"] for r in releasable if r["id"] not in dropped]
    if again:
        await Notification.update(
            {
                Notification.state: State.QUEUED,
                Notification.error_code: None,
                Notification.next_attempt_at: now,
            }
        ).where(Notification.id.is_in(again) & (Notification.state == State.HELD))
        await wakeup.announce()
    return len(again)
