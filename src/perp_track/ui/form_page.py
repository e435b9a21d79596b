"""The one shape of a page that takes a form: parse → error → re-render → redirect.

A page gives `submit` what it does with the posted values (`act`: parse them into the API's
schema, call one service, return the redirect, or a confirmation step to show) and how it shows
its form again (`again(values, errors, status)`). Everything a page must not get wrong is here,
once: the form is re-rendered with what the user typed, a pydantic error is named on its field
(422), a refused service call says its code in the reader's language, on the field it names when
the page wants that (422, or the page's status for a conflict), and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from litestar import Request
from litestar.response import Redirect, Template

from perp_track.errors import Conflict, DomainError, Invalid
from perp_track.ui import forms
from perp_track.ui.error_messages import form_errors


@dataclass(frozen=True, slots=True)
class Submitted:
    """What was posted: the values to show again, and whether the confirmation was given."""

    values: dict[str, str]
    confirmed: bool


Again = Callable[[dict[str, str], dict[str, str], int], Awaitable[Template]]
Act = Callable[[Submitted], Awaitable[Template | Redirect]]


def service_errors(request: Request, exc: DomainError, *, on_field: bool) -> dict[str, str]:
    """A service's refusal as the form's errors: on the field it names (on_field), else above."""
    errors = form_errors(request, exc)
    field = exc.extra.get("field")
    if on_field and field:
        return {str(field): errors.pop("__all__")}
    return errors


async def submit(
    request: Request,
    act: Act,
    again: Again,
    *,
    conflict_status: int = 409,
    on_field: bool = True,
) -> Template | Redirect:
    form = await request.form()
    posted = Submitted(values=forms.values(form), confirmed=form.get("confirm") == "yes")
    try:
        return await act(posted)
    except forms.FormInvalid as exc:
        return await again(posted.values, exc.errors, 422)
    except (Invalid, Conflict) as exc:
        status = conflict_status if isinstance(exc, Conflict) else 422
        return await again(posted.values, service_errors(request, exc, on_field=on_field), status)
