"""Renders invoices with billwright (PyPI), run by ``bench/thirdparty.py`` with the cache on
PYTHONPATH: jobs as JSON on stdin, one report per PDF as JSON on stdout.

Each job becomes a billwright profile as a user keeps one: the package's own example
profile (its brand tokens, styles and fonts) with our company.toml, a client file and the
bill's TOML, then its own command renders it (``python -m billwright --profile DIR --out
DIR bill NUMBER``: its Jinja2 template, its arithmetic, WeasyPrint and the Swiss QR-bill
payment part). Only the data is ours; the wordmark names the company's brand (its first
word). The report gives back net, VAT and total as the package computed them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _toml(data: dict[str, Any]) -> str:
    """The few TOML shapes a profile uses: keys, tables and arrays of tables."""
    lines = [f"{k} = {_toml_value(v)}" for k, v in data.items()
             if not isinstance(v, (dict, list))]
    for key, value in data.items():
        if isinstance(value, dict):
            lines += ["", f"[{key}]"] + [f"{k} = {_toml_value(v)}" for k, v in value.items()]
        elif isinstance(value, list):
            for item in value:
                lines += ["", f"[[{key}]]"] + [f"{k} = {_toml_value(v)}"
                                                for k, v in item.items()]
    return "\n".join(lines) + "\n"


def render(job: dict[str, Any]) -> dict[str, Any]:
    import billwright
    from billwright.load import find_bill, load_company

    example = Path(billwright.__file__).parent / "example"
    pdf = Path(job["path"])
    with tempfile.TemporaryDirectory(prefix="billwright-") as tmp:
        profile = Path(tmp) / "profile"
        shutil.copytree(example, profile)
        shutil.rmtree(profile / "bills")
        shutil.rmtree(profile / "clients")
        (profile / "clients").mkdir()
        bill = job["bill"]
        year = bill["date"][:4]
        (profile / "bills" / year).mkdir(parents=True)
        (profile / "company.toml").write_text(_toml(job["company"]), "utf-8")
        (profile / "clients" / "client.toml").write_text(_toml(job["client"]), "utf-8")
        (profile / "bills" / year / f"{bill['number']}.toml").write_text(
            _toml(bill).replace(f'date = "{bill["date"]}"', f"date = {bill['date']}"),
            "utf-8")
        brand = (profile / "brand.toml").read_text("utf-8")
        (profile / "brand.toml").write_text(
            brand.replace('line2 = "bill"', f"line2 = {json.dumps(job['brand'])}")
            .replace('accent = "wright"', 'accent = ""')
            .replace('tagline = "example.com"', 'tagline = ""'), "utf-8")
        out = Path(tmp) / "out"
        done = subprocess.run([sys.executable, "-m", "billwright", "--profile", str(profile),
                               "--out", str(out), "bill", bill["number"]],
                              capture_output=True, text=True, check=False)
        made = sorted(out.rglob("*.pdf"))
        if done.returncode or len(made) != 1:
            raise RuntimeError(f"billwright failed for {pdf.name}: {done.stderr[-1500:]}")
        shutil.move(made[0], pdf)
        company = load_company(profile)
        parsed = find_bill(profile, bill["number"])
        rate = Decimal(job["company"]["vat_rate"])
        return {"amounts": {"net": str(parsed.net), "vat": str(parsed.vat(rate)),
                            "total": str(parsed.total(rate))},
                "company": company.name}


def main() -> None:
    jobs = json.load(sys.stdin)
    json.dump([render(job) for job in jobs], sys.stdout)


if __name__ == "__main__":
    main()
