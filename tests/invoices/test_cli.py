from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from backoffice.cli import cli_for_tests


def _run(tmp_path: Path, *args: str) -> tuple[int, str]:
    runner = CliRunner()
    result = runner.invoke(cli_for_tests(), list(args), catch_exceptions=False,
                           env={"BOTS_CONFIG": "", "BOTS_INPUTS_DIR": str(tmp_path / "in"),
                                "BOTS_OUTPUTS_DIR": str(tmp_path / "out")})
    return result.exit_code, result.stdout


def test_extract_json_lists_one_object_per_file_in_a_folder(
        generated: list[Path], tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    for p in generated[:4]:
        shutil.copy(p, folder)
    (folder / "empty.pdf").write_bytes(b"")
    code, out = _run(tmp_path, "extract", str(folder), "--json", "--workers", "2")
    assert code == 2, "a file that could not be read is bad input, yet every file is listed"
    data = json.loads(out)
    assert sorted(d["file"] for d in data) == sorted(p.name for p in folder.glob("*.pdf"))
    for d in data:
        assert set(d) == {"file", "status", "reasons", "warnings", "fields", "confidence",
                          "source"}
        assert d["status"] in ("ok", "review", "error")
    ok = [d for d in data if d["status"] == "ok"]
    assert ok and all(len(d["fields"]["issue_date"]) == 10 for d in ok)
    assert all(d["fields"]["total_amount"].split(".")[1].__len__() == 2 for d in ok)
    empty = next(d for d in data if d["file"] == "empty.pdf")
    assert empty["status"] == "error" and empty["reasons"][0].startswith("empty_file")


def test_extract_writes_a_workbook_with_invoices_and_lines(
        generated: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "invoices.xlsx"
    code, _ = _run(tmp_path, "extract", str(generated[0]), str(generated[1]), "--out", str(out))
    assert code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Invoices", "Lines"]
    assert book["Invoices"].max_row == 3
    assert book["Lines"].max_row > 2


def test_samples_invoices_writes_pdfs_with_truth(tmp_path: Path) -> None:
    code, out = _run(tmp_path, "samples", "invoices", "--n", "3", "--out",
                     str(tmp_path / "s"), "--review-share", "0.5")
    assert code == 0, out
    pdfs = sorted((tmp_path / "s").glob("*.pdf"))
    assert len(pdfs) == 3
    truths = [json.loads(p.with_name(p.stem + ".truth.json").read_text()) for p in pdfs]
    assert {t["status"] for t in truths} >= {"review"}
