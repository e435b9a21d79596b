"""The statutory statistics of a year of synthetic casework in two justice houses: the counts
against an independent count, small cells suppressed, who may export what, every export on the
audit trail, and no name, phone or reference in any export (JSON, CSV, page)."""

from __future__ import annotations

import csv
import io
from statistics import quantiles

import pytest

from perp_track.audit.tables import AuditEntry
from perp_track.auth.rules import Role
from perp_track.auth.services import create_user
from tests.integration.statutory_data import YEAR, Synthetic, build
from tests.world import PASSWORD, World

URL = "/api/statistics/statutory"
T = 5


@pytest.fixture
async def synthetic(world: World) -> Synthetic:
    return await build(
        houses=[world.orgs["jh"], world.orgs["jh2"]], created_by=world.ja.id, count=300
    )


async def _admin(world: World):  # type: ignore[no-untyped-def]
    return await create_user(
        email="admin.stat@test.example",
        full_name="Admin Stat",
        role=Role.ADMIN,
        organisation_id=world.orgs["jh"],
        password=PASSWORD,
        clock=world.clock,
    )


def _spread(days: list[int]) -> tuple[float, float, float] | None:
    if len(days) < T:
        return None
    q1, q2, q3 = quantiles(sorted(days), n=4, method="inclusive")
    return (round(q1, 1), round(q2, 1), round(q3, 1))


def _check_section(section: dict, synthetic: Synthetic, scope: int | None) -> tuple[int, int]:
    """Every published cell equals the independent count; every small count is hidden."""
    shown = hidden = 0
    expected = synthetic.expected
    for table in section["tables"]:
        for row, line in zip(table["rows"], table["cells"], strict=True):
            for column, cell in zip(table["columns"], line, strict=True):
                truth = expected.cells.get((scope, table["key"], row, column), 0)
                # Breach reports are events: protected by the number of bans behind them.
                people = truth
                if table["key"] == "bans" and column == "reports":
                    people = expected.cells.get((scope, "bans", row, "breached"), 0)
                where = (scope, table["key"], row, column, truth, cell)
                assert (cell["mark"] == "small") == (0 < people < T), where
                if cell["mark"] == "shown":
                    assert cell["value"] == truth, where
                    shown += 1
                else:
                    assert cell["mark"] == "complement" or 0 < people < T, where
                    assert cell["value"] is None, where
                    hidden += 1
    for key, groups in (
        ("measure_durations_days", expected.durations),
        ("days_to_first_summons", expected.delays),
    ):
        for spread in section[key]:
            days = groups.get((scope, spread["group"]), [])
            found = (spread["first_quartile"], spread["median"], spread["third_quartile"])
            want = _spread(days)
            assert found == (want or (None, None, None)), (key, spread, days)
            if spread["count"]["mark"] == "shown":
                assert spread["count"]["value"] == len(days)
    return shown, hidden


async def test_a_year_counts_true_with_small_cells_suppressed(api, world: World, synthetic):
    admin = await _admin(world)
    r = await api.as_(admin, "GET", URL, params={"year": YEAR})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["scope"] == "national" and body["threshold"] == T
    assert (body["period_from"], body["period_to"]) == (f"{YEAR}-01-01", f"{YEAR}-12-31")
    national, *houses = body["sections"]
    assert national["justice_house_id"] is None
    assert {h["justice_house_id"] for h in houses} == {world.orgs["jh"], world.orgs["jh2"]}
    totals = [0, 0]
    for section in body["sections"]:
        shown, hidden = _check_section(section, synthetic, section["justice_house_id"])
        totals[0] += shown
        totals[1] += hidden
    # Enough data that most figures are published, and enough small ones to suppress.
    assert totals[0] > 150 and totals[1] > 10, totals
    # The national count of cases opened in the year is the sum of both houses'.
    cases = next(t for t in national["tables"] if t["key"] == "cases")
    assert (
        cases["cells"][-1][-1]["value"] == synthetic.expected.cells[(None, "cases", "all", "all")]
    )

    # A supervisor gets their own house: the very same figures as in the national export.
    r = await api.as_(world.supervisor, "GET", URL, params={"year": YEAR})
    assert r.status_code == 200
    own = r.json()
    assert own["scope"] == "house" and len(own["sections"]) == 1
    house_a = next(h for h in houses if h["justice_house_id"] == world.orgs["jh"])
    assert own["sections"][0] == house_a


