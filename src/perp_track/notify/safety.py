"""Victim safe-contact rules (DOMAIN §5) as pure functions: no database, no web."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from perp_track.notify.rules import DetailLevel, InboundKind

_hasher = PasswordHasher()


class Block(StrEnum):
    """Why a victim is not written to. Stored as the suppressed row's error code (16 characters
    at most) so her SAPV contact and the audit see why."""

    NO_PROFILE = "no_profile"
    NO_CONSENT = "no_consent"
    CONSENT_REVOKED = "consent_revoked"
    OPTED_OUT = "opted_out"
    SMS_NOT_ALLOWED = "sms_not_allowed"
    NO_NUMBER = "no_number"
    # The number is also a perpetrator's, in this case or any other.
    PERPETRATOR_NUMBER = "shared_number"
    NO_SAPV_CONTACT = "no_sapv_contact"


def normalise_phone(number: str | None) -> str:
    """Digits with a leading +: '0032 470/12.34.56' and '+32470123456' compare equal."""
    if not number:
        return ""
    cleaned = re.sub(r"[^\d+]", "", number)
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    return cleaned


def victim_block(
    *,
    profile: dict[str, Any] | None,
    phone: str | None,
    perpetrator_phones: set[str],
    sapv_contact: int | None,
) -> Block | None:
    """None when the victim may receive an SMS now; otherwise the first rule that forbids it."""
    if profile is None:
        return Block.NO_PROFILE
    if profile["consent_given_at"] is None:
        return Block.NO_CONSENT
    if profile["consent_revoked_at"] is not None:
        return Block.CONSENT_REVOKED
    if profile["opted_out_at"] is not None:
        return Block.OPTED_OUT
    if not profile["sms_allowed"]:
        return Block.SMS_NOT_ALLOWED
    number = normalise_phone(phone)
    if not number:
        return Block.NO_NUMBER
    # The perpetrator may hold or share the phone: a number known on his side is never used.
    if number in {normalise_phone(p) for p in perpetrator_phones}:
        return Block.PERPETRATOR_NUMBER
    # Every victim message is copied to her SAPV contact: without one, none goes out.
    if sapv_contact is None:
        return Block.NO_SAPV_CONTACT
    return None


def template_variant(level: str | None) -> DetailLevel:
    """Neutral unless the SAPV contact recorded more with her."""
    try:
        return DetailLevel(level) if level else DetailLevel.NEUTRAL
    except ValueError:
        return DetailLevel.NEUTRAL


@dataclass(frozen=True, slots=True)
class SafeHours:
    start: time
    end: time

    @classmethod
    def parse(cls, start: str | None, end: str | None, default: str) -> SafeHours:
        d_start, _, d_end = default.partition("-")
        return cls(_hhmm(start or d_start), _hhmm(end or d_end))

    def contains(self, local: time) -> bool:
        if self.start == self.end:
            return True
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end  # a window across midnight


def _hhmm(value: str) -> time:
    hours, _, minutes = value.partition(":")
    return time(int(hours), int(minutes))


def valid_hhmm(value: str) -> bool:
    match = re.fullmatch(r"(\d\d):(\d\d)", value)
    return bool(match) and int(match.group(1)) < 24 and int(match.group(2)) < 60  # type: ignore[union-attr]


def next_safe_moment(now: datetime, hours: SafeHours, tz: ZoneInfo) -> datetime:
    """Now if now is inside her safe hours, otherwise the next start of the window (in UTC)."""
    local = now.astimezone(tz)
    if hours.contains(local.time().replace(tzinfo=None)):
        return now
    for days in (0, 1):
        day = local.date() + timedelta(days=days)
        # Built from the wall-clock time, so a DST change keeps "09:00" at 09:00.
        start = datetime.combine(day, hours.start, tzinfo=tz)
        if start > local:
            return start.astimezone(now.tzinfo)
    raise AssertionError("a safe window starts within a day")


def when_to_send(
    now: datetime, not_after: datetime | None, hours: SafeHours, tz: ZoneInfo
) -> datetime | None:
    """When a victim message may leave; None when it would arrive late and must expire instead."""
    at = next_safe_moment(now, hours, tz)
    if not_after is not None and at > not_after:
        return None
    return at


def _normalise_word(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^\w]+", " ", plain).strip()


def hash_code_word(word: str) -> str:
    return _hasher.hash(_normalise_word(word))


def code_word_matches(code_word_hash: str | None, body: str) -> bool:
    if not code_word_hash or not body.strip():
        return False
    try:
        return _hasher.verify(code_word_hash, _normalise_word(body))
    except (VerificationError, InvalidHashError):
        return False


# Twilio's own opt-out words plus their French, Dutch and German forms (DOMAIN §5).
STOP_WORDS = frozenset(
    {
        "stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout",
        "arret", "arreter", "stopper", "desabonner", "desinscrire",
        "stoppen", "uitschrijven", "afmelden",
        "stopp", "abmelden", "abbestellen",
    }
)  # fmt: skip
START_WORDS = frozenset(
    {"start", "unstop", "yes", "demarrer", "reprendre", "aanmelden", "hervatten", "anmelden"}
)
HELP_WORDS = frozenset({"help", "info", "aide", "hulp", "hilfe"})


def keyword(body: str) -> InboundKind | None:
    """STOP, START or HELP when the whole message is one of those words, else None."""
    word = _normalise_word(body).replace(" ", "")
    if word in STOP_WORDS:
        return InboundKind.STOP
    if word in START_WORDS:
        return InboundKind.START
    if word in HELP_WORDS:
        return InboundKind.HELP
    return None
