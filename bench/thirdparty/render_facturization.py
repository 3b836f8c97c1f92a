"""Renders invoices with facturization (PyPI), run by ``bench/thirdparty.py`` with the cache
on PYTHONPATH: jobs as JSON on stdin, one report per PDF as JSON on stdout.

Each job is written as the YAML file a user of the package writes and compiled by its own
command (``python -m facturization FILE --output-dir DIR``: its Jinja2 LaTeX template and
its arithmetic, then pdflatex); only the data is ours.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any


def render(job: dict[str, Any]) -> dict[str, Any]:
    import yaml

    data = dict(job["yaml"])
    for key in ("issue_date", "due_date"):
        data[key] = date.fromisoformat(data[key])
    pdf = Path(job["path"])
    with tempfile.TemporaryDirectory(prefix="facturization-") as tmp:
        source = Path(tmp) / f"{pdf.stem}.yaml"
        source.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        done = subprocess.run([sys.executable, "-m", "facturization", str(source),
                               "--output-dir", tmp], capture_output=True, text=True,
                              check=False)
        made = Path(tmp) / f"{pdf.stem}.pdf"
        if done.returncode or not made.is_file():
            log = made.with_suffix(".log")
            tail = log.read_text("utf-8", "replace")[-1500:] if log.is_file() else ""
            raise RuntimeError(f"facturization failed for {pdf.name}: {done.stderr[-500:]}"
                               f"{tail}")
        shutil.move(made, pdf)
    return {}


def main() -> None:
    jobs = json.load(sys.stdin)
    json.dump([render(job) for job in jobs], sys.stdout)


if __name__ == "__main__":
    main()
