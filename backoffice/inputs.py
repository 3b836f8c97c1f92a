"""Turning input files into work items, each with an idempotency key.

The key is the SHA-256 of the file's bytes (scoped to the workflow by the ledger), so a file
renamed or copied back into the inputs folder is still recognised as done.
"""

from __future__ import annotations

import glob as _glob
import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

from backoffice.errors import ConfigError
from backoffice.ledger import NewItem
from backoffice.paths import inside
from backoffice.workflow import Workflow

_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def expand_paths(paths: Iterable[str | Path], *, patterns: Sequence[str] = ("*",)) -> list[Path]:
    """Files named directly, the files in named folders (matching ``patterns``), and globs.

    Raises ``ConfigError`` naming a path that matches nothing, rather than running on less
    than the operator asked for, and ``OutsideFolder`` for a file that leads (by a link or
    ``..``) outside the folder it was named in: a named folder, a glob's fixed leading
    folder, a named file's own folder.
    """
    found: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_file():
            found[inside(path, path.parent)] = None
        elif path.is_dir():
            for pattern in patterns:
                for p in sorted(path.glob(pattern)):
                    if p.is_file():
                        found[inside(p, path)] = None
        else:
            matches = sorted(Path(m) for m in _glob.glob(str(path), recursive=True))
            files = [m for m in matches if m.is_file()]
            if not files:
                raise ConfigError(f"input {raw!s} does not exist or matches no file")
            root = _fixed_prefix(path)
            for m in files:
                found[inside(m, root)] = None
    return list(found)


def _fixed_prefix(pattern: Path) -> Path:
    """The folder a glob stays in: its parts up to the first wildcard (``..`` ends it)."""
    fixed: list[str] = []
    for part in pattern.parts[:-1]:
        if _glob.has_magic(part) or part == "..":
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def items_for_files(workflow: Workflow, files: Sequence[Path]) -> list[NewItem]:
    """One item per file, or one item for all of them when the workflow says ``batch``."""
    if workflow.input.batch:
        if not files:
            return []
        digests = [file_sha256(f) for f in files]
        key = hashlib.sha256("\n".join(digests).encode()).hexdigest()
        return [
            NewItem(
                key=key,
                source=str(files[0].parent),
                files=tuple(str(f) for f in files),
                payload={"file_names": [f.name for f in files], "sha256": digests},
            )
        ]
    out = []
    for f in files:
        digest = file_sha256(f)
        out.append(
            NewItem(
                key=digest,
                source=str(f),
                files=(str(f),),
                payload={"file_name": f.name, "sha256": digest},
            )
        )
    return out
