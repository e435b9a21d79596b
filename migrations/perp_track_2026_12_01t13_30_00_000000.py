"""Case events recorded before they carried all their data: what their English summary holds is
read back into the data, so that each is told in the reader's language from its kind and data.

What the summary says that the data did not keep: the session kind of a programme session, the
free text of community-service hours and programme attendance, the period of a report to the
authority, the note of a consent, the fields of a safe-contact change. Where a summary cannot be
read (a shape no longer recognised, a kind told by no data), the row keeps its sentence in
data["summary_en"], marked as the English it was recorded in; only an English reader sees it.

Backwards changes nothing: the keys added are ones the earlier code reads or ignores.
"""

from __future__ import annotations

import re
from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import JSON, Text, Varchar
from piccolo.table import Table

ID = "2026-12-01T13:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Case events: their English summaries read back into their data"

LEGACY_SUMMARY = "summary_en"
# Kinds told by nothing more than their summary before: no data to tell them from.
_SUMMARY_ONLY = {"case_updated", "programme_referral"}
# Kinds whose sentence needs no data.
_CONSTANT = {"perpetrator_address_changed"}
_BATCH = 500


class _CaseEvent(Table, tablename="case_event"):
    kind = Varchar(length=48)
    summary = Text()
    data = JSON()


def _hours(summary: str, data: dict[str, Any]) -> dict[str, Any] | None:
    prefix = (
        f"Community service: {data.get('hours')} h done ({data.get('done')}/{data.get('due')})."
    )
    if not summary.startswith(prefix):
        return None
    return {"reason": summary[len(prefix) :].strip()}


def _report(summary: str, data: dict[str, Any]) -> dict[str, Any] | None:
    found = re.fullmatch(
        r"Report to the authority \([\w ]+\): (\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})", summary
    )
    return {"period_from": found[1], "period_to": found[2]} if found else None


def _session(summary: str, _: dict[str, Any]) -> dict[str, Any] | None:
    found = re.match(r"Programme session (?:scheduled|cancelled) \((\w+)\)", summary)
    return {"session_kind": found[1]} if found else None


def _attendance(prefix: str) -> Any:
    def parse(summary: str, data: dict[str, Any]) -> dict[str, Any] | None:
        said = prefix + str(data.get("outcome", "")).replace("_", " ")
        if not summary.startswith(said):
            return None
        rest = summary[len(said) :]
        if not rest:
            return {"reason": ""}
        if rest.startswith(" (") and rest.endswith(")"):
            return {"reason": rest[2:-1]}
        return None

    return parse


def _consent(prefix: str) -> Any:
    def parse(summary: str, _: dict[str, Any]) -> dict[str, Any] | None:
        if summary == prefix:
            return {"note": ""}
        if summary.startswith(prefix + ": "):
            return {"note": summary[len(prefix) + 2 :]}
        return None

    return parse


def _safe_contact(summary: str, _: dict[str, Any]) -> dict[str, Any] | None:
    prefix = "Safe-contact profile updated: "
    if not summary.startswith(prefix):
        return None
    rest = summary[len(prefix) :]
    fields = [] if rest == "no change" else [f.strip() for f in rest.split(",")]
    if not all(re.fullmatch(r"[a-z_]+", f) for f in fields):
        return None
    return {"fields": sorted(fields)}


# By kind: the keys the data needs, and how to read them from the summary.
_PARSERS: dict[str, tuple[str, Any]] = {
    "condition_hours": ("reason", _hours),
    "authority_report": ("period_from", _report),
    "session_scheduled": ("session_kind", _session),
    "session_cancelled": ("session_kind", _session),
    "programme_attendance": ("reason", _attendance("Programme session: ")),
    "programme_attendance_corrected": ("reason", _attendance("Programme attendance corrected: ")),
    "victim_consent_recorded": ("note", _consent("Victim's consent to SMS recorded")),
    "victim_consent_revoked": ("note", _consent("Victim's consent to SMS revoked")),
    "safe_contact_updated": ("fields", _safe_contact),
}


def read_back(kind: str, summary: str, data: dict[str, Any]) -> dict[str, Any] | None:
    """The event's data completed from its summary; None when nothing needs to change."""
    if not summary or summary == "(pseudonymised)" or LEGACY_SUMMARY in data:
        return None
    parser = _PARSERS.get(kind)
    if parser is None:
        # A kind told by no data, or a row whose data was never written: its sentence stays.
        if kind in _SUMMARY_ONLY or (not data and kind not in _CONSTANT):
            return {**data, LEGACY_SUMMARY: summary}
        return None
    needed, parse = parser
    if needed in data:
        return None
    found = parse(summary, data)
    if found is None:
        return {**data, LEGACY_SUMMARY: summary}
    return {**data, **found}


async def _forwards() -> None:
    last = 0
    while True:
        rows = (
            await _CaseEvent.select(
                _CaseEvent.id, _CaseEvent.kind, _CaseEvent.summary, _CaseEvent.data
            )
            .where(_CaseEvent.id > last)
            .order_by(_CaseEvent.id)
            .limit(_BATCH)
            .output(load_json=True)
        )
        if not rows:
            return
        for row in rows:
            data = row["data"] if isinstance(row["data"], dict) else {}
            completed = read_back(row["kind"], row["summary"] or "", data)
            if completed is not None:
                await _CaseEvent.update({_CaseEvent.data: completed}).where(
                    _CaseEvent.id == row["id"]
                )
        last = rows[-1]["id"]


async def _backwards() -> None:
    """Nothing to undo: the earlier code reads the added keys or ignores them."""


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="perp_track", description=DESCRIPTION)
    manager.add_raw(_forwards)
    manager.add_raw_backwards(_backwards)
    return manager
