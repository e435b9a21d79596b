"""The interpreter register's pure rules: which language a summons needs, booking references.

The register is kept per justice house, not nationally: each house books the interpreters it
works with (sworn or not, through an agency or freelance), its supervisors answer for the list,
and a house never edits another's contacts. The national register of sworn interpreters (FPS
Justice) says who is sworn; it is not a booking list, so a house records that here (`sworn`).
"""

from __future__ import annotations

import secrets
from enum import StrEnum

# Letters that cannot be misread on the phone (no 0/O, 1/I/L).
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

# The communication languages of a case and a house, as an interpreter's language is written.
LANGUAGE_NAMES = {"fr": "french", "nl": "dutch", "de": "german", "en": "english"}


class BookingStatus(StrEnum):
    BOOKED = "booked"
    # The summons moved: this row stays, the booking continues on the new summons' row.
    MOVED = "moved"
    CANCELLED = "cancelled"
    # Another interpreter was booked instead, or the interpreter is no longer needed.
    RELEASED = "released"


OPEN_BOOKING = frozenset({BookingStatus.BOOKED})


def normalise_language(text: str | None) -> str | None:
    """Languages are compared as typed, without case or outer spaces ("Arabic " is "arabic")."""
    if text is None:
        return None
    cleaned = " ".join(text.split()).casefold()
    return cleaned or None


def needed_language(
    *,
    requested: str | None,
    case_interpreter_language: str | None,
    case_language: str,
    house_language: str,
) -> str | None:
    """The language an interpreter must speak for a summons, or None when none is needed.

    What the justice assistant types wins; then the case's; then the person's language when it
    is not the house's (a Dutch speaker summoned by a French-speaking house).
    """
    for text in (requested, case_interpreter_language):
        found = normalise_language(text)
        if found:
            return found
    if case_language != house_language:
        return LANGUAGE_NAMES.get(case_language, case_language)
    return None


def booking_reference(token: str | None = None) -> str:
    """A reference the interpreter quotes: random, so it says nothing of the case (never the
    case reference), kept when the summons moves."""
    token = token or "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"ITP-{token[:4]}-{token[4:8]}"
