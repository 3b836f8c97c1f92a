"""The ``bots`` command: the outermost layer.

Core commands live in this package; robots, the scheduler and the web app add theirs through
the ``backoffice.commands`` entry points, loaded only when asked for. Every ``BotError``
becomes a one-line ``Error: ...`` and its exit code; a traceback only with ``--debug``.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Any

import click

from backoffice.cli.context import AppContext
from backoffice.errors import BotError
from backoffice.registry import command_entry_points, load_command

EXIT_INTERRUPTED = 130


class LazyGroup(click.Group):
    """A group whose extra commands are imported on first use."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lazy = lazy or {}
        self._broken: dict[str, str] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(super().list_commands(ctx)) | set(self._lazy)
        return sorted(n for n in names if self.get_command(ctx, n) is not None)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.commands:
            return self.commands[name]
        spec = self._lazy.get(name)
        if spec is None:
            return None
        try:
            command = load_command(spec)
        except Exception as exc:  # a robot that fails to import must not take the CLI down
            self._broken[name] = f"{spec}: {exc}"
            if ctx.find_root().params.get("debug"):
                click.echo(f"warning: command {name!r} unavailable: {exc}", err=True)
            return None
        self.commands[name] = command
        return command


def _main_group() -> LazyGroup:
    from backoffice.cli import runs, samples

    @click.group(
        cls=LazyGroup,
        lazy=dict(command_entry_points()),
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    )
    @click.option(
        "--config",
        "config_file",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Settings file (default: $BOTS_CONFIG or ./bots.toml).",
    )
    @click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
    @click.version_option(package_name="backoffice-bots")
    @click.pass_context
    def bots(ctx: click.Context, config_file: Path | None, debug: bool) -> None:
        """Backoffice Bots: robots for back-office work, with a ledger auditors can trust."""
        app = AppContext(config_file=config_file, debug=debug)
        ctx.obj = app
        ctx.call_on_close(app.close)

    for command in runs.COMMANDS:
        bots.add_command(command)
    bots.add_command(samples.samples)
    return bots


def main(argv: list[str] | None = None) -> None:
    cli = _main_group()
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        cli.main(args=argv, prog_name="bots", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Interrupted.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except BotError as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"Error: unexpected {type(exc).__name__}: {exc} (run with --debug for "
                   "the traceback)", err=True)
        sys.exit(70)


def cli_for_tests() -> click.Group:
    """The command group itself, for click's ``CliRunner``."""
    return _main_group()
