"""The reader learns a vendor's layout from a reviewer's approval and uses it on that vendor's
next invoices: in the robot and in ``bots extract``, through the real engine, review flow,
CLI and SQLite ledger, on PDFs drawn here."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from backoffice.cli import cli_for_tests
from backoffice.config import Settings
from backoffice.engine import Engine
from backoffice.ledger import Ledger
from backoffice.ledger.events import iter_events
from backoffice.registry import Registry
from backoffice.states import ItemState
from robots.invoices.learned import KIND
from robots.invoices.reader import read_invoice
from robots.invoices.review import extraction_notes
from robots.invoices.sample_pdf import new_pdf
from robots.invoices.vendors import ROBOT
from tests.conftest import make_settings
from tests.invoices.conftest import write_read_invoices_workflow
from tests.invoices.vendor_layouts import VENDORS, _make, write_vendor_invoices

GRID = next(v for v in VENDORS if v.slug == "grid")  # a header grid the reader misreads
POLISH = next(v for v in VENDORS if v.slug == "polish")


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, dict[str, Any]]]:
    return write_vendor_invoices(tmp_path_factory.mktemp("vendor"), per_vendor=3, seed=5,
                                 vendors=(GRID,))["grid"]


@pytest.fixture
def env(tmp_path: Path) -> Settings:
    write_read_invoices_workflow(tmp_path / "wf")
    return make_settings(tmp_path, workflow_dirs=[str(tmp_path / "wf")])


def bots(settings: Settings, *args: str) -> Any:
    config = Path(settings.base_dir) / "bots.toml"
    config.write_text(f'base_dir = "{settings.base_dir}"\n'
                      f'workflow_dirs = ["{settings.base_dir}/wf"]\n')
    return CliRunner().invoke(cli_for_tests(), ["--config", str(config), *args])


def _read(settings: Settings, *pdfs: Path) -> dict[str, Any]:
    folder = settings.inputs / "invoices"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.pdf"):
        old.unlink()
    for pdf in pdfs:
        shutil.copy(pdf, folder)
    ledger = Ledger.open(settings.db_url)
    try:
        run = Engine(settings, ledger, Registry(settings), idle_poll_seconds=0.01).run(
            "read-invoices")
        return {Path(i.files[0]).name: i for i in ledger.items(run.id)}
    finally:
        ledger.close()


def _approve_with_truth(settings: Settings, item_id: str, truth: dict[str, Any]) -> Any:
    sets = [f"{k}={v if v is not None else ''}" for k, v in truth.items() if k != "lines"]
    args = [a for s in sets for a in ("--set", s)]
    return bots(settings, "review", "approve", item_id, *args, "--set",
                f"lines={json.dumps(truth['lines'])}", "--user", "rita", "--no-continue")


def _teach_first(settings: Settings, series: list[tuple[Path, dict[str, Any]]]) -> None:
    first, truth = series[0]
    item = _read(settings, first)[first.name]
    assert item.state is ItemState.REVIEW  # the generic reader gets this layout wrong
    result = _approve_with_truth(settings, item.id, truth)
    assert result.exit_code == 0, result.output
    assert "Learned: layout of vendor tax_id:GB123456727: version 1" in result.output
    ledger = Ledger.open(settings.db_url)
    try:
        approved = ledger.item(item.id)
    finally:
        ledger.close()
    assert approved.state is ItemState.DONE
    assert approved.payload["invoice"] == truth  # --set lines=<JSON> included


def test_an_approved_correction_teaches_the_layout_and_the_next_invoice_is_read_right(
        env: Settings, series: list[tuple[Path, dict[str, Any]]]) -> None:
    second, truth = series[1]
    before = read_invoice(second)
    assert before.status == "review" and before.fields != truth
    _teach_first(env, series)
    item = _read(env, second)[second.name]
    assert item.state is ItemState.DONE
    assert item.payload["invoice"] == truth
    learned = item.payload["extraction"]["learned"]
    assert learned["vendor"] == "tax_id:GB123456727" and learned["version"] == 1
    assert {"invoice_number", "issue_date", "total_amount", "currency"} <= set(learned["fields"])


def test_each_lesson_is_versioned_and_audited_with_the_reviewer(
        env: Settings, series: list[tuple[Path, dict[str, Any]]]) -> None:
    _teach_first(env, series)
    ledger = Ledger.open(env.db_url)
    try:
        entry = ledger.current_knowledge(ROBOT, KIND, "tax_id:GB123456727")
        assert entry is not None and entry.created_by == "rita" and entry.version == 1
        assert entry.value["constants"]["vendor_name"] == GRID.name
        assert entry.value["table"]["header"]
        with ledger.reading() as conn:
            taught = list(iter_events(conn, kind="knowledge.taught"))
        assert [(e.actor, e.item_id, e.payload["key"]) for e in taught] == [
            ("rita", entry.item_id, "tax_id:GB123456727")]
    finally:
        ledger.close()


def test_bots_extract_uses_the_learned_layout_unless_told_not_to(
        env: Settings, series: list[tuple[Path, dict[str, Any]]]) -> None:
    _teach_first(env, series)
    third, truth = series[2]
    learned = bots(env, "extract", str(third), "--json", "--workers", "1")
    assert learned.exit_code == 0, learned.output
    result = json.loads(learned.stdout)[0]
    assert result["status"] == "ok" and result["fields"] == truth
    assert result["learned"]["vendor"] == "tax_id:GB123456727"
    plain = json.loads(bots(env, "extract", str(third), "--json", "--workers", "1",
                            "--no-learned").stdout)[0]
    assert plain["status"] == "review" and "learned" not in plain


def test_a_learned_layout_never_turns_a_failed_check_into_ok(
        env: Settings, series: list[tuple[Path, dict[str, Any]]], tmp_path: Path) -> None:
    _teach_first(env, series)
    inv = _make(GRID, 9, random.Random(3))
    inv.total += 10  # the vendor's own arithmetic is wrong on this one
    pdf = new_pdf()
    GRID.draw(pdf, GRID, inv)
    path = tmp_path / "grid-wrong-total.pdf"
    pdf.output(str(path))
    item = _read(env, path)[path.name]
    assert item.state is ItemState.REVIEW
    assert any(r.startswith("total_mismatch") for r in item.reasons)
    assert "total_amount" in item.payload["extraction"]["learned"]["fields"]


def test_the_review_page_notes_name_the_fields_a_learned_layout_gave() -> None:
    payload = {"extraction": {"status": "review", "confidence": {"total_amount": 0.95},
                              "learned": {"vendor": "tax_id:X1", "version": 3,
                                          "fields": ["invoice_number", "lines"]}}}
    notes = extraction_notes(payload)
    assert notes[1] == ("From the learned layout of vendor tax_id:X1 (version 3): "
                        "invoice_number, lines")


def test_bots_vendors_lists_shows_and_forgets_a_learned_layout(
        env: Settings, series: list[tuple[Path, dict[str, Any]]]) -> None:
    _teach_first(env, series)
    listed = json.loads(bots(env, "vendors", "list", "--json").stdout)
    assert [(v["vendor"], v["name"], v["version"], v["taught_by"]) for v in listed] == [
        ("tax_id:GB123456727", GRID.name, 1, "rita")]
    shown = bots(env, "vendors", "show", "tax_id:GB123456727")
    assert shown.exit_code == 0 and "taught by rita" in shown.stdout
    assert "invoice_number: 1 line(s) below 'document'" in shown.stdout
    forgot = bots(env, "vendors", "forget", "tax_id:GB123456727", "--reason", "new layout",
                  "--user", "ole")
    assert forgot.exit_code == 0
    assert json.loads(bots(env, "vendors", "list", "--json").stdout) == []
    second, _ = series[1]
    assert read_invoice(second).status == "review"
    missing = bots(env, "vendors", "show", "nobody")
    assert missing.exit_code != 0 and "learned layout nobody not found" in str(missing.exception)


def test_another_vendors_invoice_is_not_read_with_this_layout(
        env: Settings, series: list[tuple[Path, dict[str, Any]]], tmp_path: Path) -> None:
    _teach_first(env, series)
    other = write_vendor_invoices(tmp_path / "other", per_vendor=1, vendors=(POLISH,))
    path, _ = other["polish"][0]
    result = json.loads(bots(env, "extract", str(path), "--json", "--workers", "1").stdout)[0]
    assert "learned" not in result


def test_a_learned_layout_leaves_invoices_the_reader_already_gets_right_unchanged(
        all_handmade: dict[Path, tuple[Any, dict[str, Any]]]) -> None:
    from robots.invoices.learned import LearnedLayout, learn_layout, vendor_key
    from robots.invoices.reader import ReaderOptions, load_document

    for path, (first, truth) in list(all_handmade.items())[:8]:
        doc, _ = load_document(path, ReaderOptions())
        value = learn_layout(doc, truth)
        layout = LearnedLayout(key=vendor_key(value["identifiers"]) or "x", version=1,
                               value=value)
        again = read_invoice(path, learned=[layout])
        assert again.fields == truth, path.name
        if again.status != first.status:
            # Only doubt is settled by what was learned; a failed check never is.
            assert again.status == "ok", path.name
            assert all(r.startswith("low_confidence") for r in first.reasons), path.name


def test_approving_on_the_review_page_teaches_too_and_the_page_names_learned_fields(
        env: Settings, series: list[tuple[Path, dict[str, Any]]], tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from backoffice.web import create_app
    from tests.web.conftest import add_users, login

    first, truth = series[0]
    item = _read(env, first)[first.name]
    ledger = Ledger.open(env.db_url)
    try:
        add_users(ledger)
        with TestClient(create_app(env, ledger, Registry(env))) as client:
            csrf = login(client, "olli")
            page = client.get(f"/review/{item.id}").text
            assert 'data-testid="field-lines"' in page  # the lines are corrected as JSON
            opened = page.split('name="opened" value="')[1].split('"')[0]
            form = {f"f_{k}": "" if v is None else str(v) for k, v in truth.items()
                    if k != "lines"}
            form["f_lines"] = json.dumps(truth["lines"])
            response = client.post(f"/review/{item.id}/approve", follow_redirects=False,
                                   data={"csrf_token": csrf, "opened": opened, **form})
            assert response.status_code == 303, response.text
            assert "layout+of+vendor" in response.headers["location"] or \
                "layout%20of%20vendor" in response.headers["location"]
            entry = ledger.current_knowledge(ROBOT, KIND, "tax_id:GB123456727")
            assert entry is not None and entry.created_by == "olli"

            inv = _make(GRID, 9, random.Random(3))
            inv.total += 10
            pdf = new_pdf()
            GRID.draw(pdf, GRID, inv)
            wrong = tmp_path / "grid-wrong-total.pdf"
            pdf.output(str(wrong))
            doubtful = _read(env, wrong)[wrong.name]
            assert doubtful.state is ItemState.REVIEW
            shown = client.get(f"/review/{doubtful.id}").text
            assert "From the learned layout of vendor tax_id:GB123456727 (version 1)" in shown
    finally:
        ledger.close()


def test_bots_extract_reads_without_learned_layouts_when_the_ledger_is_unreachable(
        env: Settings, series: list[tuple[Path, dict[str, Any]]]) -> None:
    config = Path(env.base_dir) / "bots.toml"
    config.write_text(f'base_dir = "{env.base_dir}"\n'
                      'database_url = "postgresql://nobody@127.0.0.1:9/none"\n')
    result = CliRunner().invoke(cli_for_tests(), ["--config", str(config), "extract",
                                                  str(series[1][0]), "--json", "--workers",
                                                  "1"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["status"] == "review"
    assert "Learned vendor layouts not used" in result.stderr


def test_a_left_aligned_value_under_its_label_is_found_whatever_its_length(
        tmp_path: Path) -> None:
    from robots.invoices.learned import LearnedLayout, learn_layout
    from robots.invoices.reader import ReaderOptions, load_document
    from tests.invoices.vendor_layouts_heldout import HELD_OUT

    czech = next(v for v in HELD_OUT if v.slug == "cz")  # buyer names of unequal length
    series = write_vendor_invoices(tmp_path, per_vendor=6, seed=4, vendors=(czech,))["cz"]
    (first, truth), *later = series
    doc, _ = load_document(first, ReaderOptions())
    layout = LearnedLayout(key="k", version=1, value=learn_layout(doc, truth))
    buyers = {t["buyer_name"] for _, t in series}
    assert len(buyers) == 2
    for path, want in later:
        assert read_invoice(path, learned=[layout]).fields["buyer_name"] == want["buyer_name"]


def test_a_vendor_named_only_as_the_buyer_is_not_taken_for_the_vendor(tmp_path: Path) -> None:
    from dataclasses import replace

    from robots.invoices.learned import LearnedLayout, learn_layout
    from robots.invoices.reader import ReaderOptions, load_document

    grid = write_vendor_invoices(tmp_path / "grid", per_vendor=1, vendors=(GRID,))["grid"]
    doc, _ = load_document(grid[0][0], ReaderOptions())
    layout = LearnedLayout(key="k", version=1, value=learn_layout(doc, grid[0][1]))
    # A Polish printer's invoice to the learned vendor: its name is on the page, as the buyer.
    selling_to_it = replace(POLISH, buyers=((GRID.name, None),))
    path, truth = write_vendor_invoices(tmp_path / "pl", per_vendor=1,
                                        vendors=(selling_to_it,))["polish"][0]
    result = read_invoice(path, learned=[layout])
    assert result.learned is None
    assert result.fields["vendor_name"] != GRID.name


def test_a_lesson_that_adds_nothing_keeps_the_version_and_a_new_one_keeps_what_it_lacks(
        env: Settings, series: list[tuple[Path, dict[str, Any]]]) -> None:
    from backoffice.models import Correction, WorkItem
    from robots.invoices.vendors import knowledge_of, learn_from_correction

    first, truth = series[0]
    ledger = Ledger.open(env.db_url)
    try:
        knowledge = knowledge_of(ledger)
        item = WorkItem(id="i1", run_id="r1", workflow="read-invoices", key="k",
                        files=(str(first),))
        lesson = Correction(item=item, fields=truth, changes={}, reviewer="rita")
        assert learn_from_correction(lesson, knowledge)[0].endswith("(7 field(s) placed and "
                                                                    "the line table)")
        assert learn_from_correction(lesson, knowledge) == [
            "layout of vendor tax_id:GB123456727: unchanged (version 1)"]
        # An invoice without a due date teaches again; the due date's place is kept.
        partial = Correction(item=item, fields={**truth, "due_date": None, "currency": "EUR"},
                             changes={"currency": "EUR"}, reviewer="ben")
        assert "version 2" in learn_from_correction(partial, knowledge)[0]
        current = knowledge.current(KIND, "tax_id:GB123456727")
        assert current is not None and current.created_by == "ben"
        assert "due_date" in current.value["fields"]
        assert current.value["constants"]["currency"] == "EUR"
    finally:
        ledger.close()


def test_a_broken_layout_leaves_the_generic_reading(
        series: list[tuple[Path, dict[str, Any]]]) -> None:
    from robots.invoices.learned import LearnedLayout

    second, _ = series[1]
    broken = LearnedLayout(key="k", version=1, value={
        "identifiers": {"tax_id": "GB123456727"},
        "fields": {"invoice_number": [{"how": "sideways"}]}, "table": {"columns": 3}})
    plain = read_invoice(second)
    result = read_invoice(second, learned=[broken])
    assert result.status == plain.status and result.fields == plain.fields
    assert result.learned is None
