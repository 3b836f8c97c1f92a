"""`bots audit verify|export|head` through click's runner, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from sqlalchemy import text

from backoffice.audit import event_hash
from backoffice.cli import cli_for_tests
from tests.audit.conftest import Audited


def bots(audited: Audited, *args: str) -> Result:
    config = audited.settings.base_dir / "bots.toml"
    config.write_text(f'base_dir = "{audited.settings.base_dir}"\n'
                      f'database_url = "{audited.settings.db_url}"\n')
    return CliRunner().invoke(cli_for_tests(), ["--config", str(config), *args])


def test_verify_exits_0_when_intact_and_1_naming_the_first_bad_event(
    audited: Audited,
) -> None:
    ok = bots(audited, "audit", "verify")
    assert ok.exit_code == 0, ok.output
    assert "intact" in ok.output
    assert bots(audited, "audit", "verify", "--run", audited.first.id).exit_code == 0

    with audited.ledger.engine.begin() as conn:
        conn.execute(text("UPDATE events SET actor = 'mallory' WHERE id = 3"))
    broken = bots(audited, "audit", "verify")
    assert broken.exit_code == 1
    assert broken.output.strip().splitlines()[-1].startswith("first bad event 3: ")
    assert bots(audited, "audit", "verify", "--run", audited.second.id).exit_code == 1


def test_an_anchor_catches_a_chain_rewritten_from_scratch(audited: Audited) -> None:
    head = bots(audited, "audit", "head").output.strip()
    event_id, digest = head.split(":")
    assert bots(audited, "audit", "verify", "--anchor", head).exit_code == 0
    with audited.ledger.engine.begin() as conn:  # a rewrite that recomputes the hashes
        old = conn.execute(text("SELECT * FROM events WHERE id = :i"),
                           {"i": int(event_id)}).one()._mapping
        forged = event_hash(id=int(event_id), ts=old["ts"], actor="mallory", kind=old["kind"],
                            run_id=old["run_id"], item_id=old["item_id"],
                            payload_json=old["payload"], prev_hash=old["prev_hash"])
        conn.execute(text("UPDATE events SET actor = 'mallory', hash = :h WHERE id = :i"),
                     {"h": forged, "i": int(event_id)})
        conn.execute(text("UPDATE audit_head SET last_hash = :h"), {"h": forged})
    assert bots(audited, "audit", "verify").exit_code == 0  # consistent, yet rewritten
    result = bots(audited, "audit", "verify", "--anchor", f"{event_id}:{digest}")
    assert result.exit_code == 1
    assert f"first bad event {event_id}" in result.output


def test_export_writes_the_bundle_and_unknown_runs_are_an_error(
    audited: Audited, tmp_path: Path
) -> None:
    out = tmp_path / "evidence"
    result = bots(audited, "audit", "export", "--run", audited.first.id, "--out", str(out),
                  "--user", "auditor")
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["run"]["id"] == audited.first.id
    events = json.loads(bots(audited, "audit", "events", "--run", audited.first.id,
                             "--json").output)
    assert events[-1]["kind"] == "evidence.exported"  # the export is a recorded user action
    assert bots(audited, "audit", "verify").exit_code == 0
    missing = bots(audited, "audit", "export", "--run", "nope", "--out", str(out))
    assert missing.exit_code != 0


def test_events_lists_who_did_what(audited: Audited) -> None:
    result = bots(audited, "audit", "events", "--run", audited.second.id, "--json")
    assert result.exit_code == 0, result.output
    events = json.loads(result.output)
    assert {e["actor"] for e in events if e["kind"] == "run.created"} == {"bob"}
    assert any(e["kind"] == "item.review" for e in events)
