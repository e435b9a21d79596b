"""The link in a police feedback e-mail: a page of its own, in the officer's language.

GET only shows a button: mail scanners that open links must not acknowledge on the officer's
behalf. The POST acknowledges. Nobody is logged in here: the link's HMAC is the credential, so
the page shows nothing about the case.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, MediaType, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from litestar.status_codes import HTTP_200_OK, HTTP_404_NOT_FOUND

from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.inbox import services as inbox
from perp_track.notify.context import read_ack_token
from perp_track.ui import i18n
from perp_track.ui.rules import LANGUAGES, choose_language

_TEMPLATE = "police/acknowledge.html"


async def _language(request: Request, notification_id: int | None) -> str:
    officer = (
        await inbox.feedback_language(notification_id=notification_id)
        if notification_id is not None
        else None
    )
    return choose_language(
        profile=officer if officer in LANGUAGES else None,
        chosen=None,
        accept_language=request.headers.get("accept-language"),
    )


def _page(lang: str, state: str, *, token: str = "", status_code: int = HTTP_200_OK) -> Template:
    context: dict[str, Any] = {
        "lang": lang,
        "state": state,
        "action": f"/api/feedback/{token}" if token else "",
        **i18n.template_callables(lang),
    }
    return Template(template_name=_TEMPLATE, context=context, status_code=status_code)


class FeedbackLinkController(Controller):
    path = "/api/feedback"
    tags = ["inbox"]
    include_in_schema = False

    @get("/{token:str}", media_type=MediaType.HTML)
    async def show(
        self, request: Request, token: FromPath[str], settings: NamedDependency[Settings]
    ) -> Template:
        notification_id = read_ack_token(settings.secret_key, token)
        lang = await _language(request, notification_id)
        if notification_id is None:
            return _page(lang, "invalid", status_code=HTTP_404_NOT_FOUND)
        return _page(lang, "ask", token=token)

    @post("/{token:str}", status_code=HTTP_200_OK, media_type=MediaType.HTML)
    async def acknowledge(
        self,
        request: Request,
        token: FromPath[str],
        settings: NamedDependency[Settings],
        clock: NamedDependency[Clock],
    ) -> Template:
        notification_id = read_ack_token(settings.secret_key, token)
        lang = await _language(request, notification_id)
        if notification_id is None or not await inbox.acknowledge_by_link(
            notification_id=notification_id, clock=clock
        ):
            return _page(lang, "invalid", status_code=HTTP_404_NOT_FOUND)
        return _page(lang, "done")
