"""The evidence bundle of a run: events, hashes of inputs and outputs, evidence files,
versions and the config hash, and never a secret."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from backoffice.config import Secret
from backoffice.evidence import export_evidence
from backoffice.ledger import Ledger
from tests.audit.conftest import audit_settings, run_docs

SECRET = "hunter2-very-secret"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_bundle_holds_events_file_hashes_evidence_and_versions_without_secrets(
    tmp_path: Path,
) -> None:
    settings = audit_settings(tmp_path / "site", f"sqlite:///{tmp_path / 'l.sqlite3'}",
                              secrets={"erp_password": Secret(SECRET)})
    ledger = Ledger.open(settings.db_url)
    # An input named after the secret puts it in item keys, events and paths: the bundle
    # must still never show it.
    run = run_docs(settings, ledger, ["invoice.txt", f"{SECRET}.txt"], "alice")
    item = ledger.items(run.id)[0]
    shots = settings.run_dir(run.id) / "evidence" / item.id
    shots.mkdir(parents=True)
    (shots / "screen.png").write_bytes(b"\x89PNG fake screenshot")
    (shots / "trace.zip").write_bytes(b"PK fake trace")

    out = export_evidence(ledger, settings, run.id, tmp_path / "bundle")

    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert {"events.jsonl", "items.json", "manifest.json", "log.jsonl", "SHA256SUMS",
            f"evidence/{item.id}/screen.png", f"evidence/{item.id}/trace.zip"} <= names
    events = [json.loads(line) for line in (out / "events.jsonl").read_text().splitlines()]
    kinds = [e["kind"] for e in events]
    assert kinds[0] == "config.loaded" and "run.created" in kinds and "run.completed" in kinds
    assert all(e["run_id"] == run.id for e in events[1:])

    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["project"]["name"] == "backoffice-bots" and manifest["project"]["version"]
    assert manifest["robots"] == [{"robot": "file_digest", "version": "1"}]
    assert manifest["settings"]["fingerprint_now"] == settings.fingerprint()
    assert manifest["settings"]["unchanged_since_run"] is True
    assert manifest["settings"]["secrets_configured"] == ["erp_password"]
    assert manifest["audit_chain"]["ok"] is True
    by_role: dict[str, list[dict[str, object]]] = {}
    for entry in manifest["files"]:
        by_role.setdefault(str(entry["role"]), []).append(entry)
    inputs = {Path(str(e["path"])).name: e["sha256"] for e in by_role["input"]}
    assert inputs["invoice.txt"] == sha(settings.inputs / "docs" / "invoice.txt")
    (report,) = by_role["output"]
    assert report["sha256"] == sha(settings.outputs / "reports" / f"{run.id}.xlsx")
    shot = next(e for e in by_role["evidence"] if str(e["path"]).endswith("screen.png"))
    assert shot["sha256"] == sha(shots / "screen.png")
    assert by_role["log"][0]["sha256"] == sha(settings.run_dir(run.id) / "log.jsonl")

    for line in (out / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        assert sha(out / name) == digest
    for path in out.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    ledger.close()
