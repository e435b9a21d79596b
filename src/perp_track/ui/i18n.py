"""The pages' words: the catalogs of perp_track.i18n, in Jinja's form."""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from perp_track.i18n import N_
from perp_track.i18n.catalogs import LOCALE_DIR, translations

__all__ = ["LOCALE_DIR", "N_", "gettext", "template_callables", "translations"]


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
