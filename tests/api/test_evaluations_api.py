"""Reminder evaluations through HTTP: the JSON API (create, read, results, pause with its
version, errors that name their field) and the results page in French, Dutch and English."""

from __future__ import annotations

from datetime import timedelta

from perp_track.auth import rules as auth_rules
from perp_track.auth.tables import User
from perp_track.ui.middleware import SESSION_COOKIE
from perp_track.ui.sessions import start_session
from perp_track.ui.tables import WebSession
from tests.world import PASSWORD, World


def body(world: World, **overrides) -> dict:  # type: ignore[no-untyped-def]
    data = {
        "title": "Consequences against usual",
        "starts_at": world.clock.now().isoformat(),
        "ends_at": (world.clock.now() + timedelta(days=120)).isoformat(),
        "arms": [
            {"name": "Usual", "share": 50},
            {
                "name": "Consequences",
                "share": 50,
                "reminder_days": [3, 1],
                "morning": False,
                "send_hour": 18,
                "wording": "consequences",
            },
        ],
    }
    data.update(overrides)
    return data


async def _run_with_outcomes(api, world: World) -> dict:  # type: ignore[no-untyped-def]
    created = await api.as_(world.supervisor, "POST", "/api/evaluations", json=body(world))
    assert created.status_code == 201, created.text
    evaluation = created.json()
    assert evaluation["state"] == "running"
    assert [a["wording"] for a in evaluation["arms"]] == ["standard", "consequences"]
    assert evaluation["arms"][1]["reminder_days"] == [3, 1]
    made = []
    for _ in range(8):
        case = (await world.open_case()).id
        response = await api.as_(
            world.ja,
            "POST",
            f"/api/cases/{case}/summons",
            json={"scheduled_at": world.soon(1, hour=13).isoformat()},
        )
        assert response.status_code == 201, response.text
        made.append(response.json())
    world.clock.advance(timedelta(days=2))
    api.forget_tokens()
    for n, summons in enumerate(made):
        outcome = "absent_no_valid_reason" if n % 3 == 0 else "attended"
        response = await api.as_(
            world.ja,
            "POST",
            f"/api/summons/{summons['id']}/attendance",
            json={"outcome": outcome, "version": summons["version"]},
        )
        assert response.status_code in (200, 201), response.text
    return evaluation


async def test_a_two_arm_evaluation_through_the_api(api, world: World) -> None:
    evaluation = await _run_with_outcomes(api, world)
    read = await api.as_(world.supervisor, "GET", f"/api/evaluations/{evaluation['id']}")
    assert read.json()["assigned"] == 8
    results = await api.as_(world.supervisor, "GET", f"/api/evaluations/{evaluation['id']}/results")
    assert results.status_code == 200
    data = results.json()
    # The summons have no measure: all measures, then "no measure".
    assert [b["measure_kind"] for b in data["breakdowns"]] == ["all", "no_measure"]
    overall = data["breakdowns"][0]
    assert sum(a["total"] for a in overall["arms"]) == 8
    no_shows = [a["rates"]["absent_no_valid_reason"] for a in overall["arms"]]
    assert sum(r["count"] for r in no_shows) == 3
    for rate in no_shows:
        if rate["total"]:
            assert 0 <= rate["low"] <= rate["rate"] <= rate["high"] <= 1
    assert overall["arms"][0]["differences"] == {}
    assert overall["verdict"] == "too_few"
    assert data["min_per_arm"] == 100
    # Pausing needs the version read; a stale one changes nothing.
    stale = await api.as_(
        world.supervisor,
        "POST",
        f"/api/evaluations/{evaluation['id']}/pause",
        json={"version": evaluation["version"] + 5},
    )
    assert stale.status_code == 409
    paused = await api.as_(
        world.supervisor,
        "POST",
        f"/api/evaluations/{evaluation['id']}/pause",
        json={"version": evaluation["version"]},
    )
    assert paused.status_code == 200 and paused.json()["state"] == "paused"
    again = await api.as_(
        world.supervisor,
        "POST",
        f"/api/evaluations/{evaluation['id']}/pause",
        json={"version": paused.json()["version"]},
        headers={"Accept-Language": "fr"},
    )
    assert again.status_code == 409
    assert again.json()["code"] == "evaluation.not_allowed"
    assert "En pause" in again.json()["detail"]


async def test_bad_evaluations_are_refused_with_their_field(api, world: World) -> None:
    shares = body(world)
    shares["arms"][1]["share"] = 30
    refused = await api.as_(world.supervisor, "POST", "/api/evaluations", json=shares)
    assert refused.status_code == 422
    assert refused.json()["code"] == "evaluation.shares_total"
    assert refused.json()["params"]["field"] == "arms"
    wording = body(world)
    wording["arms"][1]["wording"] = "threatening"
    refused = await api.as_(world.supervisor, "POST", "/api/evaluations", json=wording)
    assert refused.json()["code"] == "evaluation.wording_unknown"
    assert refused.json()["params"]["field"] == "arms.1.wording"
    days = body(world)
    days["arms"][1]["reminder_days"] = [40]
    assert (
        await api.as_(world.supervisor, "POST", "/api/evaluations", json=days)
    ).status_code == 400
    for_ja = await api.as_(world.ja, "POST", "/api/evaluations", json=body(world))
    assert for_ja.status_code == 403
    listed = await api.as_(world.supervisor, "GET", "/api/evaluations")
    assert listed.json() == []
    wordings = await api.as_(world.supervisor, "GET", "/api/evaluations/wordings")
    assert wordings.json()[0] == "standard"
    assert {"plain", "consequences"} <= set(wordings.json())


async def test_the_results_page_in_three_languages(api, world: World) -> None:
    evaluation = await _run_with_outcomes(api, world)
    started = await start_session(
        email=world.supervisor.email,
        password=PASSWORD,
        clock=world.clock,
        lifetime=timedelta(hours=8),
    )
    assert await WebSession.exists().where(
        WebSession.token_hash == auth_rules.token_digest(started.token)
    )
    words = {
        "fr": ("Taux d'absence sans motif valable par bras", "Trop peu pour conclure."),
        "nl": ("Percentage afwezig zonder geldige reden per arm", "Te weinig om te besluiten."),
        "en": ("No-show rate per arm", "Too few to conclude."),
    }
    for lang, expected in words.items():
        await User.update({User.language: lang}).where(User.id == world.supervisor.id)
        page = await api.client.get(
            f"/evaluations/{evaluation['id']}",
            headers={"Cookie": f"{SESSION_COOKIE}={started.token}"},
        )
        assert page.status_code == 200, page.text
        assert f'lang="{lang}"' in page.text
        for text in expected:
            assert text.replace("'", "&#39;") in page.text or text in page.text, (lang, text)
        assert "<svg" in page.text and "chart" in page.text
        csv = await api.client.get(
            f"/evaluations/{evaluation['id']}/results.csv",
            headers={"Cookie": f"{SESSION_COOKIE}={started.token}"},
        )
        assert csv.status_code == 200
        lines = csv.text.strip().splitlines()
        assert lines[0].startswith("measure_kind,arm,category,count,total,rate")
        assert len(lines) == 1 + 2 * 2 * 4  # (all, no_measure) x two arms x four outcomes