async def test_no_export_holds_a_name_a_phone_or_a_reference_and_the_csv_opens_in_excel(
    api, world: World, synthetic
):
    admin = await _admin(world)
    bodies = []
    for user in (admin, world.supervisor):
        bodies.append((await api.as_(user, "GET", URL, params={"year": YEAR})).text)
        for lang in ("fr", "nl", "en"):
            r = await api.as_(user, "GET", f"{URL}/csv", params={"year": YEAR, "lang": lang})
            assert r.status_code == 200
            bodies.append(r.content.decode("utf-8"))
    custom = {"from": f"{YEAR}-03-01", "to": f"{YEAR}-09-30"}
    bodies.append((await api.as_(admin, "GET", URL, params=custom)).text)
    for body in bodies:
        leaked = [s for s in synthetic.secrets if s in body]
        assert not leaked, leaked[:5]
        assert "Rue Secrete" not in body

    # The CSV is for Belgian Excel, in the reader's language.
    r = await api.as_(world.supervisor, "GET", f"{URL}/csv", params={"year": YEAR, "lang": "nl"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert (
        f'filename="perp-track-statutory-{YEAR}-01-01-{YEAR}-12-31.csv"'
        in (r.headers["content-disposition"])
    )
    raw = r.content
    assert raw.startswith("\ufeff".encode())  # the BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Justitiehuis",
        "Eerste dag",
        "Laatste dag",
        "Tabel",
        "Rij",
        "Kolom",
        "Waarde",
        "Notitie",
    ]
    assert all(len(row) == 8 for row in rows)
    assert {row[0] for row in rows[1:]} == {"MJ Liège"}
    assert {(row[1], row[2]) for row in rows[1:]} == {(f"01/01/{YEAR}", f"31/12/{YEAR}")}
    values = [row[6] for row in rows[1:]]
    assert "< 5" in values
    small = [row for row in rows[1:] if row[6] == "< 5"]
    assert all("minder dan 5 personen" in row[7] for row in small)
    medians = [row[6] for row in rows[1:] if row[5] == "Mediaan" and row[6]]
    assert medians and all("." not in m for m in medians)  # a decimal comma, if any
    fr = await api.as_(world.supervisor, "GET", f"{URL}/csv", params={"year": YEAR, "lang": "fr"})
    header = fr.content.decode("utf-8-sig").splitlines()[0]
    assert header.split(";")[:4] == ["Maison de justice", "Premier jour", "Dernier jour", "Tableau"]


async def test_who_may_export_and_every_export_is_audited(api, world: World):
    admin = await _admin(world)
    before = await AuditEntry.count().where(AuditEntry.record_type == "statutory_statistics")
    r = await api.as_(world.supervisor, "GET", URL, params={"house": world.orgs["jh2"]})
    assert r.status_code == 403
    assert r.json()["code"] == "statistics.own_house_only"
    for user in (world.ja, world.officer, world.sapv, world.praxis):
        assert (await api.as_(user, "GET", URL)).status_code == 403
    r = await api.as_(admin, "GET", URL, params={"year": YEAR, "house": world.orgs["jh2"]})
    assert r.status_code == 200
    assert [s["justice_house_id"] for s in r.json()["sections"]] == [world.orgs["jh2"]]
    r = await api.as_(admin, "GET", URL, params={"house": world.orgs["praxis"]})
    assert r.status_code == 400
    assert [e["key"] for e in r.json()["extra"]["errors"]] == ["house"]
    await api.as_(world.supervisor, "GET", f"{URL}/csv", params={"year": YEAR})
    entries = await AuditEntry.select().where(AuditEntry.record_type == "statutory_statistics")
    assert len(entries) == before + 2
    mine = [e for e in entries if e["actor_id"] == world.supervisor.id]
    assert mine and mine[-1]["action"] == "export"
    assert f"{YEAR}-01-01 to {YEAR}-12-31" in mine[-1]["detail"]
    assert "as csv" in mine[-1]["detail"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2025-06-01", "to": "2025-05-01"}, "to"),
        ({"from": "2025-06-01"}, "to"),
        ({"to": "2025-06-01"}, "from"),
        ({"from": "2027-01-01", "to": "2027-02-01"}, "from"),
        ({"year": "2031"}, "year"),
        ({"year": "twenty"}, "year"),
        ({"from": "2025-13-01", "to": "2025-12-01"}, "from"),
    ],
)
async def test_a_wrong_period_is_400_naming_the_field(api, world: World, params, field):
    before = await AuditEntry.count().where(AuditEntry.record_type == "statutory_statistics")
    for url in (URL, f"{URL}/csv"):
        r = await api.as_(world.supervisor, "GET", url, params=params)
        assert r.status_code == 400, r.text
        keys = [e.get("key") for e in r.json()["extra"]["errors"]]
        assert field in keys, r.text
    after = await AuditEntry.count().where(AuditEntry.record_type == "statutory_statistics")
    assert after == before
