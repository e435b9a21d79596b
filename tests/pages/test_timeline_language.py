"""The case timeline reads in the reader's language; what its data cannot tell is left out,
never said in English."""

from __future__ import annotations

from babel.dates import format_datetime

from perp_track.cases.rules import EventKind
from perp_track.cases.tables import CaseEvent
from perp_track.summons.schemas import SummonsCreate
from perp_track.summons.services import schedule_summons
from tests.world import World


def _timeline(page: str) -> str:
    return page.split('id="timeline"')[1].split("</section>")[0]


async def test_a_french_reader_sees_a_french_timeline(browser, world: World, settings):
    case = await world.open_case()
    at = world.soon(days=3)
    await schedule_summons(
        actor=world.ja,
        case_id=case.id,
        data=SummonsCreate(scheduled_at=at),
        clock=world.clock,
    )
    await browser.login(world.ja.email)  # her profile says French
    timeline = _timeline((await browser.get(f"/cases/{case.id}")).text)
    when = format_datetime(at.astimezone(settings.tz), format="short", locale="fr")
    assert f"En personne, le {when}." in timeline
    assert "Summons scheduled (in person)" not in timeline
    assert 'lang="en"' not in timeline


async def test_an_entry_without_its_data_shows_its_title_never_english(browser, world: World):
    case = await world.open_case()
    # An older row: the kind has a French sentence, but its data is gone (pseudonymised).
    await CaseEvent(
        case=case.id,
        kind=EventKind.ATTENDANCE_OVERDUE,
        occurred_at=world.clock.now(),
        summary="Attendance not recorded 48 hours after the summons",
        data={},
    ).save()
    await browser.login(world.ja.email)
    timeline = _timeline((await browser.get(f"/cases/{case.id}")).text)
    assert "<strong>Présence non enregistrée</strong>" in timeline
    assert "Attendance not recorded" not in timeline
    assert 'lang="en"' not in timeline
