"""Back to the list a form was reached from, with its filters, sort and page kept.

A list puts its own address in the links it offers (`?return=/caseload?risk=high&page=2`); the
case page and the forms carry it on (a hidden field), and the confirmation where the user lands
offers the way back. The value comes from the browser, so it is never trusted as it is: only the
path of one of our lists, with its plain filter values, is kept, and it is rebuilt from its
checked parts. Anything else (another site, `//host`, a backslash, a scheme, an unknown page or
parameter) is dropped, so the link can never lead off the site (no open redirect).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from perp_track.ui.i18n import N_

# The lists a form can be reached from, and the words of the link back to each.
LISTS: dict[str, str] = {
    "/": N_("Back to the home page"),
    "/caseload": N_("Back to the caseload"),
    "/cases": N_("Back to the list of cases"),
    "/inbox": N_("Back to the inbox"),
    "/sessions": N_("Back to the sessions"),
    "/participants": N_("Back to the participants"),
    "/red-list": N_("Back to the red list"),
    "/referred": N_("Back to the cases you referred"),
    "/victims": N_("Back to the victims you support"),
}
# What those lists keep in their address: filters, sort and page, plain short values. A name or
# a search never travels this way (searches are posted, never put in an address).
_KEYS = frozenset({"risk", "attention", "needing", "sort", "order", "page", "mine", "unread"})
_VALUE = re.compile(r"[A-Za-z0-9_-]{1,32}")
_FRAGMENT = re.compile(r"[A-Za-z0-9_-]{1,40}")
MAX_LENGTH = 300


def safe_return(raw: object) -> str | None:
    """The return path rebuilt from its checked parts, or None when it is not one of our lists."""
    if not isinstance(raw, str) or not raw or len(raw) > MAX_LENGTH:
        return None
    if not raw.startswith("/") or raw.startswith("//") or any(c in raw for c in "\\\r\n\t @"):
        return None
    try:
        parts = urlsplit(raw)
    except ValueError:
        return None
    if parts.scheme or parts.netloc or parts.path not in LISTS:
        return None
    if parts.fragment and not _FRAGMENT.fullmatch(parts.fragment):
        return None
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    for key, value in pairs:
        if key not in _KEYS or (value and not _VALUE.fullmatch(value)):
            return None
    query = urlencode(pairs)
    return (
        parts.path
        + (f"?{query}" if query else "")
        + (f"#{parts.fragment}" if parts.fragment else "")
    )


def with_return(href: str, return_to: str | None) -> str:
    """href with the return path added to its query (before any #fragment)."""
    if not return_to:
        return href
    path, hash_, fragment = href.partition("#")
    joiner = "&" if "?" in path else "?"
    return f"{path}{joiner}return={quote(return_to, safe='/')}{hash_}{fragment}"


def return_label(return_to: str) -> str:
    """The msgid of the link back to this list."""
    path = urlsplit(return_to).path
    return LISTS.get(path, LISTS["/"])
