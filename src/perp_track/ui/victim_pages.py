"""The SAPV contact's pages: the victims she supports, each one's consent and safe-contact
profile with the safety reasons beside each choice, and the messages each victim was sent."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.notify import inbox, profiles, victim_phone
from perp_track.notify.rules import DetailLevel
from perp_track.notify.schemas import ConsentIn, SafeContactRead, SafeContactUpdate
from perp_track.notify.victim_phone import VictimPhoneIn
from perp_track.ui import form_page, forms
from perp_track.ui.auth_pages import flash, see_other
from perp_track.ui.form_page import Submitted
from perp_track.ui.i18n import N_, gettext
from perp_track.ui.templating import page, page_language
from perp_track.web import requires

CONFIRM_REQUIRED = N_("Tick the box to confirm.")
# The languages a victim's SMS can be written in (the templates exist in each).
VICTIM_LANGUAGES = ("fr", "nl", "de", "en")
_YES_NO = {"yes": True, "no": False}


def _profile_data(flat: dict[str, str]) -> dict[str, Any]:
    """Yes/no radios become booleans; an empty safe-hour clears nothing (the API keeps it)."""
    data: dict[str, Any] = forms.nest(flat)
    for name in ("sms_allowed", "show_sender"):
        if name in data:
            data[name] = _YES_NO.get(str(data[name]), data[name])
    if flat.get("remove_code_word") == "yes":
        data["code_word"] = ""
    data.pop("remove_code_word", None)
    return data


def _profile_values(profile: SafeContactRead) -> dict[str, str]:
    return {
        "sms_allowed": "yes" if profile.sms_allowed else "no",
        "safe_from": profile.safe_from or "",
        "safe_until": profile.safe_until or "",
        "detail_level": str(profile.detail_level),
        "language": profile.language,
        "show_sender": "yes" if profile.show_sender else "no",
    }


class VictimPages(Controller):
    guards = [requires(Role.SAPV_CONTACT)]

    @get("/victims")
    async def victims(self, request: Request, actor: NamedDependency[ActingUser]) -> Template:
        supported = await profiles.list_victims(actor=actor)
        urgent = await inbox.list_inbox(actor=actor, unread_only=True, limit=50, offset=0)
        return await page(
            request,
            "victims/list.html",
            victims=supported,
            alerts=[item for item in urgent.items if item.urgent],
        )

    async def _victim_page(
        self,
        request: Request,
        actor: ActingUser,
        victim_id: int,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        profile = await profiles.read_profile(actor=actor, victim_id=victim_id)
        history = await profiles.message_history(actor=actor, victim_id=victim_id)
        return await page(
            request,
            "victims/detail.html",
            status_code=status_code,
            profile=profile,
            history=history,
            values=values if values is not None else _profile_values(profile),
            errors=errors or {},
            detail_levels=list(DetailLevel),
            languages=VICTIM_LANGUAGES,
        )

    @get("/victims/{victim_id:int}")
    async def victim(
        self, request: Request, victim_id: FromPath[int], actor: NamedDependency[ActingUser]
    ) -> Template:
        return await self._victim_page(request, actor, victim_id)

    @post("/victims/{victim_id:int}/profile")
    async def update_profile(
        self,
        request: Request,
        victim_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        async def act(posted: Submitted) -> Redirect:
            data = forms.parse(SafeContactUpdate, _profile_data(posted.values))
            await profiles.update_profile(actor=actor, victim_id=victim_id, data=data, clock=clock)
            await flash(request, gettext(page_language(request), "Safe-contact profile saved."))
            return see_other(f"/victims/{victim_id}")

        async def again(values: dict[str, str], errors: dict[str, str], status: int) -> Template:
            return await self._victim_page(request, actor, victim_id, values, errors, status)

        return await form_page.submit(request, act, again, on_field=False)

    @post("/victims/{victim_id:int}/phone")
    async def change_phone(
        self,
        request: Request,
        victim_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        async def act(posted: Submitted) -> Redirect:
            data = forms.parse(VictimPhoneIn, forms.nest(posted.values))
            await victim_phone.change_victim_phone(
                actor=actor, victim_id=victim_id, data=data, clock=clock
            )
            lang = page_language(request)
            await flash(
                request,
                gettext(lang, "Her new number is saved; the old one receives nothing more."),
            )
            return see_other(f"/victims/{victim_id}")

        async def again(values: dict[str, str], errors: dict[str, str], status: int) -> Template:
            return await self._victim_page(request, actor, victim_id, values, errors, status)

        return await form_page.submit(request, act, again)

    @post("/victims/{victim_id:int}/consent")
    async def consent(
        self,
        request: Request,
        victim_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        form = await request.form()
        action = str(form.get("action") or "")
        if form.get("confirm") != "yes" or action not in ("record", "revoke"):
            field = "confirm_" + (action if action in ("record", "revoke") else "record")
            return await self._victim_page(
                request, actor, victim_id, None, {field: CONFIRM_REQUIRED}, 422
            )
        try:
            data = forms.parse(ConsentIn, forms.nest({"note": str(form.get("note") or "")}))
        except forms.FormInvalid as exc:
            return await self._victim_page(request, actor, victim_id, None, exc.errors, 422)
        lang = page_language(request)
        if action == "record":
            await profiles.record_consent(actor=actor, victim_id=victim_id, data=data, clock=clock)
            message = gettext(lang, "Her consent to SMS is recorded.")
        else:
            await profiles.revoke_consent(actor=actor, victim_id=victim_id, data=data, clock=clock)
            message = gettext(
                lang,
                "Her consent is revoked: nothing more is sent, waiting messages are withdrawn.",
            )
        await flash(request, message)
        return see_other(f"/victims/{victim_id}")
