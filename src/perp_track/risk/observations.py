"""What programme staff observe of a participant at a session (as HMPPS "Manage & Deliver"):
conduct, a behaviour note, a concern. A concern reaches the justice assistant at once and, at a
high enough risk, starts the closed loop. Nothing here reaches the victim's side."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from perp_track.auth.rules import ActingUser
from perp_track.cases.access import record_event
from perp_track.cases.rules import EventKind
from perp_track.notify.rules import Audience, SystemNotice
from perp_track.notify.services import queue_system_notice
from perp_track.risk import loop, rules
from perp_track.risk.rules import (
    Conduct,
    Trigger,
)
from perp_track.risk.tables import ProgrammeObservation


async def record_observation(
    *,
    actor: ActingUser,
    case: dict[str, Any],
    session: dict[str, Any],
    condition_id: int,
    conduct: Conduct | None,
    note: str | None,
    concern: bool,
    description: str | None,
    now: datetime,
) -> int | None:
    """Programme staff's conduct, behaviour note and concern for one participant of a session,
    inside the roll-call's transaction. A concern reaches the justice assistant at once and, in a
    case at or above the loop's tier, starts the closed loop; nothing of it goes to the victim's
    side but the safety-check request itself (no session note)."""
    rules.check_concern(concern, description)
    note, description = (note or "").strip(), (description or "").strip() if concern else ""
    if conduct is None and not note and not concern:
        return None
    row = ProgrammeObservation(
        case=case["id"],
        session_id=session["id"],
        condition_id=condition_id,
        conduct=conduct,
        behaviour_note=note,
        concern=concern,
        concern_description=description,
        recorded_by=actor.id,
        recorded_at=now,
    )
    await row.save()
    data: dict[str, Any] = {
        "session_id": session["id"],
        "condition_id": condition_id,
        "starts_at": session["starts_at"].isoformat(),
        "conduct": str(conduct) if conduct else None,
        "note": note,
        "concern": concern,
        "description": description,
    }
    await record_event(
        case=case,
        kind=EventKind.PROGRAMME_BEHAVIOUR,
        actor=actor,
        now=now,
        data=data,
    )
    if concern:
        await queue_system_notice(
            notice=SystemNotice.PROGRAMME_CONCERN,
            user_ids=[case["assigned_ja"]],
            case_id=case["id"],
            payload={
                "case_reference": case["reference"],
                "starts_at": session["starts_at"].isoformat(),
                "description": description,
            },
            key=f"programme_concern:{row.id}",
            now=now,
            urgent=True,
            audience=Audience.JUSTICE_ASSISTANT,
        )
        await loop.raise_loop(
            case=case,
            trigger=Trigger.PROGRAMME_CONCERN,
            trigger_key=f"concern:{row.id}",
            now=now,
            actor=actor,
        )
    return int(row.id)
