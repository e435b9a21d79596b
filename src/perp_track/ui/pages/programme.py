"""Programme staff (Praxis): their sessions, the roll-call of a group, participants' progress,
and reporting a drop-out or an exclusion. Never a victim field: the services return none."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from perp_track.auth.rules import ActingUser, Role
from perp_track.clock import Clock
from perp_track.config import Settings
from perp_track.errors import Conflict, Invalid, NotFound
from perp_track.measures.rules import ConditionStatus, Interruption
from perp_track.summons.programme import roll_call
from perp_track.summons.programme import services as programme
from perp_track.summons.programme import views as programme_views
from perp_track.summons.programme.errors import ProgrammeError
from perp_track.summons.programme.schemas import (
    InterruptionIn,
    ReferralRead,
    RollCallIn,
    SessionCancelIn,
    SessionCreate,
    SessionRead,
)
from perp_track.summons.rules import NEEDS_REASON, Outcome, SessionKind, SessionStatus
from perp_track.ui import forms
from perp_track.ui.error_messages import form_errors
from perp_track.ui.i18n import N_, gettext
from perp_track.ui.pages.auth import flash, see_other
from perp_track.ui.templating import page, page_language
from perp_track.web import requires

# What a roll-call offers for each participant ("did not take place" is for the whole session).
ROLL_CALL_OUTCOMES = (
    Outcome.ATTENDED,
    Outcome.LATE,
    Outcome.ABSENT_VALID_REASON,
    Outcome.ABSENT_NO_VALID_REASON,
)
CONFIRM_REQUIRED = N_("Tick the box to confirm.")
REASON_REQUIRED = N_("Give the reason for this absence.")
CONCERN_REQUIRED = N_("Describe the concern.")
PAST_DAYS = 30
AHEAD_DAYS = 60
# Who may be expected at a new session: referrals still running (the service checks it too).
RUNNING = frozenset({ConditionStatus.PENDING, ConditionStatus.IN_PROGRESS})
DEFAULT_TITLE = N_("Group session")


def _reasons_missing(data: RollCallIn) -> dict[str, str]:
    """The service refuses these too; said here next to the person, in the page's language."""
    return {
        f"entries.{i}.reason": REASON_REQUIRED
        for i, entry in enumerate(data.entries)
        if entry.outcome in NEEDS_REASON and not (entry.reason or "").strip()
    }


def _concerns_undescribed(data: RollCallIn) -> dict[str, str]:
    """A concern needs its description (risk.rules.check_concern), said next to the person."""
    return {
        f"entries.{i}.concern_description": CONCERN_REQUIRED
        for i, entry in enumerate(data.entries)
        if entry.concern and not (entry.concern_description or "").strip()
    }


