from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from litestar import Litestar

from tests.world import PASSWORD


class Api:
    """An HTTP client on the ASGI app, in the test's own event loop, with per-user logins."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self._tokens: dict[str, str] = {}

    async def token(self, email: str) -> str:
        if email not in self._tokens:
            response = await self.client.post(
                "/api/auth/login", json={"email": email, "password": PASSWORD}
            )
            assert response.status_code == 200, response.text
            self._tokens[email] = response.json()["token"]
        return self._tokens[email]

    def forget_tokens(self) -> None:
        """After moving the clock past the token lifetime, log in again."""
        self._tokens.clear()

    async def as_(self, user, method: str, url: str, **kwargs) -> httpx.Response:  # type: ignore[no-untyped-def]
        headers = {"Authorization": f"Bearer {await self.token(user.email)}"}
        headers.update(kwargs.pop("headers", {}))
        return await self.client.request(method, url, headers=headers, **kwargs)


@pytest.fixture
async def api(app: Litestar) -> AsyncIterator[Api]:
    """On the test's app (see tests/conftest.py): its world, settings, clock and database."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield Api(client)
