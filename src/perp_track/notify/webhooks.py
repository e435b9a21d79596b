"""Public endpoints: Twilio's callbacks (signed) and the signed acknowledgement link.

Twilio signs each request with the auth token over the URL it called and the form fields.
Behind a proxy the URL the app sees differs, so the signature is checked against
PUBLIC_BASE_URL + path. No setting turns the check off.
"""

from __future__ import annotations

import logging
from typing import Any
from xml.sax.saxutils import escape

from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency
from litestar.exceptions import PermissionDeniedException
from litestar.status_codes import HTTP_200_OK
from twilio.request_validator import RequestValidator

from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.notify import inbound

log = logging.getLogger("perp_track.notify")
TWIML = "application/xml"


async def _signed_form(request: Request, settings: Settings) -> dict[str, str]:
    form = await request.form()
    params: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    signature = request.headers.get("x-twilio-signature", "")
    url = settings.public_base_url + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    token = settings.twilio_auth_token
    if not (token and signature and RequestValidator(token).validate(url, params, signature)):
        raise PermissionDeniedException("invalid or missing X-Twilio-Signature")
    return params


def _twiml(message: str | None) -> Response[str]:
    body = f"<Message>{escape(message)}</Message>" if message else ""
    return Response(
        f'<?xml version="1.0" encoding="UTF-8"?><Response>{body}</Response>',
        media_type=TWIML,
        status_code=HTTP_200_OK,
    )


class TwilioWebhookController(Controller):
    path = "/api/twilio"
    tags = ["twilio"]
    include_in_schema = False

    @post("/status", status_code=HTTP_200_OK, summary="Twilio status callback")
    async def status(
        self,
        request: Request,
        settings: NamedDependency[Settings],
        clock: NamedDependency[Clock],
    ) -> Response[str]:
        form = await _signed_form(request, settings)
        sid = form.get("MessageSid") or form.get("SmsSid") or ""
        status = form.get("MessageStatus") or form.get("SmsStatus") or ""
        if sid and status:
            known = await inbound.record_status(
                sid=sid, status=status, error_code=form.get("ErrorCode"), now=clock.now()
            )
            if not known:
                # Often Twilio answering before the dispatcher wrote the outcome down.
                await inbound.keep_pending(
                    sid=sid, status=status, error_code=form.get("ErrorCode"), now=clock.now()
                )
        return _twiml(None)

    @post("/inbound", status_code=HTTP_200_OK, summary="An SMS received")
    async def receive(
        self,
        request: Request,
        settings: NamedDependency[Settings],
        clock: NamedDependency[Clock],
    ) -> Response[str]:
        form = await _signed_form(request, settings)
        reply = await inbound.handle_inbound(
            sid=form.get("MessageSid") or form.get("SmsSid") or "",
            sender=form.get("From", ""),
            body=form.get("Body", ""),
            now=clock.now(),
            settings=settings,
        )
        return _twiml(reply)
