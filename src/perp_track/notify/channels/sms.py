"""SMS through the official Twilio SDK, pointed at TWILIO_API_BASE_URL (Twilio, a stand-in)."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import aiohttp
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from perp_track.config import Settings
from perp_track.notify import rules
from perp_track.notify.channels import Failure, LookupFailed, SendError, SmsReceipt

TWILIO_API = "https://api.twilio.com"
# Clocks differ: a look-up starts this much before the attempt it looks for.
LOOKUP_MARGIN = timedelta(minutes=2)
LOOKUP_PAGE_SIZE = 200
STATUS_CALLBACK_PATH = "/api/twilio/status"


class RebasedHttpClient(AsyncTwilioHttpClient):
    """The SDK's aiohttp client, sending to another base URL (tests, staging), with a timeout.

    The SDK's own client passes timeout=None to aiohttp, which means "wait for ever", and its
    `auth=` argument is deprecated by aiohttp: the request is made here instead.
    """

    def __init__(self, base_url: str, timeout: float) -> None:
        super().__init__(pool_connections=False, timeout=timeout)
        self.limit = aiohttp.ClientTimeout(total=timeout)
        # Twilio sets no cookie we need: no jar to fill and search on every request.
        self.session = aiohttp.ClientSession(
            timeout=self.limit, cookie_jar=aiohttp.DummyCookieJar()
        )
        self.base_url = base_url.rstrip("/")
        self._authorization: tuple[tuple[str, str], str] | None = None

    def _basic(self, auth: tuple[str, str]) -> str:
        if self._authorization is None or self._authorization[0] != auth:
            pair = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
            self._authorization = (auth, f"Basic {pair}")
        return self._authorization[1]

    async def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - the SDK's own signature
        allow_redirects: bool = False,
    ) -> Response:
        if url.startswith(TWILIO_API):
            url = self.base_url + url[len(TWILIO_API) :]
        headers = dict(headers or {})
        if auth is not None:
            headers["Authorization"] = self._basic(auth)
        body: bytes | None = None
        if data:
            # The form encoded once here, as the SDK's own clients do, not through FormData.
            body = urlencode(data, doseq=True).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        limit = self.limit if timeout is None else aiohttp.ClientTimeout(total=timeout)
        assert self.session is not None
        async with self.session.request(
            method.upper(),
            url,
            params=params,  # type: ignore[arg-type]
            data=body,
            headers=headers,
            timeout=limit,
            allow_redirects=allow_redirects,
        ) as response:
            text = await response.text()
            return Response(response.status, text, response.headers)


def classify(exc: BaseException) -> SendError:
    """What an exception from the SDK means for a retry (DOMAIN §6)."""
    if isinstance(exc, TwilioRestException):
        code = exc.code if isinstance(exc.code, int) else None
        if exc.status == 429 or code == rules.RATE_LIMITED_CODE:
            return SendError(Failure.RETRY, "rate limited by Twilio", code or 20429)
        if exc.status >= 500:
            return SendError(Failure.AMBIGUOUS, f"Twilio answered {exc.status}", code)
        if code in rules.PERMANENT_ERRORS:
            return SendError(Failure.PERMANENT, str(exc.msg), code)
        return SendError(Failure.REJECTED, str(exc.msg), code)
    if isinstance(exc, aiohttp.ClientConnectorError):
        # The connection was never made: the request did not leave.
        return SendError(Failure.RETRY, "could not connect to Twilio")
    if isinstance(exc, (TimeoutError, aiohttp.ClientError, TwilioException)):
        return SendError(Failure.AMBIGUOUS, f"no clear answer from Twilio ({type(exc).__name__})")
    raise exc


def exc_name(exc: BaseException) -> str:
    if isinstance(exc, TwilioRestException):
        return f"HTTP {exc.status}"
    return type(exc).__name__


class TwilioSms:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.http = RebasedHttpClient(settings.twilio_api_base_url, settings.twilio_timeout_seconds)
        self.client = Client(
            settings.twilio_account_sid, settings.twilio_auth_token, http_client=self.http
        )
        self.status_callback = settings.public_base_url + STATUS_CALLBACK_PATH

    async def send(self, *, to: str, body: str, validity_period: int | None) -> SmsReceipt:
        kwargs: dict[str, Any] = {"to": to, "body": body, "status_callback": self.status_callback}
        if self.settings.twilio_messaging_service_sid:
            kwargs["messaging_service_sid"] = self.settings.twilio_messaging_service_sid
        else:
            kwargs["from_"] = self.settings.twilio_from
        if validity_period is not None:
            kwargs["validity_period"] = validity_period
        try:
            message = await self.client.messages.create_async(**kwargs)
        except (TwilioException, aiohttp.ClientError, TimeoutError) as exc:
            raise classify(exc) from exc
        return SmsReceipt(sid=str(message.sid), status=str(message.status or "queued"))

    async def find(self, *, to: str, body: str, since: datetime) -> SmsReceipt | None:
        """Twilio's message list for this number since the attempt (newest first, every page).

        Found: that message. Not found, every page read: None, proof that nothing was created.
        The list failing or timing out proves nothing: LookupFailed, and the caller asks again.
        """
        try:
            messages = await self.client.messages.list_async(
                to=to, date_sent_after=since - LOOKUP_MARGIN, page_size=LOOKUP_PAGE_SIZE
            )
        except (TwilioException, aiohttp.ClientError, TimeoutError) as exc:
            raise LookupFailed(f"Twilio's message list did not answer ({exc_name(exc)})") from exc
        for message in messages:
            if message.body == body:
                return SmsReceipt(sid=str(message.sid), status=str(message.status or "queued"))
        return None

    async def status(self, sid: str) -> SmsReceipt | None:
        try:
            message = await self.client.messages(sid).fetch_async()
        except (TwilioRestException, aiohttp.ClientError, TimeoutError):
            return None
        return SmsReceipt(sid=sid, status=str(message.status or "queued"))

    async def close(self) -> None:
        await self.http.close()
