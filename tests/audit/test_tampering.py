"""Edits, deletions, insertions and reorderings made directly in the database are caught, on
SQLite and on PostgreSQL, and the first bad event is named."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from backoffice.audit import event_hash
from backoffice.ledger import Ledger
from backoffice.ledger.events import verify_chain
from tests.audit.conftest import Audited

COLUMNS = ("ts", "actor", "kind", "run_id", "item_id", "payload", "prev_hash", "hash")


def sql(ledger: Ledger, statement: str, **params: Any) -> None:
    with ledger.engine.begin() as conn:
        conn.execute(text(statement), params)


def row(ledger: Ledger, event_id: int) -> dict[str, Any]:
    with ledger.reading() as conn:
        return dict(conn.execute(text("SELECT * FROM events WHERE id = :i"), {"i": event_id})
                    .one()._mapping)


def last_id(ledger: Ledger) -> int:
    with ledger.reading() as conn:
        return int(conn.execute(text("SELECT max(id) FROM events")).scalar_one())


def verify(ledger: Ledger, run_id: str | None = None) -> tuple[bool, int | None]:
    with ledger.reading() as conn:
        report = verify_chain(conn, run_id=run_id)
    return report.ok, report.first_bad_id


def test_an_untouched_trail_verifies(audited: Audited) -> None:
    assert verify(audited.ledger) == (True, None)
    assert verify(audited.ledger, audited.first.id) == (True, None)


def test_an_edited_payload_is_caught_at_that_event(audited: Audited) -> None:
    sql(audited.ledger, "UPDATE events SET payload = :p WHERE id = 5", p='{"edited":true}')
    assert verify(audited.ledger) == (False, 5)


def test_an_edited_actor_is_caught_even_with_its_hash_recomputed_by_the_editor(
    audited: Audited,
) -> None:
    old = row(audited.ledger, 6)
    forged = event_hash(id=6, ts=old["ts"], actor="mallory", kind=old["kind"],
                        run_id=old["run_id"], item_id=old["item_id"],
                        payload_json=old["payload"], prev_hash=old["prev_hash"])
    sql(audited.ledger, "UPDATE events SET actor = 'mallory', hash = :h WHERE id = 6", h=forged)
    assert verify(audited.ledger) == (False, 7)  # the next event still links to the old hash


def test_a_deleted_event_is_caught_where_the_gap_is(audited: Audited) -> None:
    sql(audited.ledger, "DELETE FROM events WHERE id = 4")
    assert verify(audited.ledger) == (False, 4)


def test_a_deleted_last_event_is_caught_by_the_head(audited: Audited) -> None:
    last = last_id(audited.ledger)
    sql(audited.ledger, "DELETE FROM events WHERE id = :i", i=last)
    assert verify(audited.ledger) == (False, last)
    assert verify(audited.ledger, audited.second.id) == (False, last)


def test_an_event_inserted_in_the_middle_is_caught(audited: Audited) -> None:
    # Make room at id 5 by renumbering the rest, then slip a row in.
    sql(audited.ledger, "UPDATE events SET id = -id WHERE id >= 5")
    sql(audited.ledger, "UPDATE events SET id = -id + 1 WHERE id < 0")
    prev = row(audited.ledger, 4)["hash"]
    sql(audited.ledger,
        "INSERT INTO events (id, ts, actor, kind, run_id, item_id, payload, prev_hash, hash) "
        "VALUES (5, '2020-01-01T00:00:00+00:00', 'mallory', 'item.done', NULL, NULL, '{}', "
        ":prev, :h)", prev=prev, h="f" * 64)
    assert verify(audited.ledger) == (False, 5)


def test_an_event_appended_with_a_valid_hash_behind_the_ledgers_back_is_caught(
    audited: Audited,
) -> None:
    last = last_id(audited.ledger)
    prev = row(audited.ledger, last)["hash"]
    fields = dict(id=last + 1, ts="2030-01-01T00:00:00.000000+00:00", actor="mallory",
                  kind="review.approved", run_id=audited.first.id, item_id=None,
                  payload_json="{}", prev_hash=prev)
    sql(audited.ledger,
        "INSERT INTO events (id, ts, actor, kind, run_id, item_id, payload, prev_hash, hash) "
        "VALUES (:id, :ts, :actor, :kind, :run_id, NULL, '{}', :prev, :h)",
        id=last + 1, ts=fields["ts"], actor="mallory", kind="review.approved",
        run_id=audited.first.id, prev=prev, h=event_hash(**fields))  # type: ignore[arg-type]
    assert verify(audited.ledger) == (False, last + 1)


def test_two_events_swapped_are_caught_at_the_first(audited: Audited) -> None:
    a, b = row(audited.ledger, 4), row(audited.ledger, 7)
    sets = ", ".join(f"{c} = :{c}" for c in COLUMNS)
    sql(audited.ledger, f"UPDATE events SET {sets} WHERE id = 4", **{c: b[c] for c in COLUMNS})
    sql(audited.ledger, f"UPDATE events SET {sets} WHERE id = 7", **{c: a[c] for c in COLUMNS})
    assert verify(audited.ledger) == (False, 4)


def test_verifying_a_run_ignores_tampering_after_it_but_not_before(audited: Audited) -> None:
    with audited.ledger.reading() as conn:
        second_first = conn.execute(
            text("SELECT min(id) FROM events WHERE run_id = :r"), {"r": audited.second.id}
        ).scalar_one()
    sql(audited.ledger, "UPDATE events SET payload = '{}' WHERE id = :i", i=second_first + 1)
    assert verify(audited.ledger, audited.first.id) == (True, None)
    assert verify(audited.ledger, audited.second.id) == (False, second_first + 1)


@pytest.mark.parametrize("statement", [
    "UPDATE audit_head SET last_hash = 'x'",
    "DELETE FROM audit_head",
])
def test_a_tampered_head_is_caught(audited: Audited, statement: str) -> None:
    sql(audited.ledger, statement)
    ok, bad = verify(audited.ledger)
    assert not ok and bad is not None
