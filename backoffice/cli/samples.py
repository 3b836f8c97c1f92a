"""``bots samples KIND``: generators of realistic sample inputs, added by the robots."""

from __future__ import annotations

from importlib.metadata import entry_points

import click

from backoffice.cli import LazyGroup

SAMPLES_GROUP = "backoffice.samples"


@click.group(
    cls=LazyGroup,
    lazy={ep.name: ep.value for ep in entry_points(group=SAMPLES_GROUP)},
)
def samples() -> None:
    """Generate sample inputs (with their truth) for demos and tests."""
