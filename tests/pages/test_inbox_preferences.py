"""Everyone chooses their channels on a page, with the version check every update has."""

from __future__ import annotations

from perp_track.inbox import services as inbox
from perp_track.notify.tables import NotificationPreference
from tests.pages.conftest import Browser
from tests.world import World


async def test_a_user_chooses_their_channels(
    browser: Browser, other_browser: Browser, world: World
):
    await browser.login(world.officer.email)
    assert 'href="/inbox/preferences"' in (await browser.get("/inbox")).text
    assert 'href="/inbox/preferences"' in (await browser.get("/profile")).text
    form = (await browser.get("/inbox/preferences")).text
    assert "<h1>Comment vous êtes informé(e)</h1>" in form
    assert 'name="version" value="1"' in form
    # Before any choice: in the app and by e-mail, no digest.
    assert 'name="in_app" value="yes" aria-describedby="f-in_app-hint" checked' in form
    assert 'name="email" value="yes" aria-describedby="f-email-hint" checked' in form
    assert 'name="daily_digest" value="yes" aria-describedby="f-daily_digest-hint">' in form

    # The same page open in a second tab, read at the same version.
    await other_browser.login(world.officer.email)
    await other_browser.get("/inbox/preferences")

    r = await browser.post(
        "/inbox/preferences", {"version": "1", "in_app": "yes", "daily_digest": "yes"}
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/inbox/preferences"
    saved = await inbox.read_preferences(actor=world.officer)
    assert (saved.in_app, saved.email, saved.daily_digest, saved.version) == (
        True,
        False,
        True,
        2,
    )
    page = (await browser.get("/inbox/preferences")).text
    assert "Vos canaux sont enregistrés." in page
    assert 'name="version" value="2"' in page

    # The older tab's form is refused, in French, and shows what is saved now.
    r = await other_browser.post(
        "/inbox/preferences", {"version": "1", "in_app": "yes", "email": "yes"}
    )
    assert r.status_code == 409
    assert "Quelqu&#39;un a modifié cet enregistrement" in r.text
    assert 'name="version" value="2"' in r.text
    assert 'name="email" value="yes" aria-describedby="f-email-hint">' in r.text
    assert (await inbox.read_preferences(actor=world.officer)).email is False
    assert await NotificationPreference.count() == 1


async def test_a_form_without_its_version_changes_nothing(browser: Browser, world: World):
    await browser.login(world.praxis.email)
    r = await browser.post("/inbox/preferences", {"in_app": "yes"})
    assert r.status_code == 422
    assert "error-summary" in r.text
    assert await NotificationPreference.count() == 0


async def test_each_user_sets_only_their_own_channels(browser: Browser, world: World):
    await browser.login(world.sapv.email)
    r = await browser.post("/inbox/preferences", {"version": "1", "email": "yes"})
    assert r.status_code == 303
    assert (await inbox.read_preferences(actor=world.sapv)).in_app is False
    # Nobody else's changed.
    assert (await inbox.read_preferences(actor=world.officer)).version == 1
