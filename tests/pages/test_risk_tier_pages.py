"""The supervisors' tier pages: add a tier (check your answers, then confirm), rename one, and
remove one only when nothing uses it; the names every page shows are the table's, in the
reader's language, and a change is seen by the very next request."""

from __future__ import annotations

from perp_track.audit.tables import AuditEntry
from perp_track.cases.rules import RiskLevel
from perp_track.risk import views
from perp_track.risk.tables import RiskPolicy
from tests.pages.conftest import Browser
from tests.world import World

EXTREME = {
    "tier": "extreme",
    "rank": "50",
    "names.fr": "Extrême",
    "names.nl": "Extreem",
    "names.en": "Extreme",
    "names.de": "Extrem",
    "attendance_alert_hours": "2",
    "redlist_priority": "1",
    "closed_loop": "on",
    "response_hours": "2",
    "evening_reminder_hour": "19",
    "call_task_days": "2",
    "sapv_update_days": "7",
    "reassess_days": "7",
}


async def _form_version(browser: Browser) -> str:
    return str((await RiskPolicy.select(RiskPolicy.version).first())["version"])


async def test_a_supervisor_adds_a_tier_in_two_steps(browser: Browser, world: World):
    await browser.login(world.supervisor.email)
    r = await browser.get("/risk-tiers/new")
    assert r.status_code == 200 and 'name="names.de"' in r.text
    version = await _form_version(browser)
    # A rank another tier has: said on its field, nothing saved.
    r = await browser.post("/risk-tiers/new", {**EXTREME, "rank": "40", "version": version})
    assert r.status_code == 409 and 'id="f-rank-error"' in r.text
    # A name left out: named on its field.
    r = await browser.post("/risk-tiers/new", {**EXTREME, "names.nl": "", "version": version})
    assert r.status_code == 422 and 'id="f-names-nl-error"' in r.text
    # Check your answers: nothing saved yet.
    r = await browser.post("/risk-tiers/new", {**EXTREME, "version": version})
    assert r.status_code == 200 and 'name="confirm"' in r.text and "Extreem" in r.text
    assert "extreme" not in await views.policy_map()
    r = await browser.post("/risk-tiers/new", {**EXTREME, "version": version, "confirm": "yes"})
    assert r.status_code == 303, r.text
    tiers = await views.policy_map()
    assert list(tiers)[-1] == "extreme" and tiers.name("extreme", "de") == "Extrem"
    assert await AuditEntry.count().where(AuditEntry.record_type == "risk_policy") == 1
    page = (await browser.get("/risk-policy")).text
    assert 'id="tier-extreme"' in page and "Extrême" in page


async def test_names_come_from_the_table_and_a_rename_shows_at_once(browser: Browser, world: World):
    case = await world.open_case(risk_level=RiskLevel.HIGH)
    await browser.login(world.ja.email)
    await browser.post("/language", {"language": "nl", "next": "/caseload"})
    page = (await browser.get("/caseload")).text
    assert case.reference in page and "Hoog" in page
    # An unknown tier in the filter: 422, named on the field, in Dutch.
    r = await browser.get("/caseload?risk=apocalyptic")
    assert r.status_code == 422 and 'id="f-risk-error"' in r.text
    assert "apocalyptic is geen risiconiveau" in r.text
    await browser.post("/logout", {})
    await browser.login(world.supervisor.email)
    version = await _form_version(browser)
    names = {
        "names.fr": "Haut",
        "names.nl": "Hoog (COL 15)",
        "names.en": "High",
        "names.de": "Hoch",
    }
    r = await browser.post("/risk-tiers/high/names", {**names, "version": version})
    assert r.status_code == 200 and 'name="confirm"' in r.text
    r = await browser.post(
        "/risk-tiers/high/names", {**names, "version": version, "confirm": "yes"}
    )
    assert r.status_code == 303, r.text
    await browser.post("/logout", {})
    await browser.login(world.ja.email)
    page = (await browser.get("/caseload")).text
    assert "Hoog (COL 15)" in page
    page = (await browser.get(f"/cases/{case.id}")).text
    assert "Hoog (COL 15)" in page


async def test_a_tier_in_use_is_not_removed_and_the_page_says_why(browser: Browser, world: World):
    await world.open_case(risk_level=RiskLevel.LOW)
    await browser.login(world.supervisor.email)
    r = await browser.get("/risk-tiers/low/remove")
    assert r.status_code == 200 and 'name="confirm"' not in r.text
    assert "error-summary" in r.text
    r = await browser.post("/risk-tiers/low/remove", {"version": await _form_version(browser)})
    assert r.status_code == 409 and "low" in await views.policy_map()
    # "severe": no case, no assessment, no alert.
    r = await browser.get("/risk-tiers/severe/remove")
    assert 'name="confirm"' in r.text
    r = await browser.post(
        "/risk-tiers/severe/remove", {"version": await _form_version(browser), "confirm": "yes"}
    )
    assert r.status_code == 303, r.text
    assert "severe" not in await views.policy_map()
    assert (await browser.get("/risk-tiers/severe/remove")).status_code == 404
