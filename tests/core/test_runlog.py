"""The per-run JSON-lines log never shows a configured secret, whatever a robot logs."""

from __future__ import annotations

import json

from backoffice.config import load_settings
from backoffice.engine import Engine
from backoffice.ledger import Ledger, NewItem
from backoffice.registry import Registry
from tests.core.helpers import write_workflow


def test_secret_logged_by_a_robot_is_redacted_in_the_run_log(tmp_path):
    settings = load_settings(base_dir=tmp_path, env={"BOTS_SECRET_ERP_PASSWORD": "Pa55-w0rd!"})
    write_workflow(settings, "leak", '[[steps]]\nrobot = "tests.core.robots:SecretLoggingRobot"\n')
    ledger = Ledger.open(settings.db_url)
    run = Engine(settings, ledger, Registry(settings)).run("leak", items=[NewItem(key="k")])
    log = settings.run_dir(run.id) / "log.jsonl"
    text = log.read_text()
    assert "Pa55-w0rd!" not in text
    lines = [json.loads(line) for line in text.splitlines()]
    leaked = next(e for e in lines if e["msg"].startswith("logging in with"))
    assert leaked["msg"] == "logging in with ***" and leaked["pw"] == "***"
    assert b"Pa55-w0rd!" not in (tmp_path / "outputs" / "ledger.sqlite3").read_bytes()
