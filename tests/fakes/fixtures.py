"""Fixtures for the notification tests: the fake Twilio, the local SMTP server, the channels.

Import them in a test module: `from tests.fakes.fixtures import *  # noqa: F403`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from litestar import Litestar

from perp_track.app import rebind
from perp_track.config import Settings, load_settings
from perp_track.notify.dispatch.batch import Channels
from tests.fakes.smtp import FakeSmtp
from tests.fakes.twilio import ACCOUNT_SID, AUTH_TOKEN, FROM, Callback, FakeTwilio


@pytest.fixture(scope="session")
def _twilio_server() -> Iterator[FakeTwilio]:
    fake = FakeTwilio(timeout_seconds=1.5).start()
    yield fake
    fake.stop()


@pytest.fixture
def twilio(_twilio_server: FakeTwilio) -> FakeTwilio:
    fake = _twilio_server
    fake.reset()
    fake.statuses = ("sent", "delivered")
    return fake


@pytest.fixture(scope="session")
def _smtp_server() -> Iterator[FakeSmtp]:
    server = FakeSmtp().start()
    yield server
    server.stop()


@pytest.fixture
def smtp(_smtp_server: FakeSmtp) -> FakeSmtp:
    _smtp_server.messages.clear()
    _smtp_server.handler.refuse.clear()
    return _smtp_server


@pytest.fixture
def twilio_client_timeout() -> float:
    """How long our Twilio client waits for an answer. Generous, so that a loaded machine never
    turns an ordinary answer into a timeout; a test that scripts a timeout asks for less than
    the fake's own delay (1.5 s) with `@pytest.mark.parametrize("twilio_client_timeout", [0.5])`.
    """
    return 5.0


@pytest.fixture
def notify_settings(
    settings: Settings, twilio: FakeTwilio, smtp: FakeSmtp, twilio_client_timeout: float
) -> Settings:
    return load_settings(
        env="test",
        database_url=settings.database_url,
        public_base_url=settings.public_base_url,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_from=FROM,
        twilio_api_base_url=twilio.base_url,
        twilio_timeout_seconds=twilio_client_timeout,
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        dispatch_backoff_seconds=60,
    )


@pytest.fixture
def notify_app(app: Litestar, notify_settings: Settings) -> Litestar:
    """The test's app (tests/conftest.py) with the notification settings: Twilio, SMTP."""
    return rebind(app, settings=notify_settings)


@pytest.fixture
async def channels(notify_settings: Settings) -> AsyncIterator[Channels]:
    channels = Channels.from_settings(notify_settings)
    yield channels
    await channels.close()


async def deliver(client: httpx.AsyncClient, callbacks: list[Callback]) -> list[int]:
    """Post Twilio's callbacks to the app, as Twilio would, signature and all."""
    codes = []
    for callback in callbacks:
        response = await client.post(
            urlsplit(callback.url).path,
            data=callback.params,
            headers={"X-Twilio-Signature": callback.signature},
        )
        codes.append(response.status_code)
    return codes


__all__ = [
    "_smtp_server",
    "_twilio_server",
    "channels",
    "deliver",
    "notify_app",
    "notify_settings",
    "smtp",
    "twilio",
    "twilio_client_timeout",
]
