"""Piccolo's configuration, read by `perp-track migrate` and the piccolo CLI."""

from __future__ import annotations

from piccolo.conf.apps import AppRegistry

from perp_track.config import load_settings
from perp_track.db import make_engine

DB = make_engine(load_settings())

APP_REGISTRY = AppRegistry(apps=["perp_track.piccolo_app"])
