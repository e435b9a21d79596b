"""The four seeded risk tiers get their rank and their names; the rank becomes unique.

Piccolo runs a migration's raw steps before its table steps, hence a migration of its own after
the one adding the columns. A tier added by hand before this ran (none could be: the level was a
fixed choice) would keep rank 0 and the names empty. Backwards drops the index and blanks the
ranks and names (the columns go with the previous migration).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Integer, Varchar
from piccolo.table import Table

ID = "2026-12-01T19:10:10:000000"
VERSION = "1.38.0"
DESCRIPTION = "Ranks and names of the seeded risk tiers"


class _RiskPolicy(Table, tablename="risk_policy"):
    tier = Varchar(length=16)
    rank = Integer()
    name_fr = Varchar(length=40)
    name_nl = Varchar(length=40)
    name_en = Varchar(length=40)
    name_de = Varchar(length=40)


# As risk.rules.DEFAULT_POLICY had them when this was written: tier, rank, fr, nl, en, de.
_TIERS = (
    ("low", 10, "Faible", "Laag", "Low", "Niedrig"),
    ("medium", 20, "Moyen", "Gemiddeld", "Medium", "Mittel"),
    ("high", 30, "Élevé", "Hoog", "High", "Hoch"),
    ("severe", 40, "Grave", "Ernstig", "Severe", "Sehr hoch"),
)


async def _name() -> None:
    for tier, rank, fr, nl, en, de in _TIERS:
        await _RiskPolicy.update(
            {
                _RiskPolicy.rank: rank,
                _RiskPolicy.name_fr: fr,
                _RiskPolicy.name_nl: nl,
                _RiskPolicy.name_en: en,
                _RiskPolicy.name_de: de,
            }
        ).where(_RiskPolicy.tier == tier)
    await _RiskPolicy.raw("CREATE UNIQUE INDEX risk_policy_rank_unique ON risk_policy (rank)")


async def _unname() -> None:
    await _RiskPolicy.raw("DROP INDEX IF EXISTS risk_policy_rank_unique")
    await _RiskPolicy.update(
        {
            _RiskPolicy.rank: 0,
            _RiskPolicy.name_fr: "",
            _RiskPolicy.name_nl: "",
            _RiskPolicy.name_en: "",
            _RiskPolicy.name_de: "",
        },
        force=True,
    )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="perp_track", description=DESCRIPTION)
    manager.add_raw(_name)
    manager.add_raw_backwards(_unname)
    return manager
