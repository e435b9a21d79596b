"""Where the project's non-Python resources live, installed or from a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_BUNDLED = _PACKAGE / "_resources"
_CHECKOUT = _PACKAGE.parent.parent


def _resource(name: str) -> Path:
    # A wheel carries them under perp_track/_resources; an editable install reads the checkout.
    bundled = _BUNDLED / name
    return bundled if bundled.is_dir() else _CHECKOUT / name


MIGRATIONS = _resource("migrations")
TEMPLATES = _resource("templates")
NOTIFICATIONS = _resource("notifications")
# Stylesheets and scripts of the pages; the printed documents' stylesheets are under print/.
STATIC = _PACKAGE / "ui" / "static"
