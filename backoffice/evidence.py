"""Evidence bundles: what an auditor needs to check one run without access to our systems.

A bundle folder holds:

- ``events.jsonl``  the run's audit events with their hashes (and the config event in force);
- ``items.json``    every item with its attempts, what the robot decided and the reviews;
- ``manifest.json`` SHA-256 and size of every input and output file (where it is now), the
  project and robot versions, the settings fingerprint (secrets excluded) and whether the
  audit chain verified when the bundle was made;
- ``log.jsonl``, ``evidence/`` (screenshots, traces) and ``outputs/`` copied from the run;
- ``SHA256SUMS``    the hash of every file in the bundle (``sha256sum -c SHA256SUMS``).

No secret value is written: configured secrets are replaced by ``***`` in every text file the
bundle writes, on top of the redaction the run logger already does.
"""

from __future__ import annotations

import hashlib
import json
import platform
import shutil
from collections.abc import Iterable
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from backoffice.audit import AuditEvent
from backoffice.config import Settings
from backoffice.ledger import Ledger
from backoffice.reports import item_dict, run_dict
from backoffice.runlog import Redactor

BUNDLE_FORMAT = 1
PACKAGE = "backoffice-bots"
TEXT_SUFFIXES = {".json", ".jsonl", ".txt", ".log", ".csv", ".html", ".xml", ".md"}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def project_version() -> str:
    try:
        return version(PACKAGE)
    except PackageNotFoundError:
        return "unknown"


def _event_dict(e: AuditEvent) -> dict[str, Any]:
    return {"id": e.id, "ts": e.ts, "actor": e.actor, "kind": e.kind, "run_id": e.run_id,
            "item_id": e.item_id, "payload": dict(e.payload), "prev_hash": e.prev_hash,
            "hash": e.hash}


def _file_entry(path: Path, role: str, **extra: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"role": role, "path": str(path), **extra}
    if path.is_file():
        entry.update(sha256=sha256_file(path), size=path.stat().st_size)
    else:
        entry["missing"] = True  # moved or deleted since: the recorded location is kept
    return entry


def export_evidence(
    ledger: Ledger, settings: Settings, run_id: str, out_dir: Path, *, actor: str | None = None
) -> Path:
    """Write the evidence bundle of ``run_id`` into ``out_dir`` (created); returns it.

    With ``actor`` the export itself is recorded in the audit trail, with the SHA-256 of the
    bundle's SHA256SUMS, so a bundle handed over can be tied back to the chain."""
    run = ledger.run(run_id)  # NotFound for an unknown run
    redact = Redactor(s.get_secret_value() for s in settings.secrets.values())
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    run_dir = settings.run_dir(run_id)

    run_events = ledger.events(run_id=run_id)
    chain = ledger.verify_chain(run_id)
    config_event = ledger.config_event_before(run_events[0].id) if run_events else None
    run_hash, robot_versions = ledger.run_provenance(run_id)

    lines = [_event_dict(e) for e in ([config_event] if config_event else []) + run_events]
    _write_text(out_dir / "events.jsonl",
                "".join(json.dumps(e, sort_keys=True, default=str) + "\n" for e in lines), redact)

    items = ledger.items(run_id)
    tries: dict[str, list[Any]] = {}
    for a in ledger.attempts(run_id=run_id):
        tries.setdefault(a.item_id, []).append(a)
    decisions: dict[str, list[dict[str, Any]]] = {}
    for review in ledger.reviews(run_id=run_id):
        decisions.setdefault(review["item_id"], []).append(review)
    item_data = []
    for item in items:
        data = item_dict(item, tries.get(item.id, []))
        data["reviews"] = decisions.get(item.id, [])  # who decided what, and why
        item_data.append(data)
    _write_text(out_dir / "items.json", _dumps(item_data), redact)

    files = [
        _file_entry(Path(f), "input", item_id=item.id) for item in items for f in item.files
    ]
    files += _copied(run_dir / "log.jsonl", out_dir / "log.jsonl", "log", redact, out_dir)
    evidence_dir = run_dir / "evidence"
    for src in _walk(evidence_dir):
        rel = src.relative_to(evidence_dir)
        files += _copied(src, out_dir / "evidence" / rel, "evidence", redact, out_dir)
    for src in _walk(run_dir):
        if src == run_dir / "log.jsonl" or evidence_dir in src.parents or out_dir in src.parents:
            continue  # (the bundle itself may be written under the run's folder)
        dest = out_dir / "outputs" / src.relative_to(run_dir)
        files += _copied(src, dest, "output", redact, out_dir)
    for path in _reports_written(run_events):
        if run_dir not in path.parents:
            files += _copied(path, out_dir / "outputs" / path.name, "output", redact, out_dir)

    fingerprint = settings.fingerprint()
    manifest = {
        "bundle_format": BUNDLE_FORMAT,
        "generated_at": datetime.now(UTC).isoformat(),
        "project": {"name": PACKAGE, "version": project_version(),
                    "python": platform.python_version()},
        "robots": [{"robot": r, "version": v} for r, v in robot_versions],
        "run": run_dict(run),
        "settings": {
            "fingerprint_now": fingerprint,
            "fingerprint_at_run": run_hash,
            "unchanged_since_run": run_hash == fingerprint,
            "secrets_configured": sorted(settings.secrets),  # names only, never values
        },
        "audit_chain": {"ok": chain.ok, "events_verified": chain.checked,
                        "first_bad_event": chain.first_bad_id, "problem": chain.problem,
                        "run_events": len(run_events),
                        "last_event_hash": run_events[-1].hash if run_events else None},
        "files": files,
    }
    _write_text(out_dir / "manifest.json", _dumps(manifest), redact)
    _write_sums(out_dir)
    if actor is not None:
        ledger.record_event(
            "evidence.exported", actor=actor, run_id=run_id,
            payload={"out_dir": redact(str(out_dir)),
                     "sha256sums": sha256_file(out_dir / "SHA256SUMS")},
        )
    return out_dir


def _reports_written(run_events: Iterable[AuditEvent]) -> list[Path]:
    return [Path(str(e.payload["path"])) for e in run_events
            if e.kind == "run.report_written" and e.payload.get("path")]


def _walk(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def _copied(
    src: Path, dest: Path, role: str, redact: Redactor, root: Path
) -> list[dict[str, Any]]:
    """Copy ``src`` into the bundle (text redacted); its entry hashes the original."""
    if not src.is_file():
        return []
    entry = _file_entry(src, role, bundle_path=dest.relative_to(root).as_posix())
    dest.parent.mkdir(parents=True, exist_ok=True)
    if src.suffix.lower() in TEXT_SUFFIXES:
        text = src.read_text(encoding="utf-8", errors="replace")
        clean = redact(text)
        dest.write_text(clean, encoding="utf-8")
        entry["redacted"] = clean != text
    else:
        shutil.copyfile(src, dest)
    return [entry]


def _dumps(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True, default=str, ensure_ascii=False) + "\n"


def _write_text(path: Path, text: str, redact: Redactor) -> None:
    path.write_text(redact(text), encoding="utf-8")


def _write_sums(out_dir: Path) -> None:
    lines = [f"{sha256_file(p)}  {p.relative_to(out_dir).as_posix()}\n"
             for p in _walk(out_dir) if p.name != "SHA256SUMS"]
    (out_dir / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")
