"""The PDF of a printed document reads our own print stylesheet from disk, and nothing else."""

from __future__ import annotations

import pytest

from perp_track.documents import printable


def test_the_pdf_reads_our_print_stylesheets_from_disk() -> None:
    for name in ("report.css", "letter.css"):
        found = printable._own_stylesheet(f"https://perp-track.invalid/static/print/{name}")
        body = found.read() if hasattr(found, "read") else found["string"]
        assert b"@page" in body


@pytest.mark.parametrize(
    "url",
    [
        "https://perp-track.invalid/static/app.js",
        "https://perp-track.invalid/static/print/../app.css",
        "https://perp-track.invalid/static/print/missing.css",
        "https://example.org/static/print/report.css",
        "file:///etc/passwd",
    ],
)
def test_anything_else_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="refused"):
        printable._own_stylesheet(url)
