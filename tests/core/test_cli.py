"""The `bots` command through click's runner and as a real process."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from backoffice.cli import cli_for_tests
from tests.core.helpers import make_inputs, write_workflow


def _unused(): pass


def _unused_invoke(settings, *args: str):
    runner = CliRunner()
    return runner.invoke(
        cli_for_tests(), list(args), env={"BOTS_CONFIG": ""}, catch_exceptions=False,
        obj=None, standalone_mode=False,
    ) if False else runner.invoke(cli_for_tests(), list(args))


def run_bots(settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backoffice", *args],
        cwd=settings.base_dir,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_run_then_runs_and_show_as_json(settings, ledger):
    write_workflow(settings, "digest",
                   '[input]\nglob = "files/*.txt"\n[[steps]]\nrobot = "file_digest"\n')
    make_inputs(settings, "files", 3)
    (settings.inputs / "files" / "empty.txt").write_text("")
    done = run_bots(settings, "run", "digest", "--user", "olga")
    assert done.returncode == 0, done.stderr
    assert "COMPLETED" in done.stderr and "review" in done.stderr

    listing = json.loads(run_bots(settings, "runs", "--json").stdout)
    assert listing[0]["workflow"] == "digest"
    assert listing[0]["trigger"] == {"kind": "manual", "actor": "olga", "schedule_id": None}
    assert listing[0]["counts"]["DONE"] == 3 and listing[0]["counts"]["REVIEW"] == 1
    assert listing[0]["minutes_saved"] == 1.5  # 3 done x 0.5 min; the review item earns 0

    shown = json.loads(run_bots(settings, "show", listing[0]["id"], "--json").stdout)
    states = sorted(i["state"] for i in shown["items"])
    assert states == ["DONE", "DONE", "DONE", "REVIEW"]
    review = next(i for i in shown["items"] if i["state"] == "REVIEW")
    assert review["reasons"] == ["empty.txt is empty (0 bytes)"]
    assert review["attempts"][0]["outcome"] == "review"


def test_unknown_workflow_is_a_one_line_error_with_exit_code(settings):
    result = run_bots(settings, "run", "no-such-flow")
    assert result.returncode == 3
    assert result.stderr.strip().startswith("Error: workflow 'no-such-flow' not found")
    assert "Traceback" not in result.stderr
    debug = run_bots(settings, "--debug", "run", "no-such-flow")
    assert "Traceback" in debug.stderr


def test_bad_config_exits_2_naming_the_key(settings):
    (settings.base_dir / "bots.toml").write_text("[web]\nport = 99999\n")
    result = run_bots(settings, "runs")
    assert result.returncode == 2
    assert "web.port" in result.stderr


def test_missing_input_path_is_reported_not_ignored(settings):
    write_workflow(settings, "digest", '[[steps]]\nrobot = "file_digest"\n')
    result = run_bots(settings, "run", "digest", "--input", "nowhere/*.pdf")
    assert result.returncode == 2
    assert "matches no file" in result.stderr


def test_workflows_and_robots_list_what_is_installed(settings):
    runner = CliRunner()
    result = runner.invoke(cli_for_tests(), ["robots", "--json"], catch_exceptions=False)
    names = {r["name"] for r in json.loads(result.output)}
    assert {"noop", "file_digest"} <= names
    write_workflow(settings, "mine", '[[steps]]\nrobot = "noop"\n')
    listed = run_bots(settings, "workflows", "--json")
    assert "mine" in {w["name"] for w in json.loads(listed.stdout)}
