"""What her number's confirmation and her pace leave on record: the case timeline (and so the
audit trail), and a word to her SAPV contact."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from perp_track.auth.rules import ActingUser
from perp_track.cases.access import record_event
from perp_track.cases.rules import EventKind
from perp_track.cases.tables import Case
from perp_track.notify.rules import Audience, SystemNotice
from perp_track.notify.services import queue_system_notice


async def case_of(victim_id: int) -> dict[str, Any] | None:
    return (
        await Case.select()
        .where(Case.victim == victim_id)
        .order_by(Case.opened_at, ascending=False)
        .first()
    )


async def record(
    victim_id: int, kind: EventKind, actor: ActingUser | None, now: datetime, **data: Any
) -> None:
    case = await case_of(victim_id)
    if case is not None:
        await record_event(
            case=case, kind=kind, actor=actor, now=now, data={"victim": victim_id, **data}
        )


async def tell_sapv(
    victim: dict[str, Any], notice: SystemNotice, key: str, now: datetime, urgent: bool = False
) -> None:
    case = await case_of(victim["id"])
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
