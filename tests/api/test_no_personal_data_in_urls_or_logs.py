"""Personal data never travels in a URL and never lands in a log line."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from perp_track.app import create_app
from perp_track.config import load_settings
from tests.api import authz
from tests.world import World

# Query or path parameter names that would carry personal data.
PERSONAL = re.compile(
    r"name|phone|email|mail|address|birth|street|city|postcode|zip|nrn|national", re.IGNORECASE
)
SECRETS = ("Isabelle", "Vandenberghe", "+32470555666", "Chaussee de Tongres 88", "isa@example.be")


def test_urls_carry_ids_only(tmp_path: Path) -> None:
    app = create_app(load_settings(env="test", database_url=f"sqlite:///{tmp_path}/u.sqlite3"))
    problems = []
    for endpoint in authz.endpoints(app):
        if authz.policy(endpoint) == authz.PUBLIC:
            continue
        for name in endpoint.params:
            if PERSONAL.search(name):
                problems.append(f"{endpoint.path}: path parameter {name!r}")
        for name in endpoint.handler.parsed_fn_signature.parameters:
            if PERSONAL.search(name):
                problems.append(f"{endpoint.method} {endpoint.path}: parameter {name!r}")
    assert not problems, "\n".join(problems)


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


async def test_no_personal_data_in_logs(api, world: World, all_logs) -> None:
    data = world.case_data().model_dump(mode="json")
    data["perpetrator"].update(first_name="Isabelle", last_name="Vandenberghe")
    data["victim"].update(
        phone="+32470555666", address="Chaussee de Tongres 88", email="isa@example.be"
    )
    r = await api.as_(world.ja, "POST", "/api/cases", json=data)
    assert r.status_code == 201
    case = r.json()
    await api.as_(world.ja, "GET", f"/api/cases/{case['id']}")
    await api.as_(world.sapv, "GET", "/api/sapv/victims")
    await api.as_(world.supervisor, "GET", f"/api/privacy/persons/{case['victim']['id']}/export")
    # Refused and malformed requests carrying personal data are not logged with it either.
    bad = {**data, "victim": {**data["victim"], "phone": "Isabelle +32470555666"}}
    assert (await api.as_(world.ja, "POST", "/api/cases", json=bad)).status_code == 400
    assert (await api.as_(world.officer, "POST", "/api/cases", json=data)).status_code == 403
    r = await api.client.post(
        "/api/auth/login", json={"email": "isa@example.be", "password": "Vandenberghe"}
    )
    assert r.status_code == 401
    text = "\n".join(
        f"{rec.name} {rec.getMessage()} {rec.exc_text or ''}" for rec in all_logs.records
    )
    assert all_logs.records, "the scenario logged nothing: the test would prove nothing"
    leaked = [s for s in SECRETS if s in text]
    assert not leaked, f"personal data in the logs: {leaked}"
