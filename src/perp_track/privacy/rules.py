"""Retention: how long a case's personal data is kept after its measures close (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from perp_track.measures.rules import CLOSED_STATUSES


class RetentionAction(StrEnum):
    PSEUDONYMISE = "pseudonymise"
    PURGE = "purge"


@dataclass(frozen=True, slots=True)
class ClosedMeasure:
    kind: str
    status: str
    # A closed measure never moves again (no transition leaves a closed state), so the last
    # change is its closing.
    changed_at: datetime


def retention_due(
    *,
    case_closed_at: datetime | None,
    measures: Iterable[ClosedMeasure],
    retention_days: Mapping[str, int],
    default_days: int,
) -> datetime | None:
    """When the case's personal data must go, or None while any measure still runs.

    Each measure is kept for its kind's period after it closed; the case goes when the last of
    them has run out. A case without measures is kept `default_days` after it was closed.
    """
    measures = list(measures)
    if not measures:
        return case_closed_at + timedelta(days=default_days) if case_closed_at else None
    if any(m.status not in CLOSED_STATUSES for m in measures):
        return None
    return max(m.changed_at + timedelta(days=retention_days[m.kind]) for m in measures)


def pseudonym(person_id: int) -> str:
    """What replaces a name: stable per person, says nothing about them."""
    return f"P-{person_id:06d}"
