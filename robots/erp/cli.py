"""``bots erp-demo``: run the bundled demo ERP in the foreground."""

from __future__ import annotations

import json
from pathlib import Path

import click

from backoffice.cli.context import AppContext
from backoffice.cli.serving import listening_socket, serve_forever
from backoffice.errors import ConfigError
from robots.erp.demo import create_app
from robots.erp.demo.vendors import DEFAULT_VENDORS, check_vendors

DEFAULT_PORT = 8765
DEFAULT_PASSWORD = "demo"


def read_vendors(path: Path | None) -> list[dict[str, str]]:
    if path is None:
        return [dict(v) for v in DEFAULT_VENDORS]
    try:
        return check_vendors(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError, ValueError) as exc:
        raise ConfigError(f"--vendors {path}: {exc}") from None


@click.command("erp-demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(1, 65535))
@click.option("--fail-rate", default=0.0, show_default=True, type=click.FloatRange(0, 1),
              help="Share of submits answered with a 500 (nothing stored).")
@click.option("--fail-after-store-rate", default=0.0, show_default=True,
              type=click.FloatRange(0, 1), help="Share of submits stored, then answered 500.")
@click.option("--latency-ms", default=0, show_default=True, type=click.IntRange(0),
              help="Delay added to every page.")
@click.option("--slow-rate", default=0.0, show_default=True, type=click.FloatRange(0, 1),
              help="Share of pages answered --slow-ms later (a submit: after storing).")
@click.option("--slow-ms", default=0, show_default=True, type=click.IntRange(0))
@click.option("--seed", type=int, default=None, help="Seed of the injected failures.")
@click.option("--session-minutes", default=30.0, show_default=True, type=click.FloatRange(0.01))
@click.option("--vendors", "vendors_file", type=click.Path(path_type=Path, dir_okay=False),
              help="JSON list of vendors: name, tax_id, country, iban, currency.")
@click.option("--db", "db_path", type=click.Path(path_type=Path, dir_okay=False),
              help="SQLite file (default: outputs/demo-erp.sqlite3).")
@click.option("--user", default="demo", show_default=True, help="The user that may sign in.")
@click.pass_obj
def erp_demo(app: AppContext, host: str, port: int, fail_rate: float,
             fail_after_store_rate: float, latency_ms: int, slow_rate: float, slow_ms: int,
             seed: int | None, session_minutes: float, vendors_file: Path | None,
             db_path: Path | None, user: str) -> None:
    """Run the demo ERP (purchase invoices) to post invoices into.

    The user's password is the secret erp_password (BOTS_SECRET_ERP_PASSWORD), the same one
    the ERP poster signs in with; without it the password is "demo".
    """
    settings = app.settings
    vendors = read_vendors(vendors_file)
    sock = listening_socket(host, port)
    secret = settings.secrets.get("erp_password")
    password = secret.get_secret_value() if secret is not None else DEFAULT_PASSWORD
    database = db_path or settings.outputs / "demo-erp.sqlite3"
    asgi = create_app(database, vendors=vendors, users={user: password}, fail_rate=fail_rate,
                      fail_after_store_rate=fail_after_store_rate, latency_ms=latency_ms,
                      slow_rate=slow_rate, slow_ms=slow_ms, seed=seed,
                      session_minutes=session_minutes)
    where = "BOTS_SECRET_ERP_PASSWORD" if secret is not None else f"{DEFAULT_PASSWORD!r}"
    click.echo(f"Demo ERP on http://{host}:{port} (user {user!r}, password {where}); "
               f"{len(vendors)} vendors; database {database}")
    click.echo(f"Post to it: bots run invoice-to-erp --set erp_url=http://{host}:{port}")
    serve_forever(asgi, sock)
