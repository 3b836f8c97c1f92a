"""A stranger's typed user name reaches the audit trail and `bots audit events` only as one
bounded, escaped line (issue 14, item 4)."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient

from backoffice.cli import cli_for_tests
from backoffice.ledger.events import iter_events
from tests.web.conftest import WebEnv, csrf_of

FORGED = "mallory\n     9 2026-12-01T00:00:00+00:00 ada                      user.login"
ANSI = "\x1b[2J\x1b[31mroot\x1b[0m\x9b"


def fail_sign_in(env: WebEnv, name: str) -> int:
    with TestClient(env.app, base_url="http://127.0.0.1") as client:
        token = csrf_of(client.get("/login").text)
        return client.post("/login", data={"username": name, "password": "wrong-password",
                                           "csrf_token": token}).status_code


def test_a_megabyte_user_name_is_kept_as_a_bounded_actor(web_env: WebEnv):
    assert fail_sign_in(web_env, "A" * 1_000_000) == 401
    with web_env.ledger.reading() as conn:
        (event,) = iter_events(conn, kind="user.login_failed")
    assert len(event.actor) <= 200
    assert re.fullmatch(r"A+…\[\+\d+ chars\]", event.actor)


def test_a_name_with_a_newline_or_ansi_escapes_cannot_forge_lines_in_audit_events(
    web_env: WebEnv,
):
    for name in (FORGED, ANSI):
        assert fail_sign_in(web_env, name) == 401
    config = Path(web_env.settings.base_dir) / "bots.toml"
    config.write_text(f'base_dir = "{web_env.settings.base_dir}"\n')
    result = CliRunner().invoke(cli_for_tests(), ["--config", str(config), "audit", "events"])
    assert result.exit_code == 0, result.output
    with web_env.ledger.reading() as conn:
        count = len(list(iter_events(conn)))
    lines = result.output.splitlines()
    assert len(lines) == count  # one line per event, no forged one
    assert all(re.match(r"\s*\d+ \d{4}-", line) for line in lines)
    assert "\x1b" not in result.output and "\x9b" not in result.output
    assert any("mallory\\n     9 2026-12-01" in line for line in lines)
    assert any("\\x1b[2J\\x1b[31mroot" in line for line in lines)
