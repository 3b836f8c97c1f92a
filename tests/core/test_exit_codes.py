"""The documented exit codes (README): 0 done (items waiting for review included), 1 run
failed, 2 bad configuration or input, 3 not found, 75 resumable. Through the real `bots`
entry point, in process."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from backoffice.cli import main
from backoffice.config import Settings
from backoffice.errors import ConfigError, InputRejected
from backoffice.models import ItemContext, ItemResult, Robot, WorkItem
from tests.core.helpers import make_inputs, write_workflow


class RejectingRobot(Robot):
    """Refuses every input whose name starts with ``bad`` as unprocessable."""

    name: ClassVar[str] = "rejecting"
    version: ClassVar[str] = "1"
    manual_minutes: ClassVar[float] = 1.0

    def process(self, item: WorkItem, ctx: ItemContext) -> ItemResult:
        if item.path is not None and item.path.name.startswith("bad"):
            raise InputRejected("not_a_document", f"{item.path.name} is not a document")
        return ItemResult(output={})


class MisconfiguredRobot(Robot):
    """Needs a secret nobody configured."""

    name: ClassVar[str] = "misconfigured"
    version: ClassVar[str] = "1"
    manual_minutes: ClassVar[float] = 1.0

    def process(self, item: WorkItem, ctx: ItemContext) -> ItemResult:
        raise ConfigError("secret 'erp_password' is not configured")


def bots(capsys: pytest.CaptureFixture[str], settings: Settings, *args: str) -> tuple[int, str]:
    config = settings.base_dir / "bots.toml"
    config.write_text(f'base_dir = "{settings.base_dir}"\n')
    with pytest.raises(SystemExit) as exited:
        main(["--config", str(config), *args])
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out + captured.err


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def test_run_whose_only_failures_are_bad_inputs_exits_2(settings, capsys) -> None:
    write_workflow(settings, "picky", '[input]\nglob = "docs/*.txt"\n[[steps]]\n'
                   'robot = "tests.core.test_exit_codes:RejectingRobot"\n')
    make_inputs(settings, "docs", 2)
    make_inputs(settings, "docs", 1, prefix="bad")
    code, err = bots(capsys, settings, "run", "picky")
    assert code == 2
    assert "COMPLETED" in err and "1 item(s) could not be processed (bad input): exit 2" in err


def test_run_with_an_item_failed_on_a_system_error_exits_1(settings, capsys, tmp_path) -> None:
    down = tmp_path / "down"
    down.touch()
    write_workflow(settings, "flaky", f"""
[[steps]]
robot = "tests.core.robots:FlakyRobot"
params = {{ fail_times = 0, down_flag = "{down}" }}
[retry]
max_attempts = 1
[concurrency]
breaker_threshold = 100
""")
    make_inputs(settings, "x", 1)
    code, err = bots(capsys, settings, "run", "flaky", "--input", str(settings.inputs / "x"))
    assert code == 1
    assert "1 item(s) FAILED: exit 1" in err


def test_run_stopped_by_bad_configuration_exits_2(settings, capsys) -> None:
    write_workflow(settings, "needs-secret", '[[steps]]\n'
                   'robot = "tests.core.test_exit_codes:MisconfiguredRobot"\n')
    make_inputs(settings, "x", 1)
    code, err = bots(capsys, settings, "run", "needs-secret", "--input",
                     str(settings.inputs / "x"))
    assert code == 2
    text = " ".join(err.split())  # the console wraps long lines
    assert "FAILED" in text and "secret 'erp_password' is not configured" in text
    assert text.endswith("stopped by bad configuration: exit 2")


@pytest.mark.parametrize("command", ["erp-demo", "serve"])
def test_a_server_whose_port_is_taken_exits_2_in_one_line(
    settings, capsys, busy_port: int, command: str
) -> None:
    code, err = bots(capsys, settings, command, "--port", str(busy_port))
    assert code == 2
    assert err.strip().splitlines()[-1] == (
        f"Error: cannot listen on 127.0.0.1:{busy_port}: Address already in use")
    assert "Demo ERP on" not in err and "Control room on" not in err, "nothing announced"


def test_unknown_run_exits_3_and_bad_option_exits_2(settings, capsys) -> None:
    assert bots(capsys, settings, "show", "no-such-run")[0] == 3
    assert bots(capsys, settings, "run", "file-digest", "--set", "novalue")[0] == 2
    assert bots(capsys, settings, "run", "file-digest", "--input",
                str(Path(settings.base_dir) / "missing"))[0] == 2
