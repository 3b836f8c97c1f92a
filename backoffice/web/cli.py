"""``bots users`` (add, list, role, password, disable, enable) and ``bots serve``."""

from __future__ import annotations

import getpass
import sys

import click
from rich.console import Console
from rich.table import Table

from backoffice.cli.context import AppContext, emit_json
from backoffice.errors import ConfigError
from backoffice.web.users import Role, UserStore, parse_role

ROLE_CHOICE = click.Choice([r.value for r in Role], case_sensitive=False)
ROLE_HELP = ("auditor: read only; reviewer: read, approve/reject review items; "
             "operator: also run workflows; admin: all + users.")
PASSWORD_STDIN = click.option(
    "--password-stdin", is_flag=True,
    help="Read the password from the first line of stdin (for scripts).")


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        raise ConfigError("the password is empty")
    return password


def os_user() -> str:
    """Who is at the terminal: the actor of user-management events done from the CLI."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@click.group("users")
def users() -> None:
    """Who may sign in to the control room, and with which role."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=ROLE_CHOICE, required=True, help=ROLE_HELP)
@PASSWORD_STDIN
@click.pass_obj
def add_cmd(app: AppContext, name: str, role: str, password_stdin: bool) -> None:
    """Add user NAME. Prompts for the password (hidden, twice) unless --password-stdin."""
    password = read_password(password_stdin)
    user = UserStore(app.ledger).add(name, parse_role(role), password, actor=os_user())
    click.echo(f"User {user.name} added with role {user.role.value}.")


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_obj
def list_cmd(app: AppContext, as_json: bool) -> None:
    """List the users and their roles."""
    found = UserStore(app.ledger).list()
    if as_json:
        emit_json([{"name": u.name, "role": u.role.value, "disabled": u.disabled,
                    "created_at": u.created_at.isoformat()} for u in found])
        return
    table = Table("user", "role", "status", "created")
    for u in found:
        table.add_row(u.name, u.role.value, "disabled" if u.disabled else "active",
                      u.created_at.strftime("%Y-%m-%d %H:%M"))
    Console().print(table)


@users.command("disable")
@click.argument("name")
@click.pass_obj
def disable_cmd(app: AppContext, name: str) -> None:
    """Disable user NAME: their sessions end at once. The last admin stays enabled."""
    UserStore(app.ledger).set_disabled(name, True, actor=os_user())
    click.echo(f"User {name} disabled; their sessions ended.")


@users.command("enable")
@click.argument("name")
@click.pass_obj
def enable_cmd(app: AppContext, name: str) -> None:
    """Enable user NAME again (they sign in anew)."""
    UserStore(app.ledger).set_disabled(name, False, actor=os_user())
    click.echo(f"User {name} enabled.")


@users.command("role")
@click.argument("name")
@click.argument("role", type=ROLE_CHOICE)
@click.pass_obj
def role_cmd(app: AppContext, name: str, role: str) -> None:
    """Give user NAME the role ROLE (from their next request). The last admin stays one."""
    user = UserStore(app.ledger).set_role(name, parse_role(role), actor=os_user())
    click.echo(f"User {user.name} now has role {user.role.value}.")


@users.command("password")
@click.argument("name")
@PASSWORD_STDIN
@click.pass_obj
def password_cmd(app: AppContext, name: str, password_stdin: bool) -> None:
    """Set a new password for NAME (prompted twice, hidden); ends every session of theirs."""
    store = UserStore(app.ledger)
    store.get(name)  # NotFound before asking for a password
    ended = store.set_password(name, read_password(password_stdin), actor=os_user())
    click.echo(f"Password of {name} changed; {ended} session(s) ended.")


@click.command("serve")
@click.option("--host", default=None, help="Address to bind (default: web.host, 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Port (default: web.port, 8080).")
@click.pass_obj
def serve(app: AppContext, host: str | None, port: int | None) -> None:
    """Run the control room (web UI) until Ctrl-C."""
    from backoffice.cli.serving import listening_socket, serve_forever
    from backoffice.web.app import create_app

    web = app.settings.web
    host = host or web.host
    port = port or web.port
    if not UserStore(app.ledger).list():
        app.console.print("[yellow]No users yet: add one with "
                          "`bots users add NAME --role admin`.")
    if host not in ("127.0.0.1", "localhost", "::1"):
        app.console.print(f"[yellow]Listening on {host}: put TLS in front of it (a reverse "
                          "proxy) before anyone signs in over the network.")
    sock = listening_socket(host, port)
    application = create_app(app.settings, app.ledger, app.registry)
    app.console.print(f"Control room on http://{host}:{port}/ (Ctrl-C to stop)")
    serve_forever(application, sock)
