"""The French, Dutch and English catalogs: complete, current, and safe to format."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from perp_track.ui.i18n import LOCALE_DIR, gettext, translations

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _catalog(language: str):
    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=language)


def _source_ids() -> set:
    """What the code and the pages ask to translate now (the same rules as babel.cfg)."""
    method_map = [("src/perp_track/ui/**.py", "python"), ("templates/**.html", "jinja2")]
    options = {
        "src/perp_track/ui/**.py": {},
        "templates/**.html": {"extensions": "jinja2.ext.i18n"},
    }
    keywords = {"N_": None, "gettext": (2,), "_": None, "ngettext": (1, 2)}
    ids = set()
    for _, _, message, _, _ in extract_from_dir(str(ROOT), method_map, options, keywords=keywords):
        ids.add(message if isinstance(message, str) else tuple(message[:2]))
    return ids


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_every_string_of_the_pages_is_translated(language):
    catalog = _catalog(language)
    present = {m.id for m in catalog if m.id}
    missing = _source_ids() - present
    assert not missing, f"run `make messages` and translate: {sorted(map(str, missing))[:10]}"
    untranslated = [m.id for m in catalog if m.id and not all(m.string or ())]
    assert not untranslated, untranslated[:10]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not fuzzy, fuzzy[:10]


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_translations_keep_their_placeholders(language):
    for message in _catalog(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) <= wanted | {"num"}, message.id


def test_lookups():
    assert gettext("nl", "Dashboard") == "Overzicht"
    assert gettext("fr", "Case %(ref)s", ref="LIE-2026-00001") == "Dossier LIE-2026-00001"
    assert gettext("en", "Dashboard") == "Dashboard"
    assert gettext("xx", "Dashboard") == "Dashboard"
    assert translations("nl").ngettext("%(num)s case", "%(num)s cases", 2) == "%(num)s dossiers"


def test_catalogs_are_compiled_in_memory_not_committed():
    assert not list(LOCALE_DIR.rglob("*.mo"))
