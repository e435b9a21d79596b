"""The one code → words layer: error messages, labels of domain codes, events told in a language.

This package's root imports nothing of the project, so that any layer may mark its msgids with
N_ (errors.py does) without an import circle.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Marks a string for extraction into the catalogs; it is translated where it is shown."""
    return message


def NC_(context: str, message: str) -> str:
    """Marks a string with its context (msgctxt) for extraction; looked up with pgettext."""
    return message
