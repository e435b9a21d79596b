"""Her number confirmed by her own reply; her updates paused and resumed by her (DOMAIN §5).

Every function writes inside the caller's transaction, or opens its own; each change bumps a
version and goes on the case timeline (and so the audit trail). The code itself is never in an
event, a log line, an SMS or a stored reply.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from perp_track.auth.rules import ActingUser
from perp_track.cases.access import record_event
from perp_track.cases.rules import EventKind
from perp_track.cases.tables import Case, CaseEvent
from perp_track.clock import Clock
from perp_track.errors import Conflict, Invalid, NotifyError
from perp_track.notify import safety, wakeup
from perp_track.notify.rules import Audience, Channel, NotificationState, SystemNotice
from perp_track.notify.services import (
    _insert,
    _row,
    current_confirmation,
    queue_system_notice,
    victim_state,
)
from perp_track.notify.tables import Notification, SafeContactProfile
from perp_track.notify.victim_control import rules
from perp_track.notify.victim_control.rules import HoldReason, NumberState
from perp_track.notify.victim_control.tables import NumberConfirmation

State = NotificationState


async def _case_of(victim_id: int) -> dict[str, Any] | None:
    return (
        await Case.select()
        .where(Case.victim == victim_id)
        .order_by(Case.opened_at, ascending=False)
        .first()
    )


async def _event(
    victim_id: int, kind: EventKind, actor: ActingUser | None, now: datetime, **data: Any
) -> None:
    case = await _case_of(victim_id)
    if case is not None:
        await record_event(
            case=case, kind=kind, actor=actor, now=now, data={"victim": victim_id, **data}
        )


async def _tell_sapv(
    victim: dict[str, Any], notice: SystemNotice, key: str, now: datetime, urgent: bool = False
) -> None:
    case = await _case_of(victim["id"])
    await queue_system_notice(
        notice=notice,
        user_ids=[victim["sapv_contact"]],
        case_id=case["id"] if case else None,
        payload={"case_reference": case["reference"] if case else "", "at": now.isoformat()},
        key=key,
        now=now,
        urgent=urgent,
        audience=Audience.SAPV_CONTACT,
    )


async def _queue_request(
    victim: dict[str, Any], confirmation: dict[str, Any], now: datetime, again: str = ""
) -> None:
    """The neutral SMS that asks her to reply with her code: her safe hours apply (the
    dispatcher), her STOP, consent and shared-number rules too, and her pause holds it."""
    block, _, profile, _ = await victim_state(victim["id"])
    state, error = State.QUEUED, None
    if block is not None:
        state, error = State.SUPPRESSED, str(block)
    elif profile is not None and profile["paused_at"] is not None:
        state, error = State.HELD, str(HoldReason.PAUSED)
    case = await _case_of(victim["id"])
    await _insert(
        [
            _row(
                case_id=case["id"] if case else None,
                event_id=None,
                audience=Audience.VICTIM,
                channel=Channel.SMS,
                template=rules.REQUEST_NOTICE,
                language=(profile or victim)["language"],
                payload={"confirmation": confirmation["id"]},
                key=f"numbercheck:{confirmation['id']}:{confirmation['requests']}{again}",
                now=now,
                person_id=victim["id"],
                state=state,
                error_code=error,
            )
        ]
    )


async def start_check(
    *,
    victim: dict[str, Any],
    actor: ActingUser | None,
    now: datetime,
    secret_key: str,
    reason: str,
) -> str | None:
    """A new code for her current number; the request SMS queued. Returns the code (for the
    SAPV contact's screen only), or None when she has no number. Call inside a transaction."""
    phone = safety.normalise_phone(victim["phone"])
    await NumberConfirmation.update(
        {
            NumberConfirmation.state: NumberState.REPLACED,
            NumberConfirmation.replaced_at: now,
            NumberConfirmation.updated_at: now,
            NumberConfirmation.version: NumberConfirmation.version + 1,
        }
    ).where(
        (NumberConfirmation.victim == victim["id"])
        & (NumberConfirmation.state != NumberState.REPLACED)
    )
    if not phone:
        return None
    code = rules.new_code()
    [row] = await NumberConfirmation.insert(
        NumberConfirmation(
            victim=victim["id"],
            phone=phone,
            code_hash=rules.hash_code(code, secret_key),
            code_sealed=rules.seal_code(code, secret_key),
            requested_at=now,
            requested_by=actor.id if actor else None,
            updated_at=now,
        )
    ).returning(NumberConfirmation.id)
    confirmation = (
        await NumberConfirmation.select().where(NumberConfirmation.id == row["id"]).first()
    )
    assert confirmation is not None
    await _queue_request(victim, confirmation, now)
    # Updates already waiting for her now wait for this number's confirmation.
    await _hold_queued(victim["id"], HoldReason.UNCONFIRMED)
    await _event(victim["id"], EventKind.VICTIM_NUMBER_CHECK_STARTED, actor, now, reason=reason)
    return code


async def _waiting(victim: dict[str, Any], version: int | None) -> dict[str, Any]:
    confirmation = await current_confirmation(victim["id"])
    status = rules.number_status(confirmation, safety.normalise_phone(victim["phone"]))
    if confirmation is None or status is rules.NumberStatus.NONE:
        raise Conflict(NotifyError.NO_NUMBER_CHECK)
    if version is not None and version != confirmation["version"]:
        raise Conflict(NotifyError.NUMBER_CHECK_CHANGED, current_version=confirmation["version"])
    return confirmation


async def resend_request(
    *, actor: ActingUser, victim: dict[str, Any], version: int, clock: Clock
) -> None:
    """Her SAPV contact sends the request once more (once only: a number that does not answer
    twice may not be hers). Call inside a transaction, with the victim scoped to the actor."""
    now = clock.now()
    confirmation = await _waiting(victim, version)
    if confirmation["state"] != NumberState.WAITING:
        raise Conflict(NotifyError.NO_NUMBER_CHECK)
    if confirmation["requests"] >= rules.MAX_REQUESTS:
        raise Invalid(NotifyError.RESEND_USED)
    await NumberConfirmation.update(
        {
            NumberConfirmation.requests: confirmation["requests"] + 1,
            NumberConfirmation.updated_at: now,
            NumberConfirmation.version: confirmation["version"] + 1,
        }
    ).where(NumberConfirmation.id == confirmation["id"])
    confirmation["requests"] += 1
    await _queue_request(victim, confirmation, now)
    await _event(victim["id"], EventKind.VICTIM_NUMBER_CHECK_RESENT, actor, now)


async def request_if_none_left(*, victim: dict[str, Any], now: datetime) -> bool:
    """SMS allowed again in her profile: if every request for the waiting code was held back
    (SMS were not allowed then), one is queued now, without using up the resend."""
    confirmation = await current_confirmation(victim["id"])
    phone = safety.normalise_phone(victim["phone"])
    if confirmation is None or rules.number_status(confirmation, phone) is not (
        rules.NumberStatus.WAITING
    ):
        return False
    live = await Notification.exists().where(
        Notification.idempotency_key.like(f"numbercheck:{confirmation['id']}:%")
        & Notification.state.not_in([State.SUPPRESSED, State.EXPIRED])
    )
    if live:
        return False
    await _queue_request(victim, confirmation, now, again=f":{now.isoformat()}")
    return True


async def new_code(
    *, actor: ActingUser, victim: dict[str, Any], version: int, clock: Clock, secret_key: str
) -> str:
    """A new code (the old one lost, or three wrong codes blocked the number)."""
    confirmation = await _waiting(victim, version)
    if confirmation["state"] not in (NumberState.WAITING, NumberState.BLOCKED):
        raise Conflict(NotifyError.NO_NUMBER_CHECK)
    code = await start_check(
        victim=victim, actor=actor, now=clock.now(), secret_key=secret_key, reason="new_code"
    )
    assert code is not None
    return code


async def reveal_code(
    *, actor: ActingUser, victim: dict[str, Any], clock: Clock, secret_key: str
) -> str:
    """The waiting code, for her SAPV contact's eyes only; each showing is on the timeline."""
    confirmation = await _waiting(victim, None)
    if confirmation["state"] != NumberState.WAITING:
        raise Conflict(NotifyError.NO_NUMBER_CHECK)
    code = rules.open_code(confirmation["code_sealed"], secret_key)
    if code is None:
        raise Conflict(NotifyError.CODE_UNREADABLE)
    await _event(victim["id"], EventKind.VICTIM_NUMBER_CODE_SHOWN, actor, clock.now())
    return code


async def code_reply(
    *, victim: dict[str, Any], body: str, now: datetime, secret_key: str, sid: str
) -> bool | None:
    """A reply from her number while its confirmation waits: True (the right code), False (a
    wrong code), None (not a code, or nothing waits: an ordinary reply). Inside a transaction."""
    attempt = rules.code_attempt(body)
    if attempt is None:
        return None
    confirmation = await current_confirmation(victim["id"])
    phone = safety.normalise_phone(victim["phone"])
    if confirmation is None or rules.number_status(confirmation, phone) is not (
        rules.NumberStatus.WAITING
    ):
        return None
    values: dict[Any, Any] = {
        NumberConfirmation.updated_at: now,
        NumberConfirmation.version: confirmation["version"] + 1,
    }
    if rules.code_matches(confirmation["code_hash"], attempt, secret_key):
        values[NumberConfirmation.state] = NumberState.CONFIRMED
        values[NumberConfirmation.confirmed_at] = now
        await NumberConfirmation.update(values).where(NumberConfirmation.id == confirmation["id"])
        await _event(victim["id"], EventKind.VICTIM_NUMBER_CONFIRMED, None, now)
        await _tell_sapv(victim, SystemNotice.VICTIM_NUMBER_CONFIRMED, f"numberok:{sid}", now)
        await release_held(victim_id=victim["id"], now=now)
        return True
    wrong = confirmation["wrong_codes"] + 1
    values[NumberConfirmation.wrong_codes] = wrong
    blocked = wrong >= rules.MAX_WRONG_CODES
    if blocked:
        values[NumberConfirmation.state] = NumberState.BLOCKED
        values[NumberConfirmation.blocked_at] = now
    await NumberConfirmation.update(values).where(NumberConfirmation.id == confirmation["id"])
    await _event(victim["id"], EventKind.VICTIM_NUMBER_WRONG_CODE, None, now, wrong_codes=wrong)
    if blocked:
        await _event(victim["id"], EventKind.VICTIM_NUMBER_BLOCKED, None, now)
        await _tell_sapv(
            victim, SystemNotice.VICTIM_NUMBER_BLOCKED, f"numberblocked:{sid}", now, urgent=True
        )
        await _set_hold_reason(victim["id"], HoldReason.NUMBER_BLOCKED)
    return False


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
    await _hold_queued(victim["id"], HoldReason.PAUSED)
    await _event(victim["id"], EventKind.VICTIM_UPDATES_PAUSED, None, now)
    await _tell_sapv(victim, SystemNotice.VICTIM_PAUSED, f"paused:{sid}", now)


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
    await _event(victim["id"], EventKind.VICTIM_UPDATES_RESUMED, None, now)
    await _tell_sapv(victim, SystemNotice.VICTIM_RESUMED, f"resumed:{sid}", now)
    await release_held(victim_id=victim["id"], now=now)


async def _profile_of(victim_id: int) -> dict[str, Any] | None:
    return await SafeContactProfile.select().where(SafeContactProfile.victim == victim_id).first()


def _hers(victim_id: int, state: NotificationState) -> Any:
    return (
        (Notification.recipient_person == victim_id)
        & (Notification.audience == Audience.VICTIM)
        & (Notification.state == state)
    )


async def _hold_queued(victim_id: int, reason: HoldReason) -> None:
    """Her queued updates wait (the confirmation request waits only for a pause)."""
    where = _hers(victim_id, State.QUEUED)
    if reason is not HoldReason.PAUSED:
        where = where & (Notification.template != rules.REQUEST_NOTICE)
    await Notification.update(
        {Notification.state: State.HELD, Notification.error_code: str(reason)}
    ).where(where)


async def _set_hold_reason(victim_id: int, reason: HoldReason) -> None:
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
        await _set_hold_reason(victim_id, hold)
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
