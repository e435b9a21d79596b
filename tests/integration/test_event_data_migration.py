"""Events recorded before they carried all their data are read back from their English summary;
what cannot be read keeps its sentence, marked as English."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from perp_track.cases.rules import EventKind
from perp_track.cases.tables import CaseEvent
from perp_track.i18n.events import describe
from tests.world import World

MIGRATION = (
    Path(__file__).resolve().parents[2] / "migrations" / "perp_track_2026_12_01t13_30_00_000000.py"
)
AT = "2026-03-01T09:00:00+00:00"


def _migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("event_data_migration", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


OLD_ROWS = [
    (
        EventKind.CONDITION_HOURS,
        "Community service: 3 h done (5/10). Park cleaning",
        {"condition_id": 7, "hours": 3, "done": 5, "due": 10},
    ),
    (
        EventKind.AUTHORITY_REPORT,
        "Report to the authority (periodic): 2026-01-01 to 2026-02-28",
        {"report_id": 1, "kind": "periodic"},
    ),
    (
        EventKind.SESSION_SCHEDULED,
        "Programme session scheduled (group)",
        {"session_id": 1, "condition_id": 7, "starts_at": AT},
    ),
    (
        EventKind.PROGRAMME_ATTENDANCE,
        "Programme session: late (Bus strike)",
        {"session_id": 1, "condition_id": 7, "outcome": "late", "starts_at": AT},
    ),
    (EventKind.VICTIM_CONSENT_REVOKED, "Victim's consent to SMS revoked: she asked", {"victim": 3}),
    (
        EventKind.SAFE_CONTACT_UPDATED,
        "Safe-contact profile updated: sms_allowed, language",
        {"victim": 3},
    ),
    # Not readable: the summary's shape is not one the services wrote.
    (
        EventKind.CONDITION_HOURS,
        "Hours logged by hand",
        {"condition_id": 7, "hours": 1, "done": 1, "due": 2},
    ),
    (EventKind.CASE_UPDATED, "Case updated: risk level raised", {}),
    (EventKind.SUMMONS_SCHEDULED, "(pseudonymised)", {}),
]


def test_a_summary_is_read_back_into_the_data():
    read_back = _migration().read_back
    assert read_back("session_cancelled", "Programme session cancelled (individual): Ill", {}) == {
        "session_kind": "individual"
    }
    assert read_back("victim_consent_recorded", "Victim's consent to SMS recorded", {}) == {
        "note": ""
    }
    assert read_back("condition_hours", "x", {"reason": "kept"}) is None  # already complete
    assert read_back("measure_added", "Measure added", {"kind": "probation"}) is None
    assert read_back("measure_updated", "Measure updated: notes", {}) == {
        "summary_en": "Measure updated: notes"
    }


async def test_old_rows_are_told_in_french_after_the_migration(world: World, database):
    case = await world.open_case()
    for kind, summary, data in OLD_ROWS:
        await CaseEvent(
            case=case.id, kind=kind, occurred_at=world.clock.now(), summary=summary, data=data
        ).save()
    migration = _migration()
    migration._CaseEvent._meta.db = database
    await migration._forwards()
    await migration._forwards()  # a second run changes nothing
    rows = (
        await CaseEvent.select(CaseEvent.kind, CaseEvent.data)
        .where(CaseEvent.kind != EventKind.CASE_OPENED)
        .order_by(CaseEvent.id)
        .output(load_json=True)
    )
    told = [describe(r, "fr", condition_kinds={7: "community_service"}) for r in rows]
    assert told[0].endswith(" Park cleaning") and told[0].startswith("Travail d")
    assert "1 janv. 2026" in told[1] and "28 févr. 2026" in told[1]
    assert told[2] == "Séance de groupe le 01/03/2026 10:00."
    assert told[3].endswith(" Bus strike")
    assert told[4].endswith(" she asked")
    assert told[5] == "Modifié : Langue, SMS autorisés."
    # Not readable: no English in French; the sentence kept, marked, for an English reader.
    assert told[6] == told[7] == told[8] == ""
    assert rows[6]["data"]["summary_en"] == "Hours logged by hand"
    assert describe(rows[7], "en") == "Case updated: risk level raised"
    assert "summary_en" not in rows[8]["data"]
