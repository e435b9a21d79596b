"""The red list: which bans put an address on it, and how the communication centre reads it."""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Iterable, Sequence
from datetime import date

from perp_track.measures.rules import ConditionStatus

TOKEN_PREFIX = "rl_"  # noqa: S105 - a prefix, not a secret

# A place-ban condition still binds while it is not met or waived.
BINDING_CONDITION_STATUSES = frozenset(
    {
        ConditionStatus.PENDING,
        ConditionStatus.IN_PROGRESS,
        ConditionStatus.BREACHED,
        ConditionStatus.ADAPTED,
    }
)

CSV_COLUMNS = ("address", "ban", "starts_on", "ends_on", "case_reference", "risk_level")


class ZoneFeed:
    """Who reads with a red-list token: a zone's communication centre, not a person."""

    __slots__ = ("token_id", "zone_id")

    def __init__(self, *, token_id: int, zone_id: int) -> None:
        self.token_id = token_id
        self.zone_id = zone_id

    def __repr__(self) -> str:
        return f"ZoneFeed(token_id={self.token_id}, zone_id={self.zone_id})"


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def in_force_on(today: date, starts_on: date | None, ends_on: date | None) -> bool:
    return (starts_on is None or starts_on <= today) and (ends_on is None or today <= ends_on)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet would run a cell that starts like a formula: make it text.
    if text[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + text
    return text


def to_csv(rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()
