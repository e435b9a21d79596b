"""Public endpoints: Twilio's callbacks (signed) and the signed acknowledgement link.

Twilio signs each request with the auth token over the URL it called and the form fields.
Behind a proxy the URL the app sees differs, so the signature is checked against
PUBLIC_BASE_URL + path. No setting turns the check off.
"""

from __future__ import annotations

import html
import logging
from typing import Any
from xml.sax.saxutils import escape

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath
from litestar.status_codes import HTTP_200_OK, HTTP_404_NOT_FOUND
from twilio.request_validator import RequestValidator

from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.notify import inbound, inbox
from perp_track.notify.context import read_ack_token

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
        )
        return _twiml(reply)


_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>perp-track</title></head>'
    '<body style="font-family:sans-serif;max-width:36em;margin:2em auto">{}</body></html>'
)


class FeedbackLinkController(Controller):
    """The link in a police feedback e-mail. GET only shows a button: mail scanners that open
    links must not acknowledge on the officer's behalf. The POST acknowledges."""

    path = "/api/feedback"
    tags = ["inbox"]
    include_in_schema = False

    @get("/{token:str}", media_type=MediaType.HTML)
    async def show(self, token: FromPath[str], settings: NamedDependency[Settings]) -> Response:
        if read_ack_token(settings.secret_key, token) is None:
            return Response(_PAGE.format("<p>This link is not valid.</p>"), status_code=404)
        action = html.escape(f"/api/feedback/{token}")
        return Response(
            _PAGE.format(
                f'<form method="post" action="{action}"><p>Acknowledge this feedback?</p>'
                '<button type="submit">I have read it</button></form>'
            ),
            media_type=MediaType.HTML,
        )

    @post("/{token:str}", status_code=HTTP_200_OK, media_type=MediaType.HTML)
    async def acknowledge(
        self,
        token: FromPath[str],
        settings: NamedDependency[Settings],
        clock: NamedDependency[Clock],
    ) -> Response:
        notification_id = read_ack_token(settings.secret_key, token)
        if notification_id is None or not await inbox.acknowledge_by_link(
            notification_id=notification_id, clock=clock
        ):
            return Response(
                _PAGE.format("<p>This link is not valid.</p>"),
                status_code=HTTP_404_NOT_FOUND,
                media_type=MediaType.HTML,
            )
        return Response(
            _PAGE.format("<p>Thank you: the feedback is acknowledged.</p>"),
            media_type=MediaType.HTML,
        )
