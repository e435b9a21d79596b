"""An error page tells a person what became of what they sent: saved, perhaps not, or nothing
to save; a database that does not answer is a 503 that says to wait, never a bare 500."""

from __future__ import annotations

from datetime import UTC, datetime

from perp_track import db
from perp_track.jobs.tables import JobOnce
from perp_track.ui import services as ui_services
from perp_track.ui.pages import case
from tests.pages.conftest import Browser
from tests.pages.test_case_pages import CASE_FORM
from tests.world import World


async def _commit_then_fail(**_: object) -> None:
    async with db.transaction():
        await JobOnce.insert(JobOnce(key="page:committed", created_at=datetime.now(UTC)))
    raise RuntimeError("after the commit")


async def _fail_before_commit(**_: object) -> None:
    async with db.transaction():
        await JobOnce.insert(JobOnce(key="page:rolled-back", created_at=datetime.now(UTC)))
        raise RuntimeError("inside the transaction")


async def _database_away(**_: object) -> None:
    raise TimeoutError("the pool gave up")


async def _open_case(browser: Browser, world: World):  # type: ignore[no-untyped-def]
    await browser.login(world.ja.email)
    await browser.get("/cases/new")
    return await browser.post("/cases/new", {**CASE_FORM, "duplicate": "go-on"})


async def test_a_change_saved_before_the_failure_says_so(browser, world: World, monkeypatch):
    monkeypatch.setattr(case.case_services, "open_case", _commit_then_fail)
    page = await _open_case(browser, world)
    assert page.status_code == 500
    assert await JobOnce.exists().where(JobOnce.key == "page:committed")
    assert "Votre modification a été enregistrée." in page.text
    assert "ne l'envoyez pas une seconde fois" in page.text
    assert "Rien n'a été enregistré" not in page.text


async def test_a_failure_before_the_commit_says_it_cannot_tell(browser, world: World, monkeypatch):
    monkeypatch.setattr(case.case_services, "open_case", _fail_before_commit)
    page = await _open_case(browser, world)
    assert page.status_code == 500
    assert not await JobOnce.exists().where(JobOnce.key == "page:rolled-back")
    assert "Nous ne pouvons pas dire si votre modification a été enregistrée" in page.text
    assert "Votre modification a été enregistrée." not in page.text


async def test_a_database_that_does_not_answer_is_a_503_that_says_to_wait(
    browser, world: World, monkeypatch
):
    await browser.login(world.ja.email)
    monkeypatch.setattr(ui_services, "dashboard", _database_away)
    page = await browser.get("/")
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "5"
    assert "text/html" in page.headers["content-type"]
    assert "n'arrive pas à joindre sa base de données" in page.text
