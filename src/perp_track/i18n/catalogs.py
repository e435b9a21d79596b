"""Gettext catalogs (Babel): compiled from the .po files in memory, once per process.

Compiling at start means no .mo file can go stale and nothing needs a build step; the
catalogs are small, so this costs a few milliseconds once per process.
"""

from __future__ import annotations

import gettext as gettext_module
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

# The languages of the pages, the printed documents and the API's words.
LANGUAGES = ("fr", "nl", "en")
LOCALE_DIR = Path(__file__).resolve().parents[1] / "ui" / "locale"
DOMAIN = "messages"


@cache
def translations(language: str) -> gettext_module.NullTranslations:
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language not in LANGUAGES or not path.is_file():
        return gettext_module.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language)
    buffer = BytesIO()
    # Fuzzy entries are guesses a translator has not confirmed: never show them.
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext_module.GNUTranslations(buffer)
