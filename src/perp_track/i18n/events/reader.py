"""What a sentence reads from an event's data: its values in the reader's language, or
Missing when the data lacks what the sentence needs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from babel.dates import format_date, format_datetime

from perp_track.i18n.catalogs import translations
from perp_track.ui.labels import translated_label

# An old row's English sentence, kept where its data could not be read back from it.
LEGACY_SUMMARY = "summary_en"


class Missing(Exception):
    """The data lacks what the sentence needs."""


@dataclass(frozen=True, slots=True)
class Reader:
    language: str
    tz: tzinfo
    data: Mapping[str, Any]
    condition_kinds: Mapping[int, str]
    # A risk tier's code -> its name in this language: tiers are data, not catalog entries.
    tier_names: Mapping[str, str]

    def translate(self, msgid: str) -> str:
        return translations(self.language).gettext(msgid)

    def get(self, key: str) -> Any:
        value = self.data.get(key)
        if value is None or value == "":
            raise Missing(key)
        return value

    def label(self, code: Any) -> str:
        return translated_label(code, self.translate)

    def tier(self, key: str) -> str:
        """A risk tier's name (the code of a tier since removed, as it was recorded)."""
        code = str(self.get(key))
        return self.tier_names.get(code) or code

    def moment(self, key: str) -> str:
        value = self.get(key)
        at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        return format_datetime(at.astimezone(self.tz), format="short", locale=self.language)

    def day(self, key: str) -> str:
        value = self.get(key)
        when = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
        return format_date(when, format="medium", locale=self.language)

    def say(self, msgid: str, **variables: Any) -> str:
        text = self.translate(msgid)
        return text % variables if variables else text


def with_text(sentence: str, free_text: Any) -> str:
    """A sentence, then what a person typed, as typed."""
    text = str(free_text or "").strip()
    return f"{sentence} {text}" if text else sentence
