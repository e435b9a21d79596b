"""Domain errors in a reader's language: the message of the error's code, from the catalogs.

What varies in a message is carried over in that language: domain codes (a status, an event,
an outcome) by their translated label, dates in the language's format. An error raised with an
English sentence instead of a code (there should be none) is said by its class, never in
English. A pydantic validation error on a page is said by its type the same way.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from babel.dates import format_date

from perp_track.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    TooManyAttempts,
    Unauthenticated,
)
from perp_track.i18n import N_
from perp_track.i18n.catalogs import LANGUAGES, translations
from perp_track.ui.labels import translated_label

# What a page says of an error raised with a sentence rather than a code: by its class.
FALLBACK: dict[type[DomainError], str] = {
    Conflict: N_(
        "This is not possible in the record's current state, or it changed meanwhile. Reload "
        "the page and try again."
    ),
    Invalid: N_("This breaks a rule of the service: check what you entered."),
    Forbidden: N_("your role may not do this"),
    NotFound: N_("This record does not exist, or it is not one you may see."),
    Unauthenticated: N_("log in first"),
    TooManyAttempts: N_("Too many failed logins: try again later."),
}

# Parameters holding a domain code even when passed as a plain string (read from a row).
CODE_PARAMS = frozenset({"status", "event", "outcome", "kind", "allowed", "action", "role"})

# Pydantic's error types (the validation's own codes) in words a person reads.
VALIDATION: dict[str, str] = {
    "missing": N_("This field is required."),
    "string_too_short": N_("This field is required."),
    "string_too_long": N_("This is too long."),
    "string_pattern_mismatch": N_("This is not in the expected format."),
    "enum": N_("Choose one of the options."),
    "literal_error": N_("Choose one of the options."),
    "int_parsing": N_("Give a whole number."),
    "greater_than_equal": N_("This number is too small."),
    "less_than_equal": N_("This number is too large."),
    "date_from_datetime_parsing": N_("Give a date."),
    "date_parsing": N_("Give a date."),
    "datetime_from_date_parsing": N_("Give a date and a time."),
    "datetime_parsing": N_("Give a date and a time."),
    "timezone_aware": N_("Give a date and a time."),
    "extra_forbidden": N_("This field is not expected here."),
    "phone_number": N_("Give a mobile phone number, e.g. 0470 12 34 56 or +32 470 12 34 56."),
}
VALIDATION_FALLBACK = N_("This value is not accepted.")


def validation_message(error_type: str) -> str:
    """The msgid for a pydantic error type (translated where it is shown)."""
    return VALIDATION.get(error_type, VALIDATION_FALLBACK)


def _local(name: str, value: Any, language: str) -> str:
    word = translations(language).gettext
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(_local(name, v, language) for v in value)
    if isinstance(value, Enum) or (name in CODE_PARAMS and isinstance(value, str)):
        return translated_label(value, word)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return format_date(value, format="medium", locale=language)
    return str(value)


def error_message(exc: DomainError, language: str | None = None) -> str:
    """The error as a sentence: in this language (fr, nl, en), or in the source English."""
    if exc.code is None:
        if language is None:
            return exc.message
        kind = next((k for k in FALLBACK if isinstance(exc, k)), Invalid)
        return translations(language).gettext(FALLBACK[kind])
    if language is None or language not in LANGUAGES:
        return exc.message
    params = {k: _local(k, v, language) for k, v in exc.params.items()}
    return translations(language).gettext(exc.code.message) % params


def requested_language(accept_language: str | None) -> str | None:
    """The language an API client asks its words in (Accept-Language), if we have it; None
    means the source English."""
    best: tuple[float, str] | None = None
    for part in (accept_language or "").split(","):
        tag, _, rest = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        quality = 1.0
        if rest.strip().startswith("q="):
            try:
                quality = float(rest.strip()[2:])
            except ValueError:
                quality = 0.0
        if primary in LANGUAGES and quality > 0 and (best is None or quality > best[0]):
            best = (quality, primary)
    return best[1] if best else None
