"""`perp-track serve`: how many web processes it asks uvicorn for."""

from __future__ import annotations

from typing import Any

import pytest
import uvicorn

from perp_track import cli


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append({"app": app, **kwargs}))
    monkeypatch.delenv("WEB_PROCESSES", raising=False)
    return calls


def test_one_web_process_by_default(started):
    assert cli.main(["serve", "--port", "8123"]) == 0
    (call,) = started
    assert call["app"] == "perp_track.app:create_app"
    assert call["factory"] is True
    assert call["workers"] == 1
    assert call["port"] == 8123
    assert call["ws"] == "none"


def test_web_processes_from_the_setting_or_the_flag(started, monkeypatch):
    monkeypatch.setenv("WEB_PROCESSES", "2")
    cli.main(["serve"])
    cli.main(["serve", "--workers", "3"])
    assert [call["workers"] for call in started] == [2, 3]


@pytest.mark.parametrize("value", ["0", "-1", "65", "two"])
def test_a_number_of_processes_out_of_range_is_refused(started, capsys, value):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["serve", "--workers", value])
    assert exit_.value.code == 2
    assert "--workers" in capsys.readouterr().err
    assert started == []
