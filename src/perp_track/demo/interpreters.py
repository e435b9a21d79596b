"""The house's interpreter register in the demo."""

from __future__ import annotations

from perp_track.auth.rules import ActingUser
from perp_track.clock import Clock
from perp_track.demo.phones import demo_phone
from perp_track.interpreters.schemas import InterpreterCreate, MessageLanguage
from perp_track.interpreters.services import add_interpreter

# The house's interpreter register: fictional people, addresses on example.org (RFC 2606).
DEMO_INTERPRETERS: tuple[tuple[str, str, bool, str, MessageLanguage, str | None], ...] = (
    (
        "Leïla Benaissa",
        "arabic",
        True,
        "leila.benaissa@example.org",
        "fr",
        "Interprètes Liège asbl",
    ),
    ("Andrei Popa", "romanian", True, "andrei.popa@example.org", "fr", None),
    ("Noor Rahimi", "dari", False, "noor.rahimi@example.org", "en", "Tolkenbureau Demo"),
    ("Lotte Verhaegen", "dutch", True, "lotte.verhaegen@example.org", "nl", None),
)


async def add_interpreters(supervisor: ActingUser, clock: Clock) -> dict[str, int]:
    """The register, by language: the first interpreter of each."""
    found: dict[str, int] = {}
    for number, (name, language, sworn, email, lang, organisation) in enumerate(
        DEMO_INTERPRETERS, start=1
    ):
        added = await add_interpreter(
            actor=supervisor,
            clock=clock,
            data=InterpreterCreate(
                full_name=name,
                language=language,
                sworn=sworn,
                email=email,
                phone=demo_phone(200 + number),
                organisation=organisation,
                message_language=lang,
            ),
        )
        found.setdefault(language, added.id)
    return found
