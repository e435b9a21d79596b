"""One telling of a case event for the printed report and the data export, in their language."""

from __future__ import annotations

from babel.dates import format_datetime

from perp_track.privacy.export import export_person
from perp_track.summons.schemas import SummonsCreate
from perp_track.summons.services import schedule_summons
from tests.world import World


async def _case_with_a_summons(world: World):  # type: ignore[no-untyped-def]
    case = await world.open_case()
    at = world.soon(days=3)
    await schedule_summons(
        actor=world.ja, case_id=case.id, data=SummonsCreate(scheduled_at=at), clock=world.clock
    )
    return case, at


async def test_the_printed_report_tells_events_in_its_language_never_in_english(
    browser, world: World, settings
):
    case, at = await _case_with_a_summons(world)
    await browser.login(world.ja.email)
    today = world.today()
    period = {"period_from": today.replace(day=1).isoformat(), "period_to": today.isoformat()}
    for lang, opened, scheduled in (
        ("fr", "Niveau de risque : Élevé.", "En personne, le"),
        ("nl", "Risiconiveau: Hoog.", "Ter plaatse, op"),
    ):
        report = await browser.get(f"/cases/{case.id}/report", params={**period, "lang": lang})
        assert report.status_code == 200
        assert opened in report.text, (lang, report.text[-3000:])
        when = format_datetime(at.astimezone(settings.tz), format="short", locale=lang)
        assert f"{scheduled} {when}." in report.text
        assert "Case opened on a mandate" not in report.text
        assert "Summons scheduled" not in report.text
        assert "anglais" not in report.text and "Engels" not in report.text


async def test_the_export_tells_each_event_in_the_cases_language(world: World):
    case, _ = await _case_with_a_summons(world)
    export = await export_person(
        actor=world.supervisor, person_id=case.perpetrator.id, clock=world.clock
    )
    (held,) = export.cases
    texts = [e["text"] for e in held.timeline]
    assert texts[0] == "Niveau de risque : Élevé."
    assert texts[1].startswith("En personne, le ")
    assert all(e["kind"] for e in held.timeline)
