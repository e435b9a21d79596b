"""A browser-like client for the pages: cookies kept, CSRF token read from each form."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.world import PASSWORD

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    """Like a browser on the ASGI app: keeps its cookies, sends forms with their CSRF token."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.token = ""

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        response = await self.client.get(url, **kwargs)
        found = _TOKEN.search(response.text)
        if found:
            self.token = found.group(1)
        return response

    async def post(self, url: str, data: dict[str, str], *, token: bool = True, **kwargs: Any):  # type: ignore[no-untyped-def]
        form = {"csrf_token": self.token, **data} if token else data
        return await self.client.post(url, data=form, **kwargs)

    async def login(self, email: str, password: str = PASSWORD) -> httpx.Response:
        await self.get("/login")
        response = await self.post("/login", {"email": email, "password": password})
        await self.get("/")  # the session's own token replaces the pre-login one
        return response


@pytest.fixture
async def browser(app) -> AsyncIterator[Browser]:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
        yield Browser(client)


@pytest.fixture
async def other_browser(app) -> AsyncIterator[Browser]:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
        yield Browser(client)
