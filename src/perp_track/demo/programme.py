"""Praxis runs a group in the demo: sessions with their roll-calls."""

from __future__ import annotations

from datetime import date, timedelta

from perp_track.auth.rules import ActingUser
from perp_track.clock import FrozenClock
from perp_track.demo.cases import at, reason_for
from perp_track.summons.programme.roll_call import save_roll_call
from perp_track.summons.programme.schemas import RollCallEntry, RollCallIn, SessionCreate
from perp_track.summons.programme.services import schedule_session
from perp_track.summons.programme.views import list_referrals
from perp_track.summons.rules import Outcome


async def run_group(staff: ActingUser, clock: FrozenClock, today: date) -> None:
    """Praxis runs a group: two past sessions with their roll-call, last night's session whose
    roll-call is still to do, and one to come."""
    referrals = [r.condition_id for r in await list_referrals(actor=staff)]
    if not referrals:
        return
    outcomes = [Outcome.ATTENDED, Outcome.ABSENT_NO_VALID_REASON, Outcome.LATE]
    for number, days in enumerate((-12, -5, -1, 2), start=1):
        when = at(today + timedelta(days=days), 18)
        clock.set(when - timedelta(days=2))
        session = await schedule_session(
            actor=staff,
            clock=clock,
            data=SessionCreate(
                title=f"Groupe Praxis — séance {number}",
                starts_at=when,
                place="Praxis Liège, salle 2",
                participants=referrals,
            ),
        )
        if days > -2:  # last night's roll-call is still to do; the next session is to come
            continue
        clock.set(when + timedelta(hours=2, minutes=15))
        entries = []
        for i, condition_id in enumerate(referrals):
            outcome = outcomes[(i + number) % len(outcomes)] if i % 2 else Outcome.ATTENDED
            entries.append(
                RollCallEntry(
                    condition_id=condition_id, outcome=outcome, reason=reason_for(outcome)
                )
            )
        await save_roll_call(
            actor=staff,
            session_id=session.id,
            clock=clock,
            data=RollCallIn(version=session.version, entries=entries),
        )


# Cases whose victim agreed to SMS with her SAPV contact: (detail level, safe hours). Each
