"""The restriction of a case: who may see it, why; restrict it, lift it, change its list."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from perp_track.auth.rules import ActingUser, Role
from perp_track.cases.restriction import services
from perp_track.cases.restriction.rules import RestrictionReason
from perp_track.cases.restriction.schemas import NameIn, RestrictIn, UnrestrictIn
from perp_track.clock import Clock
from perp_track.errors import Conflict, Forbidden, Invalid
from perp_track.ui import forms
from perp_track.ui.error_messages import error_text
from perp_track.ui.i18n import N_, gettext
from perp_track.ui.pages.auth import flash, see_other
from perp_track.ui.templating import page, page_language
from perp_track.web import requires


def _errors(request: Request, exc: Invalid | Conflict | Forbidden) -> dict[str, str]:
    """A refused change as the form's errors: on the field it names, else for the whole form."""
    field = exc.params.get("field")
    return {str(field) if field else "__all__": error_text(page_language(request), exc)}


# A justice assistant reads the list; a supervisor keeps it (cases/restriction/rules.py).
_MANAGERS = requires(Role.SUPERVISOR)


class RestrictionPages(Controller):
    path = "/cases/{case_id:int}/restriction"
    guards = [requires(Role.JUSTICE_ASSISTANT, Role.SUPERVISOR)]

    async def _page(
        self,
        request: Request,
        actor: ActingUser,
        case_id: int,
        *,
        form: str = "",
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        restriction = await services.read_restriction(actor=actor, case_id=case_id)
        return await page(
            request,
            "cases/restriction.html",
            status_code=status_code,
            restriction=restriction,
            reasons=list(RestrictionReason),
            form=form,
            values=values or {},
            errors=errors or {},
        )

    @get("/")
    async def show(
        self, request: Request, case_id: FromPath[int], actor: NamedDependency[ActingUser]
    ) -> Template:
        return await self._page(request, actor, case_id)

    async def _act(
        self,
        request: Request,
        actor: ActingUser,
        case_id: int,
        form: str,
        act: Any,
        message: str,
    ) -> Template | Redirect:
        posted = await request.form()
        flat = forms.values(posted)
        data = forms.nest(flat)
        if form == "restrict":
            ticked = posted.getall("user_ids", [])  # no box ticked: the field is absent
            data["user_ids"] = [v for v in ticked if isinstance(v, str) and v.strip()]
            flat["user_ids"] = ",".join(data["user_ids"])
        try:
            await act(data)
        except forms.FormInvalid as exc:
            return await self._page(
                request, actor, case_id, form=form, values=flat, errors=exc.errors, status_code=422
            )
        except (Invalid, Conflict, Forbidden) as exc:
            status = (
                409 if isinstance(exc, Conflict) else 403 if isinstance(exc, Forbidden) else 422
            )
            return await self._page(
                request,
                actor,
                case_id,
                form=form,
                values=flat,
                errors=(
                    {"__all__": error_text(page_language(request), exc)}
                    if form == "remove"
                    else _errors(request, exc)
                ),
                status_code=status,
            )
        await flash(request, gettext(page_language(request), message), target="restriction")
        # Who took themselves off the list no longer sees the case: back to their cases.
        if form == "remove" and str(data.get("user_id")) == str(actor.id):
            return see_other("/cases")
        return see_other(f"/cases/{case_id}#restriction")

    @post("/", guards=[_MANAGERS])
    async def restrict(
        self,
        request: Request,
        case_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        async def act(data: dict[str, Any]) -> None:
            await services.restrict(
                actor=actor, case_id=case_id, data=forms.parse(RestrictIn, data), clock=clock
            )

        return await self._act(
            request,
            actor,
            case_id,
            "restrict",
            act,
            N_("The case is restricted: only the people on its list see it."),
        )

    @post("/lift", guards=[_MANAGERS])
    async def lift(
        self,
        request: Request,
        case_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        async def act(data: dict[str, Any]) -> None:
            await services.lift(
                actor=actor, case_id=case_id, data=forms.parse(UnrestrictIn, data), clock=clock
            )

        return await self._act(
            request,
            actor,
            case_id,
            "lift",
            act,
            N_("The restriction is lifted: the case is seen as the house's other cases."),
        )

    @post("/users", guards=[_MANAGERS])
    async def name_user(
        self,
        request: Request,
        case_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        async def act(data: dict[str, Any]) -> None:
            await services.name_user(
                actor=actor, case_id=case_id, data=forms.parse(NameIn, data), clock=clock
            )

        return await self._act(
            request, actor, case_id, "add", act, N_("The person was added to the list.")
        )

    @post("/users/remove", guards=[_MANAGERS])
    async def remove_user(
        self,
        request: Request,
        case_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        async def act(data: dict[str, Any]) -> None:
            await services.remove_user(
                actor=actor, case_id=case_id, data=forms.parse(NameIn, data), clock=clock
            )

        return await self._act(
            request, actor, case_id, "remove", act, N_("The person was taken off the list.")
        )
