"""Bulk writes (`db.insert_many`): the same rows as Piccolo's insert, on both databases."""

from datetime import timedelta

import pytest

from perp_track import db
from perp_track.cases.tables import CaseEvent
from perp_track.jobs.services import once_many
from perp_track.jobs.tables import JobOnce
from perp_track.notify.rules import Audience, Channel, NotificationState
from perp_track.notify.tables import Notification
from tests.world import World


def _outbox_row(case_id: int, key: str, now, **extra) -> dict:
    return {
        "case": case_id,
        "audience": Audience.PERPETRATOR,
        "channel": Channel.SMS,
        "template": "summons_reminder",
        "payload": {"reminder": "3d", "place": "Gent"},
        "idempotency_key": key,
        "next_attempt_at": now,
        "created_at": now,
        **extra,
    }


async def test_ids_come_back_in_the_order_of_the_rows(world: World):
    case = await world.open_case()
    now = world.clock.now()
    rows = [
        {"case": case.id, "kind": "test", "occurred_at": now, "summary": f"row {i}", "data": {}}
        for i in range(1200)
    ]
    ids = await db.insert_many_ids(CaseEvent, rows)
    assert len(ids) == len(set(ids)) == 1200
    stored = {
        r["id"]: r["summary"]
        for r in await CaseEvent.select(CaseEvent.id, CaseEvent.summary).where(
            CaseEvent.kind == "test"
        )
    }
    assert [stored[i] for i in ids] == [f"row {i}" for i in range(1200)]


async def test_defaults_json_and_enums_are_written_as_piccolo_writes_them(world: World):
    case = await world.open_case()
    now = world.clock.now()
    await db.insert_many(
        Notification,
        [_outbox_row(case.id, "bulk:1", now, not_after=now + timedelta(days=1))],
    )
    row = (
        await Notification.select()
        .where(Notification.idempotency_key == "bulk:1")
        .output(load_json=True)
        .first()
    )
    assert row["payload"] == {"reminder": "3d", "place": "Gent"}
    assert row["audience"] == "perpetrator" and row["channel"] == "sms"
    # Left out: the column's default.
    assert row["state"] == NotificationState.QUEUED
    assert row["attempts"] == 0
    assert row["urgent"] is False
    assert row["language"] == "fr"
    assert row["variant"] is None
    assert row["not_after"] == now + timedelta(days=1)
    assert row["next_attempt_at"] == now


async def test_a_conflicting_row_is_skipped_and_not_returned(world: World):
    now = world.clock.now()
    first = await once_many(["a", "b"], now)
    assert sorted(first) == ["a", "b"]
    again = await once_many(["b", "c", "a", "d"], now)
    assert sorted(again) == ["c", "d"]
    assert await JobOnce.count() == 4
    assert await once_many([], now) == []


async def test_a_column_the_table_lacks_is_refused(world: World):
    with pytest.raises(ValueError, match="no column"):
        await db.insert_many(JobOnce, [{"key": "x", "created_at": world.clock.now(), "nope": 1}])
    assert await JobOnce.count() == 0


async def test_bulk_rows_roll_back_with_their_transaction(world: World):
    now = world.clock.now()

    async def failing_work() -> None:
        async with db.transaction():
            await once_many(["kept?"], now)
            raise RuntimeError("the work failed")

    with pytest.raises(RuntimeError):
        await failing_work()
    assert await JobOnce.count() == 0
