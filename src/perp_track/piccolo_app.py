"""The one Piccolo app: every table of the project, and the migrations folder."""

from __future__ import annotations

from piccolo.conf.apps import AppConfig, table_finder

from perp_track import paths
from perp_track.db import TABLE_MODULES

APP_CONFIG = AppConfig(
    app_name="perp_track",
    migrations_folder_path=str(paths.MIGRATIONS),
    table_classes=table_finder(modules=TABLE_MODULES, exclude_imported=True),
    migration_dependencies=[],
    commands=[],
)
