"""Every command that reads workbooks exits 2 (bad input) for a 0-byte workbook, a workbook
without a header row and a corrupt one, with a one-line reason: `bots reconcile` (either
side) and `bots run bank-reconciliation`. Real files, the real `bots` entry point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from backoffice.cli import main
from robots.reconcile.samples import generate_pair
from tests.reconcile.conftest import write_xlsx

BOTS = Path(sys.executable).with_name("bots")


def zero_bytes(path: Path, good: Path) -> Path:
    path.write_bytes(b"")
    return path


def no_header_row(path: Path, good: Path) -> Path:
    # A real workbook holding real statement lines, but the header row was left out.
    return write_xlsx(path, [["2024-03-01", "INV-1001", "-120.50", "Acme Oy"],
                             ["2024-03-02", "INV-1002", "99.90", "Beta AB"]])


def corrupt(path: Path, good: Path) -> Path:
    data = good.read_bytes()  # a real workbook cut off half-way, as a broken download is
    path.write_bytes(data[: len(data) // 2])
    return path


BAD = {"zero-bytes": zero_bytes, "no-header-row": no_header_row, "corrupt": corrupt}
REASON = {"zero-bytes": "empty_file", "no-header-row": "missing_column",
          "corrupt": "corrupt_workbook"}


def bots(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    return int(exited.value.code or 0), capsys.readouterr().err


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    left, right, _ = generate_pair(tmp_path_factory.mktemp("pair"), 20)
    return left, right


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("kind", BAD)
def test_reconcile_exits_2_for_a_bad_workbook_on_either_side(
    tmp_path: Path, pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str], kind: str,
    side: str,
) -> None:
    left, right = pair
    bad = BAD[kind](tmp_path / "bad.xlsx", left)
    args = [str(bad), str(right)] if side == "left" else [str(left), str(bad)]
    code, err = bots(capsys, "reconcile", *args, "--out", str(tmp_path / "r.xlsx"))
    assert code == 2
    assert err.startswith(f"Error: {REASON[kind]}: bad.xlsx") and err.count("\n") == 1
    assert not (tmp_path / "r.xlsx").exists()


@pytest.mark.parametrize("kind", BAD)
def test_bank_reconciliation_run_exits_2_and_keeps_the_bad_workbook(
    tmp_path: Path, pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, kind: str,
) -> None:
    left, right = pair
    inputs = tmp_path / "inputs"
    (inputs / "bank").mkdir(parents=True)
    (inputs / "ledger").mkdir()
    BAD[kind](inputs / "bank" / "statement.xlsx", left)
    (inputs / "ledger" / "open_items.xlsx").write_bytes(right.read_bytes())
    config = tmp_path / "bots.toml"
    config.write_text(f'base_dir = "{tmp_path}"\n')
    monkeypatch.chdir(tmp_path)
    code, err = bots(capsys, "--config", str(config), "run", "bank-reconciliation")
    assert code == 2, err
    assert "1 item(s) could not be processed (bad input): exit 2" in err
    assert (inputs / "bank" / "failed" / "statement.xlsx").is_file(), "the original is kept"


def test_a_real_bots_process_exits_2_for_a_corrupt_workbook(
    tmp_path: Path, pair: tuple[Path, Path]
) -> None:
    left, right = pair
    bad = corrupt(tmp_path / "bank.xlsx", left)
    proc = subprocess.run([str(BOTS), "reconcile", str(bad), str(right), "--out",
                           str(tmp_path / "r.xlsx")],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.startswith("Error: corrupt_workbook: bank.xlsx")
    assert "Traceback" not in proc.stderr

