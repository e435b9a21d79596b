"""Run the Piccolo migrations of the one app, forwards or backwards, on DATABASE_URL."""

from __future__ import annotations

import os

from perp_track.config import Settings

APP = "perp_track"


async def migrate(settings: Settings, *, backwards_to: str | None = None) -> bool:
    """Forwards to the newest migration, or backwards ('all' undoes every one)."""
    # Piccolo finds its engine through PICCOLO_CONF; ours builds it from the same settings.
    os.environ["PICCOLO_CONF"] = "perp_track.piccolo_conf"
    os.environ["DATABASE_URL"] = settings.database_url
    if settings.is_sqlite:
        settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    if backwards_to is None:
        from piccolo.apps.migrations.commands.forwards import run_forwards

        result = await run_forwards(app_name=APP, migration_id="all")
    else:
        from piccolo.apps.migrations.commands.backwards import run_backwards

        result = await run_backwards(app_name=APP, migration_id=backwards_to, auto_agree=True)
    return bool(result.success)
