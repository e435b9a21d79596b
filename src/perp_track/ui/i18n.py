"""Gettext catalogs (Babel): compiled from the .po files in memory when the app starts.

Compiling at start means no .mo file can go stale and nothing needs a build step; the
catalogs are small, so this costs a few milliseconds once per process.
"""

from __future__ import annotations

import gettext as gettext_module
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from perp_track.ui.rules import LANGUAGES

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"


def N_(message: str) -> str:
    """Marks a string for extraction; it is translated where it is shown."""
    return message


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


def gettext(language: str, message: str, **variables: Any) -> str:
    text = translations(language).gettext(message)
    return text % variables if variables else text


def template_callables(language: str) -> dict[str, Any]:
    """`_`, `gettext` and `ngettext` for one page, in Jinja's new-style (named %(x)s) form."""
    catalog = translations(language)

    @pass_context
    def _gettext(context: Context, message: str, **variables: Any) -> str:
        text = catalog.gettext(message)
        if context.eval_ctx.autoescape:
            # Our own catalog's text; Markup's % escapes every variable put into it.
            text = Markup(text)  # noqa: S704
        return text % variables if variables else text

    @pass_context
    def _ngettext(context: Context, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        text = catalog.ngettext(singular, plural, num)
        if context.eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704 - as above
        return text % variables

    def translate(text: str) -> str:
        """For text not written in the templates (errors, flash): escaped like any value."""
        return catalog.gettext(text)

    return {"_": _gettext, "gettext": _gettext, "ngettext": _ngettext, "translate": translate}
