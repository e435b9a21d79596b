"""The demo's victims who agreed to SMS with their SAPV contact and confirmed their number."""

from __future__ import annotations

from perp_track.auth.rules import ActingUser
from perp_track.cases.tables import Person
from perp_track.clock import Clock
from perp_track.config import load_settings
from perp_track.notify.inbound import handle_inbound
from perp_track.safe_contact.schemas import ConsentIn, SafeContactUpdate
from perp_track.safe_contact.services import record_consent, show_number_code, update_profile

# Cases whose victim agreed to SMS with her SAPV contact: (detail level, safe hours). Each
# confirmed her number with her code, except the victim of case 7: her SAPV contact still
# waits for her reply.
DEMO_NUMBER_WAITING = frozenset({7})
DEMO_CONSENT: dict[int, tuple[str, str, str]] = {
    1: ("status", "09:00", "20:00"),
    3: ("full", "08:00", "21:00"),
    4: ("neutral", "10:00", "18:00"),
    7: ("status", "09:00", "19:00"),
}


async def record_demo_consent(
    sapv: ActingUser, victim_id: int, number: int, clock: Clock, secret_key: str
) -> None:
    level, safe_from, safe_until = DEMO_CONSENT[number]
    await update_profile(
        actor=sapv,
        victim_id=victim_id,
        clock=clock,
        data=SafeContactUpdate(
            sms_allowed=True,
            detail_level=level,  # type: ignore[arg-type]
            safe_from=safe_from,
            safe_until=safe_until,
        ),
    )
    await record_consent(
        actor=sapv,
        victim_id=victim_id,
        clock=clock,
        data=ConsentIn(note="Agreed during the first interview"),
        secret_key=secret_key,
    )
    if number in DEMO_NUMBER_WAITING:
        return
    # She replies to the request with the code her SAPV contact gave her.
    shown = await show_number_code(
        actor=sapv, victim_id=victim_id, clock=clock, secret_key=secret_key
    )
    person = await Person.select(Person.phone).where(Person.id == victim_id).first()
    assert person is not None
    await handle_inbound(
        sid=f"SMdemo{number:032d}",
        sender=person["phone"],
        body=shown.code,
        now=clock.now(),
        settings=load_settings(secret_key=secret_key),
    )
