"""Payer -> customer links learnt from confirmed matches, kept in the ledger: month 1 teaches
(by reference, or by a person confirming a suggestion), month 2's payments from the same
payer IBAN match without a reference, an unrelated payer still does not, and a reference
naming another open item still wins over a link."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from backoffice.cli import cli_for_tests
from backoffice.engine import Engine
from backoffice.ledger import Ledger
from backoffice.ledger.events import iter_events
from backoffice.registry import Registry
from backoffice.review import approve
from backoffice.states import ItemState
from robots.reconcile.names import name_key
from tests.conftest import make_settings
from tests.reconcile.conftest import write_xlsx

STATEMENT = ["Booking date", "Amount", "Payer", "Payer IBAN", "Reference", "Message"]
LEDGER = ["Invoice no", "Customer", "Due date", "Open amount"]
VIRTANEN = "FI2112345600000785"  # pays for Nordic Paper Oy, under his own name
BERG = "SE4550000000058398257466"  # pays for Berg Consulting AB as "Maria Berg"
STRANGER = "DE89370400440532013000"


def _month(base: Path, n: int, statement: list[list[Any]], ledger: list[list[Any]]) -> None:
    for side, rows, header in (("bank", statement, STATEMENT), ("ledger", ledger, LEDGER)):
        (base / "inputs" / side).mkdir(parents=True, exist_ok=True)
        write_xlsx(base / "inputs" / side / f"{side}-{n}.xlsx", [header, *rows])


def _month_1(base: Path, *, references: bool) -> None:
    _month(base, 1, [
        ["2026-01-12", 1250.00, "J. Virtanen", VIRTANEN, "", "INV-101" if references else ""],
        ["2026-01-13", 830.40, "Maria Berg", BERG, "", "Invoice INV-102" if references else ""],
    ], [
        ["INV-101", "Nordic Paper Oy", "2026-01-10", 1250.00],
        ["INV-102", "Berg Consulting AB", "2026-01-11", 830.40],
    ])


def _month_2(base: Path) -> None:
    _month(base, 2, [
        ["2026-02-12", 977.10, "J. Virtanen", VIRTANEN, "", "February"],  # row 2
        ["2026-02-13", 455.00, "M BERG", BERG, "", ""],  # row 3
        ["2026-02-13", 610.00, "Quick Loans Ltd", STRANGER, "", ""],  # row 4: unrelated
        ["2026-02-14", 300.00, "J. Virtanen", VIRTANEN, "", "KT-5531"],  # row 5: names Kaleva's
    ], [
        ["INV-201", "Nordic Paper Oy", "2026-02-10", 977.10],  # row 2
        ["INV-202", "Berg Consulting AB", "2026-02-11", 455.00],  # row 3
        ["KT-5531", "Kaleva Trading Oy", "2026-02-12", 610.00],  # row 4
        ["INV-204", "Nordic Paper Oy", "2026-02-12", 300.00],  # row 5
    ])


def _run(base: Path, ledger: Ledger, **params: Any):
    settings = make_settings(base)
    run = Engine(settings, ledger, Registry(settings), idle_poll_seconds=0.01).run(
        "bank-reconciliation", params=params or None)
    (item,) = ledger.items(run.id)
    return item


def _pairs(item) -> dict[int, list[int]]:
    data = json.loads(Path(item.payload["report"]).with_suffix(".json").read_text())
    return {m["left"][0]: m["right"] for m in data["matches"]}


def _month_2_matches(base: Path, ledger: Ledger) -> dict[int, list[int]]:
    _month_2(base)
    item = _run(base, ledger)
    assert item.state is ItemState.DONE, item.reasons
    return _pairs(item)


def test_links_taught_by_references_match_next_months_payments_without_one(
    tmp_path: Path,
) -> None:
    ledger = Ledger.open(make_settings(tmp_path).db_url)
    try:
        _month_1(tmp_path, references=True)
        first = _run(tmp_path, ledger)
        assert first.state is ItemState.DONE, first.reasons
        assert _pairs(first) == {2: [2], 3: [3]}  # sheet rows, header is row 1
        links = {e.key: e.value["customer"]
                 for e in ledger.knowledge_entries("reconciler", "payer")}
        assert links[f"iban:{VIRTANEN}"] == name_key("Nordic Paper Oy")
        assert links[f"iban:{BERG}"] == name_key("Berg Consulting AB")
        with ledger.reading() as conn:
            taught = list(iter_events(conn, kind="knowledge.taught"))
        assert {e.payload["key"] for e in taught} >= {f"iban:{VIRTANEN}", f"iban:{BERG}"}
        assert {e.actor for e in taught} == {"robot:reconciler"}
        assert {e.item_id for e in taught} == {first.id}

        second = _month_2_matches(tmp_path, ledger)
        assert second[2] == [2] and second[3] == [3]  # by the payer's IBAN alone
        assert 4 not in second  # an unrelated payer is still only a suggestion
        # Its reference names Kaleva's invoice: the link to Nordic Paper does not win.
        assert second.get(5) != [5]
    finally:
        ledger.close()


def test_without_the_links_the_same_payments_are_only_suggestions(tmp_path: Path) -> None:
    ledger = Ledger.open(make_settings(tmp_path).db_url)
    try:
        second = _month_2_matches(tmp_path, ledger)
        assert 2 not in second and 3 not in second and 4 not in second
    finally:
        ledger.close()


def test_a_reviewer_confirming_a_suggestion_teaches_the_link(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    ledger = Ledger.open(settings.db_url)
    try:
        _month_1(tmp_path, references=False)
        first = _run(tmp_path, ledger, review_exceptions="true")
        assert first.state is ItemState.REVIEW, first.reasons
        listed = first.payload["suggestions"]
        assert [(s["n"], s["row"], s["customer"]) for s in listed] == [
            (1, 2, name_key("Nordic Paper Oy")), (2, 3, name_key("Berg Consulting AB"))]
        assert ledger.knowledge_entries("reconciler", "payer") == []

        approve(ledger, Registry(settings), first.id, reviewer="rita", changes={
            "resolution": "checked with the customers", "confirm_suggestions": "1"})
        links = {e.key: e for e in ledger.knowledge_entries("reconciler", "payer")}
        assert links[f"iban:{VIRTANEN}"].value["customer"] == name_key("Nordic Paper Oy")
        assert links[f"iban:{VIRTANEN}"].created_by == "rita"
        assert f"iban:{BERG}" not in links  # suggestion 2 was not confirmed

        second = _month_2_matches(tmp_path, ledger)
        assert second[2] == [2]
        assert 3 not in second and 4 not in second
    finally:
        ledger.close()


def test_a_confirmation_that_is_not_a_suggestion_number_is_refused() -> None:
    from robots.reconcile.review import check_resolution

    fields = {"exceptions": 2, "resolution": "ok", "suggestions": [{"n": 1}, {"n": 2}]}
    assert check_resolution({**fields, "confirm_suggestions": "1, 2"}) == []
    assert check_resolution({**fields, "confirm_suggestions": "all"}) == []
    assert check_resolution({**fields, "confirm_suggestions": "3"})[0].startswith(
        "confirm_suggestions_invalid")
    assert check_resolution({**fields, "confirm_suggestions": "yes please"})[0].startswith(
        "confirm_suggestions_invalid")


def test_bots_reconcile_uses_the_learnt_links_unless_told_not_to(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    ledger = Ledger.open(settings.db_url)
    try:
        _month_1(tmp_path, references=True)
        assert _run(tmp_path, ledger).state is ItemState.DONE
    finally:
        ledger.close()
    _month_2(tmp_path)
    bank, books = tmp_path / "inputs" / "bank" / "bank-2.xlsx", tmp_path / "inputs" / "ledger"
    for flag, expected in (("--learned", {2: [2], 3: [3]}), ("--no-learned", {})):
        out = tmp_path / f"cli{flag}.json"
        done = _bots(tmp_path, "reconcile", str(bank), str(books / "ledger-2.xlsx"),
                     "--out", str(out.with_suffix(".xlsx")), "--json", str(out), flag)
        assert done.exit_code == 0, done.output
        pairs = {m["left"][0]: m["right"] for m in json.loads(out.read_text())["matches"]}
        assert {k: v for k, v in pairs.items() if k in (2, 3, 4)} == expected


def _bots(base: Path, *args: str):  # noqa: ANN202
    config = base / "bots.toml"
    config.write_text(f'base_dir = "{base}"\n')  # the same ledger as the runs
    return CliRunner().invoke(cli_for_tests(), ["--config", str(config), *args])


def test_a_forgotten_link_no_longer_matches_and_its_history_stays(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    ledger = Ledger.open(settings.db_url)
    try:
        _month_1(tmp_path, references=True)
        assert _run(tmp_path, ledger).state is ItemState.DONE
        listed = _bots(tmp_path, "payers", "list", "--json")
        assert listed.exit_code == 0, listed.output
        payers = {e["payer"]: e for e in json.loads(listed.output)}
        assert payers[f"iban:{VIRTANEN}"]["customer"] == name_key("Nordic Paper Oy")
        assert payers[f"iban:{VIRTANEN}"]["taught_by"] == "robot:reconciler"

        for key in (f"iban:{VIRTANEN}", "name:j virtanen"):
            gone = _bots(tmp_path, "payers", "forget", key, "--reason", "sold", "--user", "olli")
            assert gone.exit_code == 0, gone.output
        assert [k.forgotten for k in ledger.knowledge_history(
            "reconciler", "payer", f"iban:{VIRTANEN}")] == [True]
        second = _month_2_matches(tmp_path, ledger)
        assert 2 not in second and second[3] == [3]  # Berg's link still stands
    finally:
        ledger.close()
