"""`bots scheduler` validates its schedules file at start: a broken one is bad configuration
(exit 2, one line naming the problem), not a service that starts anyway."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BOTS = Path(sys.executable).with_name("bots")


def test_scheduler_with_a_broken_schedules_file_exits_2_at_start(tmp_path: Path) -> None:
    (tmp_path / "scheduler").mkdir()
    (tmp_path / "scheduler" / "schedules.toml").write_text(
        '[[schedule]]\nid = "x"\nworkflow = "file-digest"\ncron = "not a cron"\n')
    (tmp_path / "bots.toml").write_text(f'base_dir = "{tmp_path}"\n')
    proc = subprocess.run([str(BOTS), "--config", str(tmp_path / "bots.toml"), "scheduler"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "schedules.toml" in lines[0]
