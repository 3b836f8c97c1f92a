"""Inputs stay in their folder: the one rule for paths that come from outside.

A symbolic link (or a ``..``) in an inputs folder could otherwise make a run read, archive
(move) and the control room serve any file on the machine. Paths are checked once where they
come in (resolved, and refused when they leave the folder they were found in) and again where
they are acted on later: the ledger stores resolved paths, so a stored path that no longer
resolves to itself has been replaced by a link since, and is left alone.
"""

from __future__ import annotations

import os
from pathlib import Path

from backoffice.errors import ConfigError


class OutsideFolder(ConfigError):
    """An input that leads outside the folder it was found in (a link, or ``..``)."""

    def __init__(self, path: Path, target: Path, folder: Path) -> None:
        how = "a link to" if path.is_symlink() else "leads to"
        super().__init__(
            f"input {path} is {how} {target}, outside {folder}: refused "
            "(inputs must stay inside their folder)"
        )
        self.path = path
        self.target = target
        self.folder = folder


def inside(path: Path, folder: Path) -> Path:
    """``path`` resolved, when it really is inside ``folder`` (also resolved); else
    ``OutsideFolder`` naming both."""
    target = path.resolve()
    root = folder.resolve()
    if not target.is_relative_to(root):
        raise OutsideFolder(path, target, root)
    return target


def is_in_place(name: str | Path) -> bool:
    """True when ``name`` still resolves to itself: no component of it has become a link
    since it was recorded (resolved) in the ledger."""
    return os.path.realpath(name) == os.path.abspath(name)


def moved_away(names: tuple[str, ...] | list[str]) -> list[str]:
    """The recorded paths among ``names`` that exist but no longer resolve to themselves."""
    return [n for n in names if os.path.lexists(n) and not is_in_place(n)]
