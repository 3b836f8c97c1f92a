"""What robots learn from people lives in the ledger: every version kept, forgetting flags
them all, and each teach or forget is an audit event naming who did it."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import select

from backoffice.errors import NotFound
from backoffice.ledger import Ledger
from backoffice.ledger.events import verify_chain
from backoffice.ledger.schema import events


def _events(ledger: Ledger, kind: str) -> list[dict]:
    with ledger.reading() as conn:
        rows = conn.execute(select(events).where(events.c.kind == kind).order_by(events.c.id))
        return [dict(r._mapping, payload=json.loads(r.payload)) for r in rows]


def test_teaching_again_adds_a_version_and_the_newest_is_current(any_ledger_url):
    ledger = Ledger.open(any_ledger_url)
    first = ledger.teach("reader", "layout", "FI12345678", {"a": 1}, actor="anna", item_id="i1")
    second = ledger.teach("reader", "layout", "FI12345678", {"a": 2}, actor="ben")
    assert (first.version, second.version) == (1, 2)
    current = ledger.current_knowledge("reader", "layout", "FI12345678")
    assert current is not None and current.value == {"a": 2} and current.created_by == "ben"
    history = ledger.knowledge_history("reader", "layout", "FI12345678")
    assert [(k.version, k.value["a"], k.created_by, k.item_id) for k in history] == [
        (1, 1, "anna", "i1"), (2, 2, "ben", None)]
    assert ledger.current_knowledge("reader", "layout", "other") is None
    assert ledger.current_knowledge("other-robot", "layout", "FI12345678") is None
    ledger.close()


def test_every_teach_and_forget_is_an_audit_event_with_who_and_what(any_ledger_url):
    ledger = Ledger.open(any_ledger_url)
    ledger.teach("reader", "layout", "K", {"where": "top"}, actor="anna", item_id="i9")
    assert ledger.forget_knowledge("reader", "layout", "K", actor="ben", reason="wrong") == 1
    taught = _events(ledger, "knowledge.taught")
    forgot = _events(ledger, "knowledge.forgotten")
    assert [(e["actor"], e["item_id"], e["payload"]["version"], e["payload"]["value"])
            for e in taught] == [("anna", "i9", 1, {"where": "top"})]
    assert [(e["actor"], e["payload"]["versions"], e["payload"]["reason"]) for e in forgot] == [
        ("ben", [1], "wrong")]
    with ledger.reading() as conn:
        assert verify_chain(conn).ok
    ledger.close()


def test_forgetting_hides_every_version_keeps_the_history_and_a_new_lesson_starts_after(
        any_ledger_url):
    ledger = Ledger.open(any_ledger_url)
    for n in range(2):
        ledger.teach("reader", "layout", "K", {"n": n}, actor="anna")
    ledger.teach("reader", "layout", "L", {"n": 9}, actor="anna")
    ledger.forget_knowledge("reader", "layout", "K", actor="ben")
    assert ledger.current_knowledge("reader", "layout", "K") is None
    assert [k.key for k in ledger.knowledge_entries("reader")] == ["L"]
    assert [k.forgotten for k in ledger.knowledge_history("reader", "layout", "K")] == [True, True]
    with pytest.raises(NotFound):
        ledger.forget_knowledge("reader", "layout", "K", actor="ben")
    again = ledger.teach("reader", "layout", "K", {"n": 5}, actor="anna")
    assert again.version == 3
    assert ledger.current_knowledge("reader", "layout", "K").value == {"n": 5}
    ledger.close()


def test_entries_list_the_current_version_of_each_key_of_one_robot_and_kind(any_ledger_url):
    ledger = Ledger.open(any_ledger_url)
    ledger.teach("reader", "layout", "B", {"v": 1}, actor="a")
    ledger.teach("reader", "layout", "B", {"v": 2}, actor="a")
    ledger.teach("reader", "layout", "A", {"v": 1}, actor="a")
    ledger.teach("reader", "alias", "A", {"v": 7}, actor="a")
    ledger.teach("matcher", "payer", "A", {"v": 8}, actor="a")
    entries = ledger.knowledge_entries("reader", "layout")
    assert [(k.key, k.version, k.value["v"]) for k in entries] == [("A", 1, 1), ("B", 2, 2)]
    assert [(k.kind, k.key) for k in ledger.knowledge_entries("reader")] == [
        ("alias", "A"), ("layout", "A"), ("layout", "B")]
    ledger.close()


def test_concurrent_teachers_never_share_a_version_number(any_ledger_url):
    ledger = Ledger.open(any_ledger_url)

    def teach(n: int) -> None:
        for i in range(5):
            ledger.teach("reader", "layout", "K", {"n": n, "i": i}, actor=f"t{n}")

    threads = [threading.Thread(target=teach, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    versions = [k.version for k in ledger.knowledge_history("reader", "layout", "K")]
    assert versions == list(range(1, 21))
    ledger.close()


def test_the_stamp_changes_with_every_teach_and_forget_of_its_kind(any_ledger_url):
    ledger = Ledger.open(any_ledger_url)
    stamps = [ledger.knowledge_stamp("reader", "layout")]
    ledger.teach("reader", "layout", "K", {}, actor="a")
    stamps.append(ledger.knowledge_stamp("reader", "layout"))
    ledger.teach("reader", "alias", "K", {}, actor="a")  # another kind: same stamp
    assert ledger.knowledge_stamp("reader", "layout") == stamps[-1]
    ledger.forget_knowledge("reader", "layout", "K", actor="a")
    stamps.append(ledger.knowledge_stamp("reader", "layout"))
    assert len(set(stamps)) == 3
    ledger.close()
