"""Printable documents: the Jinja environment of templates/letters and templates/reports,
and the optional PDF rendering (WeasyPrint, when installed with its system libraries)."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar import Response

from perp_track import paths
from perp_track.errors import Invalid, ReportError
from perp_track.measures.labels import LABELS, LANGUAGES, term

log = logging.getLogger("perp_track")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(paths.TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise Invalid(ReportError.LANGUAGE_UNKNOWN, languages=list(LANGUAGES), language=language)
    return language


def render(template: str, *, language: str, tz: ZoneInfo, **context: Any) -> str:
    check_language(language)

    def when(value: datetime | date | None, with_time: bool = True) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            local = value.astimezone(tz)
            return local.strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")
        return value.strftime("%d/%m/%Y")

    return (
        environment()
        .get_template(template)
        .render(
            lang=language,
            t=LABELS[language],
            term=lambda word: term(language, word),
            when=when,
            **context,
        )
    )


def pdf_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def to_pdf(html: str) -> bytes:
    """The page as PDF. Its stylesheet is inline: nothing is fetched from anywhere."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        log.warning("PDF asked for but WeasyPrint is unavailable: %s", type(exc).__name__)
        raise Invalid(ReportError.PDF_UNAVAILABLE) from None
    return bytes(HTML(string=html, url_fetcher=_refuse).write_pdf())


def _refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # A report never loads anything from outside: an image or font URL is refused, not fetched.
    raise ValueError(f"external resource refused: {url[:40]}")


async def document_response(html: str, format: str, name: str) -> Response[bytes]:
    """HTML to print from the browser, or the same page as a PDF download."""
    if format == "pdf":
        # Laying out a PDF takes a good part of a second: off the event loop, so the other
        # requests keep being served meanwhile.
        pdf = await asyncio.to_thread(to_pdf, html)
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
        )
    return Response(html.encode(), media_type="text/html; charset=utf-8")
