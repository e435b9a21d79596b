"""The one Piccolo app: every table of the project, and the migrations folder."""

from __future__ import annotations

from piccolo.conf.apps import AppConfig, table_finder

from perp_track import paths

TABLE_MODULES = [
    "perp_track.orgs.tables",
    "perp_track.auth.tables",
    "perp_track.cases.tables",
    "perp_track.measures.tables",
    "perp_track.summons.tables",
    "perp_track.notify.tables",
    "perp_track.audit.tables",
    "perp_track.privacy.tables",
    "perp_track.redlist.tables",
    "perp_track.jobs.tables",
    "perp_track.ui.tables",
    "perp_track.idempotency.tables",
]

APP_CONFIG = AppConfig(
    app_name="perp_track",
    migrations_folder_path=str(paths.MIGRATIONS),
    table_classes=table_finder(modules=TABLE_MODULES, exclude_imported=True),
    migration_dependencies=[],
    commands=[],
)
