"""Printable documents: the Jinja environment of templates/letters and templates/reports,
and the optional PDF rendering (WeasyPrint, when installed with its system libraries)."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar import Response

from perp_track import paths
from perp_track.errors import Invalid
from perp_track.measures.errors import ReportError
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

    locale = f"{language}_BE"

    def when(value: datetime | date | None, with_time: bool = True) -> str:
        # As a Belgian reads it: "jeu. 10 décembre 2026, 10:00", the weekday on an appointment.
        if value is None:
            return ""
        if isinstance(value, datetime):
            local = value.astimezone(tz)
            if with_time:
                return format_datetime(local, "EEE d MMMM y, HH:mm", locale=locale)
            return format_date(local.date(), "d MMMM y", locale=locale)
        return format_date(value, "d MMMM y", locale=locale)

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


# The documents link their stylesheet from /static/print/; the PDF reads the same file from disk.
_OWN = "https://perp-track.invalid"
_PRINT_CSS = paths.STATIC / "print"


def to_pdf(html: str) -> bytes:
    """The page as PDF. Only our own print stylesheets are read, from disk; nothing else."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        log.warning("PDF asked for but WeasyPrint is unavailable: %s", type(exc).__name__)
        raise Invalid(ReportError.PDF_UNAVAILABLE) from None
    return bytes(HTML(string=html, base_url=_OWN + "/", url_fetcher=_own_stylesheet).write_pdf())


def _own_stylesheet(url: str, *args: Any, **kwargs: Any) -> Any:
    # A report never loads anything from outside: an image or font URL is refused, not fetched.
    prefix = _OWN + "/static/print/"
    name = url[len(prefix) :] if url.startswith(prefix) else ""
    if not (name and "/" not in name and name.endswith(".css") and (_PRINT_CSS / name).is_file()):
        raise ValueError(f"external resource refused: {url[:40]}")
    body = (_PRINT_CSS / name).read_bytes()
    try:  # Recent WeasyPrint wants a response object; older releases a dict.
        from weasyprint.urls import URLFetcherResponse
    except (ImportError, OSError):
        return {"string": body, "mime_type": "text/css"}
    return URLFetcherResponse(url, body, {"Content-Type": "text/css"})


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
