"""Inputs stay in their folder: a link (or ``..``) leading outside is refused with a reason,
and nothing outside is read, moved (archived) or served by the control room."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backoffice.engine import Engine
from backoffice.paths import OutsideFolder
from backoffice.states import ItemState
from backoffice.web import create_app
from tests.core.helpers import make_inputs, write_workflow
from tests.web.conftest import add_users, login

DIGEST = '[input]\nglob = "files/*.txt"\n[[steps]]\nrobot = "file_digest"\n'


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    secret = elsewhere / "payroll.txt"
    secret.write_text("salary of everyone\n")
    return secret


def assert_untouched(secret: Path) -> None:
    assert secret.read_text() == "salary of everyone\n"
    assert not (secret.parent / "processed").exists()
    assert sorted(p.name for p in secret.parent.iterdir()) == [secret.name]


def test_link_in_the_inputs_folder_leading_outside_refuses_the_run(
    settings, ledger, registry, secret_file
) -> None:
    write_workflow(settings, "digest", DIGEST)
    make_inputs(settings, "files", 2)
    (settings.inputs / "files" / "x.txt").symlink_to(secret_file)
    with pytest.raises(OutsideFolder) as err:
        Engine(settings, ledger, registry).run("digest")
    assert "x.txt" in str(err.value) and str(secret_file) in str(err.value)
    assert "outside" in str(err.value)
    assert ledger.runs() == []  # refused before anything was created
    assert_untouched(secret_file)


def test_link_inside_the_folder_is_still_fine(settings, ledger, registry) -> None:
    write_workflow(settings, "digest", DIGEST)
    (real,) = make_inputs(settings, "files", 1)
    (settings.inputs / "files" / "alias.txt").symlink_to(real)
    run = Engine(settings, ledger, registry).run("digest")
    assert [i.state for i in ledger.items(run.id)] == [ItemState.DONE]


def run_bots(settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "backoffice", *args], cwd=settings.base_dir,
                          capture_output=True, text=True, timeout=120)


def test_folder_or_glob_named_on_the_command_line_cannot_lead_outside(
    settings, tmp_path: Path, secret_file: Path
) -> None:
    write_workflow(settings, "digest", DIGEST)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "ok.txt").write_text("fine\n")
    (inbox / "link.txt").symlink_to(secret_file)
    for arg in (str(inbox), str(inbox / "*.txt"), str(inbox / "link.txt"),
                f"{inbox}/../elsewhere/*.txt"):
        result = run_bots(settings, "run", "digest", "--input", arg)
        assert result.returncode == 2, (arg, result.stderr)
        assert "outside" in result.stderr and "refused" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert_untouched(secret_file)


def test_input_swapped_for_a_link_after_it_came_in_is_neither_read_moved_nor_served(
    settings, ledger, registry, secret_file
) -> None:
    write_workflow(settings, "digest", DIGEST)
    (doc,) = make_inputs(settings, "files", 1)
    engine = Engine(settings, ledger, registry)
    run = engine.prepare("digest")
    doc.unlink()
    doc.symlink_to(secret_file)  # the file is replaced between intake and the work
    engine.execute(run.id, actor="test")
    (item,) = ledger.items(run.id)
    assert item.state is ItemState.FAILED
    assert item.reasons and "link" in item.reasons[0] and str(secret_file) in item.reasons[0]
    assert "size" not in item.payload  # the robot never read it
    assert_untouched(secret_file)
    assert doc.is_symlink()  # left where it is, for a person to look at

    add_users(ledger)
    client = TestClient(create_app(settings, ledger, registry))
    login(client, "ada")
    served = client.get(f"/items/{item.id}/files/0")
    assert served.status_code == 404
    assert "salary" not in served.text
