"""Shared steps of the notification tests: a case whose victim consented, outbox queries."""

from __future__ import annotations

from typing import Any

from perp_track.cases.schemas import CaseRead
from perp_track.measures.rules import MeasureKind
from perp_track.notify import profiles
from perp_track.notify.schemas import ConsentIn, SafeContactUpdate
from perp_track.notify.tables import Notification
from tests.world import World


async def consenting_case(world: World, *, consent: bool = True, **profile: Any) -> CaseRead:
    """A case whose victim agreed to SMS with her SAPV contact (unless consent=False)."""
    case = await world.open_case()
    assert case.victim is not None
    fields = {"sms_allowed": True, "detail_level": "status", "language": "fr", **profile}
    await profiles.update_profile(
        actor=world.sapv,
        victim_id=case.victim.id,
        data=SafeContactUpdate(**fields),
        clock=world.clock,
    )
    if consent:
        await profiles.record_consent(
            actor=world.sapv, victim_id=case.victim.id, data=ConsentIn(), clock=world.clock
        )
    return case


async def open_ban(world: World, case_id: int) -> None:
    """A temporary residence ban: DOMAIN §4 'measure opened with a residence ban'."""
    await world.add_measure(case_id, MeasureKind.TEMPORARY_RESIDENCE_BAN)


async def outbox(**where: Any) -> list[dict[str, Any]]:
    query = Notification.select().order_by(Notification.id).output(load_json=True)
    rows = await query
    return [r for r in rows if all(r[k] == v for k, v in where.items())]
