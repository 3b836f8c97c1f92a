"""Config changes are audit events: recorded once per distinct settings fingerprint."""

from __future__ import annotations

from pathlib import Path

from backoffice.config import RoiSettings, Secret
from backoffice.ledger import Ledger
from backoffice.ledger.events import iter_events
from tests.audit.conftest import audit_settings, run_docs


def config_events(ledger: Ledger) -> list[tuple[str, dict[str, object]]]:
    with ledger.reading() as conn:
        return [(e.kind, dict(e.payload)) for e in iter_events(conn)
                if e.kind.startswith("config.")]


def test_first_settings_are_recorded_then_only_changes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'l.sqlite3'}"
    settings = audit_settings(tmp_path, url, secrets={"token": Secret("s3cr3t-value")})
    ledger = Ledger.open(url)
    run_docs(settings, ledger, ["a.txt"], "alice")  # the engine records the settings
    assert ledger.record_config_if_changed(settings, "alice") is None  # same again: nothing

    changed = audit_settings(tmp_path, url, secrets={"token": Secret("s3cr3t-value")},
                             roi=RoiSettings(hourly_cost=80.0))
    assert ledger.record_config_if_changed(changed, "bob") is not None
    events = config_events(ledger)
    assert [k for k, _ in events] == ["config.loaded", "config.changed"]
    loaded, change = events[0][1], events[1][1]
    assert loaded["fingerprint"] == settings.fingerprint()
    assert change["previous_fingerprint"] == settings.fingerprint()
    assert change["changed_sections"] == ["roi"]
    assert change["roi"]["hourly_cost"] == 80.0  # type: ignore[index]
    assert "s3cr3t-value" not in repr(events)
    ledger.close()
