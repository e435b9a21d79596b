"""The wordings an arm may use: the standard reminder, and every variant of it found in
notifications/ (summons_reminder.sms.<variant>.<language>.j2) in each language a message is
sent in. A new wording is new files, no code."""

from __future__ import annotations

import re
from pathlib import Path

from perp_track import paths
from perp_track.evaluations.rules import STANDARD_WORDING
from perp_track.notify.templates import LANGUAGES

_NAME = re.compile(r"summons_reminder\.sms\.([a-z][a-z_]{0,31})\.([a-z]{2})\.j2")


def available(folder: Path | None = None) -> list[str]:
    """The standard wording first, then each variant present in every language, by name."""
    found: dict[str, set[str]] = {}
    for path in (folder or paths.NOTIFICATIONS).glob("summons_reminder.sms.*.j2"):
        match = _NAME.fullmatch(path.name)
        if match:
            found.setdefault(match[1], set()).add(match[2])
    complete = sorted(v for v, langs in found.items() if set(LANGUAGES) <= langs)
    return [STANDARD_WORDING, *(v for v in complete if v != STANDARD_WORDING)]
