"""The services' errors on the pages: said by their code, in the reader's language.

The words are the catalogs' (perp_track.i18n.errors); nothing here reads an error's English.
"""

from __future__ import annotations

from litestar import Request

from perp_track.errors import DomainError
from perp_track.i18n.errors import error_message
from perp_track.ui.templating import page_language


def form_errors(request: Request, exc: DomainError) -> dict[str, str]:
    """A refused service call, as the error summary of the form that made it."""
    return {"__all__": error_text(page_language(request), exc)}


def field_errors(request: Request, exc: DomainError) -> dict[str, str]:
    """As form_errors, on the field the error names (its `field` parameter) when it names one."""
    field = exc.params.get("field")
    text = error_text(page_language(request), exc)
    return {field: text} if isinstance(field, str) and field else {"__all__": text}


def error_text(language: str, exc: DomainError) -> str:
    """The error as a sentence in this language, for a form's error summary or an error page."""
    return error_message(exc, language)
