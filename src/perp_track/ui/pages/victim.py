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
from perp_track.config import Settings
from perp_track.errors import Conflict, Invalid
from perp_track.inbox import services as inbox
from perp_track.notify.rules import DetailLevel
from perp_track.safe_contact import services as safe_contact
from perp_track.safe_contact.phone import VictimPhoneIn, change_victim_phone
from perp_track.safe_contact.schemas import (
    ConsentIn,
    NumberActionIn,
    SafeContactRead,
    SafeContactUpdate,
)
from perp_track.ui import form_page, forms
from perp_track.ui.error_messages import form_errors
from perp_track.ui.form_page import Submitted
from perp_track.ui.i18n import N_, gettext
from perp_track.ui.pages.auth import flash, see_other
from perp_track.ui.sessions import LiveSession
from perp_track.ui.templating import page, page_language
from perp_track.web import requires

CONFIRM_REQUIRED = N_("Tick the box to confirm.")
CODE_GIVEN = N_(
    "Give her the code shown under “Her number” in person, never by message: she replies with it"
    " to the SMS she receives."
)
NO_CODE_WAITING = N_("No code is waiting: her number is confirmed, or her consent not recorded.")
# The flash that asks the page it lands on to show the code (the element it scrolls to).
CODE_TARGET = "number-code"
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
        supported = await safe_contact.list_victims(actor=actor)
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
        profile = await safe_contact.read_profile(actor=actor, victim_id=victim_id)
        history = await safe_contact.message_history(actor=actor, victim_id=victim_id)
        code = None
        session = request.scope.get("auth")
        # The code is shown when the page lands from an action that asked for it (recording her
        # consent, a new code, "show the code"): once, never kept in the session itself.
        if isinstance(session, LiveSession) and any(
            f.get("target") == CODE_TARGET for f in session.flash
        ):
            try:
                shown = await safe_contact.show_number_code(
                    actor=actor,
                    victim_id=victim_id,
                    clock=request.app.state.clock,
                    secret_key=request.app.state.settings.secret_key,
                )
                code = shown.code
            except Conflict:
                code = None
        return await page(
            request,
            "victims/detail.html",
            status_code=status_code,
            profile=profile,
            history=history,
            code=code,
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
            await safe_contact.update_profile(
                actor=actor, victim_id=victim_id, data=data, clock=clock
            )
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
        settings: NamedDependency[Settings],
    ) -> Template | Redirect:
        async def act(posted: Submitted) -> Redirect:
            data = forms.parse(VictimPhoneIn, forms.nest(posted.values))
            await change_victim_phone(
                actor=actor,
                victim_id=victim_id,
                data=data,
                clock=clock,
                secret_key=settings.secret_key,
            )
            lang = page_language(request)
            message = gettext(lang, "Her new number is saved; the old one receives nothing more.")
            profile = await safe_contact.read_profile(actor=actor, victim_id=victim_id)
            target = None
            if profile.number_status == "waiting":
                # While she consents, the new number too waits for her reply with a new code.
                message += " " + gettext(lang, CODE_GIVEN)
                target = CODE_TARGET
            await flash(request, message, target=target)
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
        settings: NamedDependency[Settings],
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
        target = None
        if action == "record":
            profile = await safe_contact.record_consent(
                actor=actor,
                victim_id=victim_id,
                data=data,
                clock=clock,
                secret_key=settings.secret_key,
            )
            message = gettext(lang, "Her consent to SMS is recorded.")
            if profile.number_status == "waiting":
                message += " " + gettext(lang, CODE_GIVEN)
                target = CODE_TARGET
        else:
            await safe_contact.revoke_consent(
                actor=actor, victim_id=victim_id, data=data, clock=clock
            )
            message = gettext(
                lang,
                "Her consent is revoked: nothing more is sent, waiting messages are withdrawn.",
            )
        await flash(request, message, target=target)
        return see_other(f"/victims/{victim_id}")

    async def _number_action(
        self,
        request: Request,
        victim_id: int,
        actor: ActingUser,
        action: Any,
    ) -> Template | Redirect | None:
        """Parse the version, run the action; the page again with the error on failure."""
        form = await request.form()
        try:
            data = forms.parse(NumberActionIn, {"version": str(form.get("version") or "")})
            await action(data)
        except forms.FormInvalid as exc:
            return await self._victim_page(request, actor, victim_id, None, exc.errors, 422)
        except (Invalid, Conflict) as exc:
            return await self._victim_page(
                request,
                actor,
                victim_id,
                None,
                {"number": form_errors(request, exc).pop("__all__", "")},
                409 if isinstance(exc, Conflict) else 422,
            )
        return None

    @post("/victims/{victim_id:int}/number/resend")
    async def resend_number_request(
        self,
        request: Request,
        victim_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        async def resend(data: NumberActionIn) -> None:
            await safe_contact.resend_number_request(
                actor=actor, victim_id=victim_id, data=data, clock=clock
            )

        failed = await self._number_action(request, victim_id, actor, resend)
        if failed is not None:
            return failed
        lang = page_language(request)
        await flash(
            request,
            gettext(lang, "The request is sent to her number again, within her safe hours."),
            target="number",
        )
        return see_other(f"/victims/{victim_id}")

    @post("/victims/{victim_id:int}/number/new-code")
    async def new_number_code(
        self,
        request: Request,
        victim_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Template | Redirect:
        async def renew(data: NumberActionIn) -> None:
            await safe_contact.new_number_code(
                actor=actor,
                victim_id=victim_id,
                data=data,
                clock=clock,
                secret_key=settings.secret_key,
            )

        failed = await self._number_action(request, victim_id, actor, renew)
        if failed is not None:
            return failed
        lang = page_language(request)
        await flash(
            request,
            gettext(lang, "A new code is ready: the old one no longer works.")
            + " "
            + gettext(lang, CODE_GIVEN),
            target=CODE_TARGET,
        )
        return see_other(f"/victims/{victim_id}")

    @post("/victims/{victim_id:int}/number/code")
    async def show_number_code(
        self,
        request: Request,
        victim_id: FromPath[int],
        actor: NamedDependency[ActingUser],
    ) -> Template | Redirect:
        profile = await safe_contact.read_profile(actor=actor, victim_id=victim_id)
        if profile.number_status != "waiting":
            return await self._victim_page(
                request, actor, victim_id, None, {"number": NO_CODE_WAITING}, 409
            )
        await flash(request, gettext(page_language(request), CODE_GIVEN), target=CODE_TARGET)
        return see_other(f"/victims/{victim_id}")
