"""The interpreter register, kept by supervisors, and booking one for a summons.

Supervisors list, add, change and take out of service the interpreters of their house; the
justice assistant books one when scheduling (pages/case.py) or later from the summons (here).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from perp_track.auth.rules import ActingUser, Role
from perp_track.cases import services as case_services
from perp_track.clock import Clock
from perp_track.errors import Conflict, Invalid
from perp_track.interpreters import bookings
from perp_track.interpreters import services as register
from perp_track.interpreters.schemas import (
    BookingIn,
    BookingRelease,
    InterpreterActive,
    InterpreterCreate,
    InterpreterRead,
    InterpreterUpdate,
)
from perp_track.summons import interpreter as summons_interpreter
from perp_track.summons import views as summons_views
from perp_track.summons.schemas import SummonsRead
from perp_track.ui import forms
from perp_track.ui.error_messages import field_errors
from perp_track.ui.i18n import gettext
from perp_track.ui.pages.auth import flash, see_other
from perp_track.ui.templating import page, page_language
from perp_track.web import requires

MESSAGE_LANGUAGES = ("fr", "nl", "en")


def _interpreter_data(flat: dict[str, str]) -> dict[str, Any]:
    data = forms.nest(flat)
    # An unticked box sends nothing: say "no" rather than leave it as it was.
    data["sworn"] = flat.get("sworn") == "yes"
    return data


class InterpreterPages(Controller):
    path = "/interpreters"
    guards = [requires(Role.SUPERVISOR, Role.ADMIN)]

    async def _list(
        self,
        request: Request,
        actor: ActingUser,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        found = await register.list_interpreters(actor=actor)
        return await page(
            request,
            "interpreters/list.html",
            status_code=status_code,
            interpreters=found,
            errors=errors or {},
        )

    @get("/")
    async def list_page(self, request: Request, actor: NamedDependency[ActingUser]) -> Template:
        return await self._list(request, actor)

    async def _form(
        self,
        request: Request,
        interpreter: InterpreterRead | None,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        return await page(
            request,
            "interpreters/form.html",
            status_code=status_code,
            interpreter=interpreter,
            values=values,
            errors=errors,
            message_languages=MESSAGE_LANGUAGES,
        )

    @get("/new")
    async def new(self, request: Request) -> Template:
        return await self._form(request, None, {"sworn": ""}, {})

    @post("/new")
    async def add(
        self,
        request: Request,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        flat = forms.values(await request.form())
        try:
            data = forms.parse(InterpreterCreate, _interpreter_data(flat))
            added = await register.add_interpreter(actor=actor, data=data, clock=clock)
        except forms.FormInvalid as exc:
            return await self._form(request, None, flat, exc.errors, 422)
        except (Invalid, Conflict) as exc:
            return await self._form(request, None, flat, field_errors(request, exc), 422)
        target = f"interpreter-{added.id}"
        lang = page_language(request)
        await flash(request, gettext(lang, "Interpreter added to the register."), target=target)
        return see_other(f"/interpreters#{target}")

    @get("/{interpreter_id:int}")
    async def edit(
        self, request: Request, interpreter_id: FromPath[int], actor: NamedDependency[ActingUser]
    ) -> Template:
        found = await register.read_interpreter(actor=actor, interpreter_id=interpreter_id)
        values = {
            k: "" if v is None else str(v)
            for k, v in found.model_dump().items()
            if k not in {"sworn", "active"}
        }
        values["sworn"] = "yes" if found.sworn else ""
        return await self._form(request, found, values, {})

    @post("/{interpreter_id:int}")
    async def change(
        self,
        request: Request,
        interpreter_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        found = await register.read_interpreter(actor=actor, interpreter_id=interpreter_id)
        flat = forms.values(await request.form())
        try:
            data = _interpreter_data(flat)
            # A field emptied on the form is emptied in the register (phone, organisation).
            for optional in ("phone", "organisation"):
                data.setdefault(optional, None)
            update = forms.parse(InterpreterUpdate, data)
            await register.update_interpreter(
                actor=actor, interpreter_id=interpreter_id, data=update, clock=clock
            )
        except forms.FormInvalid as exc:
            return await self._form(request, found, flat, exc.errors, 422)
        except (Invalid, Conflict) as exc:
            return await self._form(request, found, flat, field_errors(request, exc), 422)
        target = f"interpreter-{interpreter_id}"
        await flash(request, gettext(page_language(request), "Changes saved."), target=target)
        return see_other(f"/interpreters#{target}")

    @post("/{interpreter_id:int}/active")
    async def set_active(
        self,
        request: Request,
        interpreter_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        flat = forms.values(await request.form())
        try:
            data = forms.parse(InterpreterActive, forms.nest(flat))
            done = await register.set_active(
                actor=actor, interpreter_id=interpreter_id, data=data, clock=clock
            )
        except forms.FormInvalid as exc:
            return await self._list(request, actor, exc.errors, 422)
        except (Invalid, Conflict) as exc:
            return await self._list(request, actor, field_errors(request, exc), 422)
        lang = page_language(request)
        message = "Back in service." if done.active else "Taken out of service."
        target = f"interpreter-{interpreter_id}"
        await flash(request, gettext(lang, message), target=target)
        return see_other(f"/interpreters#{target}")


class SummonsInterpreterPages(Controller):
    path = "/summons/{summons_id:int}/interpreter"
    guards = [requires(Role.JUSTICE_ASSISTANT, Role.SUPERVISOR)]

    async def _form(
        self,
        request: Request,
        actor: ActingUser,
        summons: SummonsRead,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        case = await case_services.read_case(actor=actor, case_id=summons.case_id)
        language = await bookings.language_needed(
            {
                "justice_house": case.justice_house.id,
                "interpreter_language": case.interpreter_language,
                "language": case.language,
            },
            summons.interpreter_language,
        )
        choices = (
            await register.list_interpreters(actor=actor, language=language, active_only=True)
            if language
            else []
        )
        return await page(
            request,
            "summons/interpreter.html",
            status_code=status_code,
            case=case,
            summons=summons,
            language=language,
            choices=choices,
            values=values or {},
            errors=errors or {},
        )

    @get("/")
    async def form(
        self, request: Request, summons_id: FromPath[int], actor: NamedDependency[ActingUser]
    ) -> Template:
        summons = await summons_views.read_summons(actor=actor, summons_id=summons_id)
        return await self._form(request, actor, summons)

    @post("/")
    async def book(
        self,
        request: Request,
        summons_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        summons = await summons_views.read_summons(actor=actor, summons_id=summons_id)
        flat = forms.values(await request.form())
        try:
            data = forms.parse(BookingIn, forms.nest(flat))
            done = await summons_interpreter.book_interpreter(
                actor=actor, summons_id=summons_id, data=data, clock=clock
            )
        except forms.FormInvalid as exc:
            return await self._form(request, actor, summons, flat, exc.errors, 422)
        except (Invalid, Conflict) as exc:
            errors = field_errors(request, exc)
            return await self._form(request, actor, summons, flat, errors, 422)
        target = f"summons-{summons_id}"
        message = gettext(page_language(request), "Interpreter booked: they will get an e-mail.")
        await flash(request, message, target=target)
        return see_other(f"/cases/{done.case_id}#{target}")

    @post("/release")
    async def release(
        self,
        request: Request,
        summons_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        summons = await summons_views.read_summons(actor=actor, summons_id=summons_id)
        flat = forms.values(await request.form())
        try:
            data = forms.parse(BookingRelease, forms.nest(flat))
            done = await summons_interpreter.release_interpreter(
                actor=actor, summons_id=summons_id, data=data, clock=clock
            )
        except forms.FormInvalid as exc:
            return await self._form(request, actor, summons, flat, exc.errors, 422)
        except (Invalid, Conflict) as exc:
            errors = field_errors(request, exc)
            return await self._form(request, actor, summons, flat, errors, 422)
        target = f"summons-{summons_id}"
        message = gettext(
            page_language(request), "The interpreter is no longer booked: they will get an e-mail."
        )
        await flash(request, message, target=target)
        return see_other(f"/cases/{done.case_id}#{target}")
