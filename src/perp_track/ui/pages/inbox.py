"""Every user's in-app inbox: read, acknowledge police feedback, choose one's channels."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.errors import Conflict, Invalid
from perp_track.inbox import services as inbox
from perp_track.inbox.schemas import PreferencesIn, PreferencesRead
from perp_track.ui import forms
from perp_track.ui.error_messages import form_errors
from perp_track.ui.i18n import gettext
from perp_track.ui.pages.auth import flash, see_other
from perp_track.ui.templating import page, page_language
from perp_track.web import requires

PAGE_SIZE = 20
CHANNELS = ("in_app", "email", "daily_digest")


def _values(prefs: PreferencesRead) -> dict[str, str]:
    return {name: "yes" if getattr(prefs, name) else "" for name in CHANNELS}


class InboxPages(Controller):
    guards = [requires(*tuple(Role))]

    @get("/inbox")
    async def list_messages(
        self,
        request: Request,
        actor: NamedDependency[ActingUser],
        unread: Annotated[bool, QueryParameter()] = False,
        page_number: Annotated[int, QueryParameter(name="page", ge=1, le=10_000)] = 1,
    ) -> Template:
        found = await inbox.list_inbox(
            actor=actor,
            unread_only=unread,
            limit=PAGE_SIZE,
            offset=(page_number - 1) * PAGE_SIZE,
        )
        return await page(
            request,
            "inbox/list.html",
            inbox=found,
            unread_only=unread,
            page_number=page_number,
            pages=max(1, -(-found.total // PAGE_SIZE)),
        )

    @post("/inbox/{notification_id:int}/read")
    async def mark_read(
        self,
        request: Request,
        notification_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Redirect:
        await inbox.mark_read(actor=actor, notification_id=notification_id, clock=clock)
        target = f"message-{notification_id}"
        await flash(
            request, gettext(page_language(request), "Message marked as read."), target=target
        )
        return see_other(f"/inbox#{target}")

    @post("/inbox/{notification_id:int}/acknowledge")
    async def acknowledge(
        self,
        request: Request,
        notification_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Redirect:
        await inbox.acknowledge(actor=actor, notification_id=notification_id, clock=clock)
        await inbox.mark_read(actor=actor, notification_id=notification_id, clock=clock)
        await flash(
            request,
            gettext(
                page_language(request),
                "Feedback acknowledged: the justice house knows you have read it.",
            ),
            target=f"message-{notification_id}",
        )
        return see_other(f"/inbox#message-{notification_id}")

    async def _preferences_form(
        self,
        request: Request,
        prefs: PreferencesRead,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        return await page(
            request,
            "inbox/preferences.html",
            status_code=status_code,
            prefs=prefs,
            values=values,
            errors=errors,
        )

    @get("/inbox/preferences")
    async def preferences(self, request: Request, actor: NamedDependency[ActingUser]) -> Template:
        prefs = await inbox.read_preferences(actor=actor)
        return await self._preferences_form(request, prefs, _values(prefs), {})

    @post("/inbox/preferences")
    async def save_preferences(
        self,
        request: Request,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        flat = forms.values(await request.form())
        # An unticked box is not sent at all: each channel is on only when its box came back.
        data = {name: flat.get(name) == "yes" for name in CHANNELS}
        try:
            await inbox.update_preferences(
                actor=actor,
                data=forms.parse(PreferencesIn, {**data, "version": flat.get("version")}),
                clock=clock,
            )
        except forms.FormInvalid as exc:
            prefs = await inbox.read_preferences(actor=actor)
            return await self._preferences_form(request, prefs, flat, exc.errors, 422)
        except (Invalid, Conflict) as exc:
            # Shown as they are saved now, so that one sees what the other change was.
            prefs = await inbox.read_preferences(actor=actor)
            return await self._preferences_form(
                request,
                prefs,
                _values(prefs),
                form_errors(request, exc),
                409 if isinstance(exc, Conflict) else 422,
            )
        await flash(request, gettext(page_language(request), "Your channels are saved."))
        return see_other("/inbox/preferences")
