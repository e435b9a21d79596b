"""Litestar dependencies: the acting user, the clock and the settings, from one place."""

from __future__ import annotations

from litestar import Request
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import NotAuthorizedException

from perp_track.auth.rules import ActingUser
from perp_track.clock import Clock
from perp_track.config import Settings


def provide_actor(request: Request) -> ActingUser:
    user = request.scope.get("user")
    if not isinstance(user, ActingUser):
        raise NotAuthorizedException("log in first")
    return user


def provide_clock(state: State) -> Clock:
    return state.clock


def provide_settings(state: State) -> Settings:
    return state.settings


DEPENDENCIES = {
    "actor": Provide(provide_actor, sync_to_thread=False),
    "clock": Provide(provide_clock, sync_to_thread=False),
    "settings": Provide(provide_settings, sync_to_thread=False),
}
