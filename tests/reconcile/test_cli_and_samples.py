from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

from click.testing import CliRunner

from backoffice.cli import cli_for_tests
from robots.reconcile.samples import generate_pair
from tests.reconcile.conftest import f1, truth_pairs

BOTS = Path(sys.executable).with_name("bots")


def _digest(paths: tuple[Path, ...]) -> list[str]:
    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]


def test_same_seed_gives_byte_identical_samples(tmp_path: Path) -> None:
    first = generate_pair(tmp_path / "a", 200, seed=7)
    second = generate_pair(tmp_path / "b", 200, seed=7)
    other = generate_pair(tmp_path / "c", 200, seed=8)
    assert _digest(first) == _digest(second)
    assert _digest(first)[0] != _digest(other)[0]
    # openpyxl stamps the save time; the generator must not let it through.
    with zipfile.ZipFile(first[0]) as zf:
        assert b"2024-01-01T00:00:00Z</dcterms:modified>" in zf.read("docProps/core.xml")
        assert {i.date_time for i in zf.infolist()} == {(2024, 1, 1, 0, 0, 0)}


def test_cli_writes_report_and_json_with_source_rows(tmp_path: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(cli_for_tests(), ["samples", "recon", "--rows", "300",
                                           "--out", str(tmp_path)])
    assert made.exit_code == 0, made.output
    out, js = tmp_path / "report.xlsx", tmp_path / "result.json"
    result = runner.invoke(cli_for_tests(), [
        "reconcile", str(tmp_path / "statement.xlsx"), str(tmp_path / "open_items.xlsx"),
        "--out", str(out), "--json", str(js),
    ])
    assert result.exit_code == 0, result.output
    assert "Matched" in result.output and out.is_file()
    data = json.loads(js.read_text())
    assert set(data) >= {"matches", "unmatched_left", "unmatched_right"}
    assert all({"left", "right", "rule", "score"} <= set(m) for m in data["matches"])
    truth = json.loads((tmp_path / "truth.json").read_text())
    assert f1(truth_pairs(data), truth_pairs(truth)) >= 0.99


def test_cli_reports_a_corrupt_file_as_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bank.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    good = tmp_path / "ledger.csv"
    good.write_text("Date;Amount\n2024-03-01;1,00\n")
    proc = subprocess.run(
        [str(BOTS), "reconcile", str(bad), str(good), "--out", str(tmp_path / "r.xlsx")],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )
    assert proc.returncode != 0
    assert proc.stderr.startswith("Error: corrupt_workbook: bank.xlsx")
    assert "Traceback" not in proc.stderr


def test_bad_rules_file_names_the_key(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text("fuzzy_threshold = 'high'\n")
    left, right, _ = generate_pair(tmp_path, 20)
    result = CliRunner().invoke(cli_for_tests(), [
        "reconcile", str(left), str(right), "--rules", str(rules),
        "--out", str(tmp_path / "r.xlsx"),
    ])
    assert result.exit_code != 0
    assert "fuzzy_threshold" in str(result.exception)
