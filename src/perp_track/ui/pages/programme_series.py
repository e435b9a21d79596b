"""Programme staff schedule a weekly series of sessions: the form, the check of every date
(and of the weeks skipped) before anything is saved, then all the sessions at once."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.errors import Conflict, Invalid
from perp_track.summons.programme import rules as series_rules
from perp_track.summons.programme import series as programme_series
from perp_track.summons.programme import views as programme_views
from perp_track.summons.programme.schemas import SessionSeriesCreate
from perp_track.summons.rules import SessionKind
from perp_track.ui import dates, forms
from perp_track.ui.error_messages import form_errors
from perp_track.ui.i18n import N_, gettext
from perp_track.ui.pages.auth import flash, see_other
from perp_track.ui.pages.programme import DEFAULT_TITLE, RUNNING
from perp_track.ui.templating import page, page_language
from perp_track.web import requires

DEFAULT_COUNT = 21  # a Praxis programme's weekly group sessions (DOMAIN §3)
NOT_DATES = N_("Write each date as on a calendar, e.g. 24/12/2026, one per line.")
# 24/12/2026, 24-12-2026, 24.12.2026 (as Belgians write a date), or 2026-12-24.
_WRITTEN = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def _day(text: str) -> date | None:
    written = _WRITTEN.fullmatch(text)
    try:
        if written:
            day, month, year = (int(part) for part in written.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        return None


def _series_data(flat: dict[str, str]) -> dict[str, Any]:
    """The posted form as the schema's data: the ticked box, the dates to skip as a list."""
    data = forms.nest({k: v for k, v in flat.items() if k != "skip_dates"})
    data["skip_public_holidays"] = flat.get("skip_public_holidays") == "yes"
    days = []
    for part in flat.get("skip_dates", "").replace(",", "\n").replace(";", "\n").split():
        day = _day(part.strip())
        if day is None:
            raise forms.FormInvalid({"skip_dates": NOT_DATES})
        days.append(day.isoformat())
    data["skip_dates"] = days
    return data


class ProgrammeSeriesPages(Controller):
    guards = [requires(Role.PROGRAMME_STAFF)]

    async def _referrals(self, actor: ActingUser) -> list[Any]:
        return [
            r
            for r in await programme_views.list_referrals(actor=actor)
            if r.status in RUNNING and r.interruption is None
        ]

    async def _form(
        self,
        request: Request,
        actor: ActingUser,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
        focus: str = "",
    ) -> Template:
        return await page(
            request,
            "programme/new_series.html",
            status_code=status_code,
            referrals=await self._referrals(actor),
            kinds=list(SessionKind),
            values=values,
            errors=errors,
            focus=focus,
        )

    @get("/sessions/series/new")
    async def new_series(self, request: Request, actor: NamedDependency[ActingUser]) -> Template:
        values = {
            "kind": SessionKind.GROUP.value,
            "title": gettext(page_language(request), DEFAULT_TITLE),
            "count": str(DEFAULT_COUNT),
            "duration_minutes": "120",
            "skip_public_holidays": "yes",
        }
        return await self._form(request, actor, values, {})

    @post("/sessions/series/new")
    async def schedule_series(
        self,
        request: Request,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Template | Redirect:
        form = await request.form()
        flat = forms.values(form)
        if form.get("change"):
            return await self._form(request, actor, flat, {}, focus=str(form["change"]))
        lang = page_language(request)
        try:
            data = forms.parse(SessionSeriesCreate, _series_data(flat))
            if form.get("step") != "create":
                plan = programme_series.plan_series(data=data)
                starts = series_rules.local_starts(plan.dates, data.time, settings.tz)
                if starts[0] <= clock.now():
                    raise forms.FormInvalid(
                        {"first_date": N_("The first session must be in the future.")}
                    )
                chosen = set(data.participants)
                return await page(
                    request,
                    "programme/check_series.html",
                    values=flat,
                    data=data,
                    starts=starts,
                    # A public holiday by its name in the reader's language.
                    skipped=[
                        (s.day, (dates.day_off(s.day, language=lang) or ("", ""))[1])
                        if s.holiday
                        else (s.day, "")
                        for s in plan.skipped
                    ],
                    participants=[
                        r for r in await self._referrals(actor) if r.condition_id in chosen
                    ],
                )
            ids = await programme_series.schedule_series(
                actor=actor, data=data, clock=clock, tz=settings.tz
            )
        except forms.FormInvalid as exc:
            return await self._form(request, actor, flat, exc.errors, 422)
        except (Invalid, Conflict) as exc:
            errors = form_errors(request, exc)
            field = str(exc.extra.get("field") or "")
            if field and "__all__" in errors:
                errors[field] = errors.pop("__all__")
            return await self._form(
                request, actor, flat, errors, 409 if isinstance(exc, Conflict) else 422
            )
        held = programme_series.plan_series(data=data).dates[:1]
        first = series_rules.local_starts(held, data.time, settings.tz)[0]
        await flash(
            request,
            gettext(
                lang,
                "Weekly sessions scheduled: %(num)s, the first on %(first)s.",
                num=len(ids),
                first=dates.belgian_datetime(first, language=lang, tz=settings.tz),
            ),
            target="coming-title",
        )
        return see_other("/sessions#coming-title")
