"""The victim's number confirmed by her own reply, and the pace of her updates in her hands
(pure rules: no database, no web).

- Her number is confirmed when she replies with the short code her SAPV contact gave her in
  person. Until then no status update goes to it; three wrong codes block it until her SAPV
  contact acts.
- PAUSE holds her updates, RESUME (and their words in each language) sends what is still
  useful: a held update is dropped only when a later update of the same kind, about the same
  measure of the same case, supersedes it (`SUPERSEDED_KINDS`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from cryptography.fernet import Fernet, InvalidToken

CODE_DIGITS = 6
# Three wrong codes and the number is blocked until her SAPV contact acts.
MAX_WRONG_CODES = 3
# The first request and one resend.
MAX_REQUESTS = 2
# The confirmation request to her phone: a notice of its own, told in neutral words.
REQUEST_NOTICE = "number_confirmation"
# The error code of a held update dropped because a later one of the same kind replaced it.
SUPERSEDED = "superseded"


class NumberState(StrEnum):
    WAITING = "waiting"
    CONFIRMED = "confirmed"
    BLOCKED = "blocked"
    # A newer request (new consent, new number, new code) took its place.
    REPLACED = "replaced"


class NumberStatus(StrEnum):
    """What her SAPV contact is shown of her current number."""

    NONE = "none"
    WAITING = "waiting"
    CONFIRMED = "confirmed"
    BLOCKED = "blocked"


class HoldReason(StrEnum):
    """Why an update to her waits (the held row's error code, 16 characters at most)."""

    UNCONFIRMED = "unconfirmed"
    NUMBER_BLOCKED = "number_blocked"
    PAUSED = "paused"


class Pace(StrEnum):
    PAUSE = "pause"
    RESUME = "resume"


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def _key(secret_key: str, purpose: bytes) -> bytes:
    # Keys of their own, derived from SECRET_KEY: the table alone yields no code.
    return hashlib.sha256(
        b"perp-track/victim-number-code/" + purpose + b"\x00" + secret_key.encode()
    ).digest()


def hash_code(code: str, secret_key: str) -> str:
    return hmac.new(_key(secret_key, b"check"), code.encode(), hashlib.sha256).hexdigest()


def seal_code(code: str, secret_key: str) -> str:
    fernet = Fernet(base64.urlsafe_b64encode(_key(secret_key, b"seal")))
    return fernet.encrypt(code.encode()).decode()


def open_code(sealed: str, secret_key: str) -> str | None:
    """The code, or None when it was sealed under another SECRET_KEY (or tampered with)."""
    fernet = Fernet(base64.urlsafe_b64encode(_key(secret_key, b"seal")))
    try:
        return fernet.decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None


def code_attempt(body: str) -> str | None:
    """The digits of a reply that looks like a code (4 to 10 digits, spaces and dots allowed),
    else None: 'Bonjour' is a reply, not a wrong code."""
    digits = re.sub(r"[\s.\-]", "", body)
    return digits if digits.isdigit() and 4 <= len(digits) <= 10 else None


def code_matches(code_hash: str, attempt: str, secret_key: str) -> bool:
    """Constant time: the comparison tells nothing of how close a guess came."""
    return hmac.compare_digest(hash_code(attempt, secret_key), code_hash)


def number_status(confirmation: dict | None, phone: str) -> NumberStatus:
    """Where her current number stands; a confirmation of another number counts for nothing."""
    if confirmation is None or confirmation["phone"] != phone:
        return NumberStatus.NONE
    state = NumberState(confirmation["state"])
    if state is NumberState.REPLACED:
        return NumberStatus.NONE
    return NumberStatus(str(state))


def hold_reason(*, status: NumberStatus, paused: bool) -> HoldReason | None:
    """None when an update may go to her now; else why it waits. Her number first: her SAPV
    contact has to act on it, while a pause is hers to lift."""
    if status is NumberStatus.BLOCKED:
        return HoldReason.NUMBER_BLOCKED
    if status is not NumberStatus.CONFIRMED:
        return HoldReason.UNCONFIRMED
    if paused:
        return HoldReason.PAUSED
    return None


def normalise_word(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^\w]+", "", plain)


def pace_word(body: str, pause_words: Iterable[str], resume_words: Iterable[str]) -> Pace | None:
    """PAUSE or RESUME when the whole message is one of the configured words, else None."""
    word = normalise_word(body)
    if not word:
        return None
    if word in {normalise_word(w) for w in pause_words}:
        return Pace.PAUSE
    if word in {normalise_word(w) for w in resume_words}:
        return Pace.RESUME
    return None


# The updates that tell how things stand now, so that only the latest one of a kind is still
# true: "protection ends in 7 days" is stale once "ends tomorrow" waits behind it; a second
# extension or renewal gives the end date that counts; a new confirmation request replaces the
# one before. Every other kind (a measure opened, lifted, expired or closed, an authority's
# decision, a programme interrupted) tells of something that happened: never dropped.
SUPERSEDED_KINDS: frozenset[str] = frozenset(
    {"protection_ending", "ban_extended", "adp_renewed", REQUEST_NOTICE}
)


@dataclass(frozen=True, slots=True)
class HeldUpdate:
    id: int
    kind: str
    case_id: int | None
    # The measure it is about (None: the case as a whole).
    measure_id: int | None


def superseded(held: Iterable[HeldUpdate]) -> set[int]:
    """The held updates a later one of the same kind, same case and same measure replaces."""
    latest: dict[tuple[str, int | None, int | None], int] = {}
    rows = sorted(held, key=lambda h: h.id)
    for row in rows:
        if row.kind in SUPERSEDED_KINDS:
            latest[(row.kind, row.case_id, row.measure_id)] = row.id
    return {
        row.id
        for row in rows
        if row.kind in SUPERSEDED_KINDS
        and latest[(row.kind, row.case_id, row.measure_id)] != row.id
    }
