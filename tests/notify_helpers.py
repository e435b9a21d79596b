"""Shared steps of the notification tests: a case whose victim consented, outbox queries."""

from __future__ import annotations

import itertools
from typing import Any

from perp_track.cases.schemas import CaseRead
from perp_track.cases.tables import Person
from perp_track.config import Settings, load_settings
from perp_track.measures.rules import MeasureKind
from perp_track.notify import inbound
from perp_track.notify.tables import Notification
from perp_track.notify.victim_control.rules import REQUEST_NOTICE
from perp_track.safe_contact import services as safe_contact
from perp_track.safe_contact.schemas import ConsentIn, SafeContactUpdate
from tests.world import World

# The tests' settings (tests/conftest.py) keep the default SECRET_KEY: the same key seals and
# checks her code in the services, the app and these helpers.
SETTINGS: Settings = load_settings(env="test")
_SIDS = itertools.count(1)


async def consenting_case(
    world: World, *, consent: bool = True, confirm: bool = True, **profile: Any
) -> CaseRead:
    """A case whose victim agreed to SMS with her SAPV contact (unless consent=False) and
    confirmed her number by replying with her code (unless confirm=False)."""
    case = await world.open_case()
    assert case.victim is not None
    fields = {"sms_allowed": True, "detail_level": "status", "language": "fr", **profile}
    await safe_contact.update_profile(
        actor=world.sapv,
        victim_id=case.victim.id,
        data=SafeContactUpdate(**fields),
        clock=world.clock,
    )
    if consent:
        await safe_contact.record_consent(
            actor=world.sapv,
            victim_id=case.victim.id,
            data=ConsentIn(),
            clock=world.clock,
            secret_key=SETTINGS.secret_key,
        )
        if confirm:
            await confirm_number(world, case.victim.id)
    return case


async def her_code(world: World, victim_id: int) -> str:
    """The code her SAPV contact reads on her page, to give her in person."""
    shown = await safe_contact.show_number_code(
        actor=world.sapv, victim_id=victim_id, clock=world.clock, secret_key=SETTINGS.secret_key
    )
    return shown.code


async def reply_from(world: World, victim_id: int, body: str) -> str | None:
    """An SMS from her phone, as the inbound webhook hands it on."""
    person = await Person.select(Person.phone).where(Person.id == victim_id).first()
    assert person is not None
    return await inbound.handle_inbound(
        sid=f"SMhelper{next(_SIDS)}",
        sender=person["phone"],
        body=body,
        now=world.clock.now(),
        settings=SETTINGS,
    )


async def confirm_number(world: World, victim_id: int) -> None:
    """She replies to the request with the code her SAPV contact gave her."""
    await reply_from(world, victim_id, await her_code(world, victim_id))


async def victim_updates(**where: Any) -> list[dict[str, Any]]:
    """The status updates to her: every victim row but the requests to confirm her number."""
    return [r for r in await outbox(audience="victim", **where) if r["template"] != REQUEST_NOTICE]


async def open_ban(world: World, case_id: int) -> None:
    """A temporary residence ban: DOMAIN §4 'measure opened with a residence ban'."""
    await world.add_measure(case_id, MeasureKind.TEMPORARY_RESIDENCE_BAN)


async def outbox(**where: Any) -> list[dict[str, Any]]:
    query = Notification.select().order_by(Notification.id).output(load_json=True)
    rows = await query
    return [r for r in rows if all(r[k] == v for k, v in where.items())]