class ProgrammePages(Controller):
    guards = [requires(Role.PROGRAMME_STAFF)]

    @get("/sessions")
    async def sessions(
        self, request: Request, actor: NamedDependency[ActingUser], clock: NamedDependency[Clock]
    ) -> Template:
        now = clock.now()
        found = await programme_views.list_sessions(
            actor=actor,
            starts_from=now - timedelta(days=PAST_DAYS),
            starts_before=now + timedelta(days=AHEAD_DAYS),
        )
        to_record = [
            s
            for s in found
            if s.status == SessionStatus.SCHEDULED and s.roll_call_at is None and s.starts_at <= now
        ]
        coming = [s for s in found if s.starts_at > now and s.status != SessionStatus.CANCELLED]
        done = [s for s in found if s not in to_record and s not in coming]
        return await page(
            request,
            "programme/sessions.html",
            to_record=to_record,
            coming=coming,
            done=list(reversed(done)),
            past_days=PAST_DAYS,
            ahead_days=AHEAD_DAYS,
        )

    async def _new_session_form(
        self,
        request: Request,
        actor: ActingUser,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        referrals = [
            r
            for r in await programme_views.list_referrals(actor=actor)
            if r.status in RUNNING and r.interruption is None
        ]
        return await page(
            request,
            "programme/new_session.html",
            status_code=status_code,
            referrals=referrals,
            kinds=list(SessionKind),
            values=values,
            errors=errors,
        )

    @get("/sessions/new")
    async def new_session(self, request: Request, actor: NamedDependency[ActingUser]) -> Template:
        lang = page_language(request)
        values = {"kind": SessionKind.GROUP.value, "title": gettext(lang, DEFAULT_TITLE)}
        return await self._new_session_form(request, actor, values, {})

    @post("/sessions/new")
    async def schedule_session(
        self,
        request: Request,
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Template | Redirect:
        flat = forms.values(await request.form())
        try:
            data = forms.nest(flat)
            forms.localise_datetime(data, "starts_at", settings.tz)
            created = await programme.schedule_session(
                actor=actor, data=forms.parse(SessionCreate, data), clock=clock
            )
        except forms.FormInvalid as exc:
            return await self._new_session_form(request, actor, flat, exc.errors, 422)
        except (Invalid, Conflict) as exc:
            return await self._new_session_form(
                request,
                actor,
                flat,
                form_errors(request, exc),
                409 if isinstance(exc, Conflict) else 422,
            )
        await flash(request, gettext(page_language(request), "Session scheduled."))
        return see_other(f"/sessions/{created.id}")

    async def _cancel_form(
        self,
        request: Request,
        session: SessionRead,
        clock: Clock,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        return await page(
            request,
            "programme/cancel.html",
            status_code=status_code,
            session=session,
            cancellable=session.status == SessionStatus.SCHEDULED
            and session.starts_at > clock.now(),
            values=values,
            errors=errors,
        )

    @get("/sessions/{session_id:int}/cancel")
    async def cancel_form(
        self,
        request: Request,
        session_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template:
        """The confirmation: what is cancelled, who was expected, and the reason asked for."""
        session = await programme_views.read_session(actor=actor, session_id=session_id)
        return await self._cancel_form(request, session, clock, {}, {})

    @post("/sessions/{session_id:int}/cancel")
    async def cancel_session(
        self,
        request: Request,
        session_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        session = await programme_views.read_session(actor=actor, session_id=session_id)
        flat = forms.values(await request.form())
        try:
            await programme.cancel_session(
                actor=actor,
                session_id=session_id,
                data=forms.parse(SessionCancelIn, forms.nest(flat)),
                clock=clock,
            )
        except forms.FormInvalid as exc:
            return await self._cancel_form(request, session, clock, flat, exc.errors, 422)
        except (Invalid, Conflict) as exc:
            # Shown as the session is now: another tab may have cancelled or moved it.
            fresh = await programme_views.read_session(actor=actor, session_id=session_id)
            return await self._cancel_form(
                request,
                fresh,
                clock,
                flat,
                form_errors(request, exc),
                409 if isinstance(exc, Conflict) else 422,
            )
        await flash(request, gettext(page_language(request), "Session cancelled."))
        return see_other("/sessions")

    @get("/sessions/{session_id:int}")
    async def session_page(
        self,
        request: Request,
        session_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template:
        session = await programme_views.read_session(actor=actor, session_id=session_id)
        return await self._roll_call(request, session, clock, {}, {})

    async def _roll_call(
        self,
        request: Request,
        session: Any,
        clock: Clock,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        return await page(
            request,
            "programme/roll_call.html",
            status_code=status_code,
            session=session,
            started=session.starts_at <= clock.now(),
            outcomes=ROLL_CALL_OUTCOMES,
            needs_reason=[o.value for o in NEEDS_REASON],
            values=values,
            errors=errors,
        )

    @post("/sessions/{session_id:int}")
    async def save_roll_call(
        self,
        request: Request,
        session_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> Template | Redirect:
        session = await programme_views.read_session(actor=actor, session_id=session_id)
        flat = forms.values(await request.form())
        if flat.pop("fill", "") == str(Outcome.ATTENDED):
            # "Mark everyone present" without scripts: the form again, everyone not yet marked
            # set to present; nothing is saved until the roll-call itself is sent.
            for i in range(len(session.participants)):
                flat.setdefault(f"entries.{i}.outcome", str(Outcome.ATTENDED))
            return await self._roll_call(request, session, clock, flat, {})
        # An unchosen conduct is no conduct (the select's blank).
        sent = {k: v for k, v in flat.items() if not (k.endswith(".conduct") and not v)}
        try:
            data = forms.parse(RollCallIn, forms.nest(sent))
            if missing := _reasons_missing(data) | _concerns_undescribed(data):
                raise forms.FormInvalid(missing)
            await roll_call.save_roll_call(
                actor=actor,
                session_id=session_id,
                data=data,
                clock=clock,
                absence_threshold=settings.programme_absence_threshold,
            )
        except forms.FormInvalid as exc:
            return await self._roll_call(request, session, clock, flat, exc.errors, 422)
        except (Invalid, Conflict) as exc:
            # A version conflict shows the session as it is now, with what was typed kept.
            fresh = await programme_views.read_session(actor=actor, session_id=session_id)
            return await self._roll_call(
                request,
                fresh,
                clock,
                flat,
                form_errors(request, exc),
                409 if isinstance(exc, Conflict) else 422,
            )
        await flash(request, gettext(page_language(request), "Roll-call saved."))
        return see_other(f"/sessions/{session_id}")

    @get("/participants")
    async def participants(self, request: Request, actor: NamedDependency[ActingUser]) -> Template:
        referrals = await programme_views.list_referrals(actor=actor)
        return await page(request, "programme/participants.html", referrals=referrals)

    async def _referral(self, actor: ActingUser, condition_id: int) -> ReferralRead:
        for referral in await programme_views.list_referrals(actor=actor):
            if referral.condition_id == condition_id:
                return referral
        await programme_views.check_referral_access(actor, condition_id)
        raise NotFound(ProgrammeError.PARTICIPANT_NOT_FOUND, condition_id=condition_id)

    async def _interruption_form(
        self,
        request: Request,
        referral: ReferralRead,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        return await page(
            request,
            "programme/interruption.html",
            status_code=status_code,
            referral=referral,
            kinds=list(Interruption),
            values=values,
            errors=errors,
        )

    @get("/participants/{condition_id:int}/interruption")
    async def interruption_form(
        self, request: Request, condition_id: FromPath[int], actor: NamedDependency[ActingUser]
    ) -> Template:
        referral = await self._referral(actor, condition_id)
        return await self._interruption_form(request, referral, {}, {})

    @post("/participants/{condition_id:int}/interruption")
    async def report_interruption(
        self,
        request: Request,
        condition_id: FromPath[int],
        actor: NamedDependency[ActingUser],
        clock: NamedDependency[Clock],
    ) -> Template | Redirect:
        referral = await self._referral(actor, condition_id)
        form = await request.form()
        flat = forms.values(form)
        try:
            data = forms.parse(InterruptionIn, forms.nest(flat))
            if form.get("confirm") != "yes":
                raise forms.FormInvalid({"confirm": CONFIRM_REQUIRED})
            await programme.report_interruption(
                actor=actor, condition_id=condition_id, data=data, clock=clock
            )
        except forms.FormInvalid as exc:
            return await self._interruption_form(request, referral, flat, exc.errors, 422)
        except (Invalid, Conflict) as exc:
            return await self._interruption_form(
                request,
                referral,
                flat,
                form_errors(request, exc),
                409 if isinstance(exc, Conflict) else 422,
            )
        await flash(
            request,
            gettext(
                page_language(request),
                "Reported. The justice assistant, the police and the victim's support service "
                "are told that the programme was interrupted.",
            ),
        )
        return see_other("/participants")
