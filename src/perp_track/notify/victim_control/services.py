"""Her number confirmed by her own reply (DOMAIN §5); her pace is in pace.py.

Every function writes inside the caller's transaction, or opens its own; each change bumps a
version and goes on the case timeline (and so the audit trail). The code itself is never in an
event, a log line, an SMS or a stored reply.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from perp_track.auth.rules import ActingUser
from perp_track.cases.rules import EventKind
from perp_track.clock import Clock
from perp_track.errors import Conflict, Invalid
from perp_track.notify import safety
from perp_track.notify.errors import NotifyError
from perp_track.notify.outbox import insert_rows, outbox_row
from perp_track.notify.recipients import current_confirmation, victim_state
from perp_track.notify.rules import Audience, Channel, NotificationState, SystemNotice
from perp_track.notify.tables import Notification
from perp_track.notify.victim_control import rules
from perp_track.notify.victim_control.events import case_of, record, tell_sapv
from perp_track.notify.victim_control.pace import hold_queued, release_held, set_hold_reason
from perp_track.notify.victim_control.rules import HoldReason, NumberState
from perp_track.notify.victim_control.tables import NumberConfirmation

State = NotificationState


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
    case = await case_of(victim["id"])
    await insert_rows(
        [
            outbox_row(
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
    await hold_queued(victim["id"], HoldReason.UNCONFIRMED)
    await record(victim["id"], EventKind.VICTIM_NUMBER_CHECK_STARTED, actor, now, reason=reason)
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
    updated = (
        await NumberConfirmation.update(
            {
                NumberConfirmation.requests: confirmation["requests"] + 1,
                NumberConfirmation.updated_at: now,
                NumberConfirmation.version: confirmation["version"] + 1,
            }
        )
        .where(_unchanged(confirmation))
        .returning(NumberConfirmation.id)
    )
    if not updated:  # another tab or her reply got there first
        raise Conflict(NotifyError.NUMBER_CHECK_CHANGED, current_version=confirmation["version"])
    confirmation["requests"] += 1
    await _queue_request(victim, confirmation, now)
    await record(victim["id"], EventKind.VICTIM_NUMBER_CHECK_RESENT, actor, now)


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
    await record(victim["id"], EventKind.VICTIM_NUMBER_CODE_SHOWN, actor, clock.now())
    return code


def _unchanged(confirmation: dict[str, Any]) -> Any:
    """This confirmation, as long as nobody changed it since it was read."""
    return (NumberConfirmation.id == confirmation["id"]) & (
        NumberConfirmation.version == confirmation["version"]
    )


async def code_reply(
    *, victim: dict[str, Any], body: str, now: datetime, secret_key: str, sid: str
) -> bool | None:
    """A reply from her number while its confirmation waits: True (the right code), False (a
    wrong code), None (not a code, or nothing waits: an ordinary reply). Inside a transaction.

    Two replies at once: the second sees the first's change and is counted after it."""
    attempt = rules.code_attempt(body)
    if attempt is None:
        return None
    for _ in range(3):
        verdict = await _code_reply_once(victim, attempt, now, secret_key, sid)
        if verdict != "again":
            return verdict  # type: ignore[return-value]
    return None


async def _code_reply_once(
    victim: dict[str, Any], attempt: str, now: datetime, secret_key: str, sid: str
) -> bool | str | None:
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
        if not await _update_unchanged(confirmation, values):
            return "again"
        await record(victim["id"], EventKind.VICTIM_NUMBER_CONFIRMED, None, now)
        await tell_sapv(victim, SystemNotice.VICTIM_NUMBER_CONFIRMED, f"numberok:{sid}", now)
        await release_held(victim_id=victim["id"], now=now)
        return True
    wrong = confirmation["wrong_codes"] + 1
    values[NumberConfirmation.wrong_codes] = wrong
    blocked = wrong >= rules.MAX_WRONG_CODES
    if blocked:
        values[NumberConfirmation.state] = NumberState.BLOCKED
        values[NumberConfirmation.blocked_at] = now
    if not await _update_unchanged(confirmation, values):
        return "again"
    await record(victim["id"], EventKind.VICTIM_NUMBER_WRONG_CODE, None, now, wrong_codes=wrong)
    if blocked:
        await record(victim["id"], EventKind.VICTIM_NUMBER_BLOCKED, None, now)
        await tell_sapv(
            victim, SystemNotice.VICTIM_NUMBER_BLOCKED, f"numberblocked:{sid}", now, urgent=True
        )
        await set_hold_reason(victim["id"], HoldReason.NUMBER_BLOCKED)
    return False


async def _update_unchanged(confirmation: dict[str, Any], values: dict[Any, Any]) -> bool:
    updated = (
        await NumberConfirmation.update(values)
        .where(_unchanged(confirmation))
        .returning(NumberConfirmation.id)
    )
    return bool(updated)
