"""Moving an item's original files once it settles: processed/, review/ or failed/ beside
where they came in. Nothing is ever deleted or overwritten; a name already taken gets a
numbered suffix."""

from __future__ import annotations

import shutil
from pathlib import Path

from backoffice.paths import OutsideFolder, inside, is_in_place
from backoffice.states import ItemState
from backoffice.workflow import Archive


def folder_for(archive: Archive, state: ItemState) -> str | None:
    if state in (ItemState.DONE, ItemState.SKIPPED):
        return archive.done
    if state is ItemState.REVIEW:
        return archive.review
    if state in (ItemState.FAILED, ItemState.REJECTED):
        return archive.failed
    return None


def free_path(target: Path) -> Path:
    if not target.exists():
        return target
    for n in range(1, 100_000):
        candidate = target.with_name(f"{target.stem}.{n}{target.suffix}")
        if not candidate.exists():
            return candidate
    raise FileExistsError(target)


def archive_files(
    files: tuple[str, ...], source: str | None, archive: Archive, state: ItemState
) -> tuple[str, ...] | None:
    """Move ``files`` into the folder for ``state``; returns their new paths, or None when
    nothing moved. The folder is relative to where the item's input first arrived, so a file
    approved out of review/ lands in processed/ beside it, not inside review/.

    A recorded path that has become a link since it came in, or an archive folder that is a
    link leading elsewhere, raises ``OutsideFolder``: nothing outside is ever moved."""
    folder = folder_for(archive, state)
    if not folder or not files:
        return None
    origin = Path(source).parent if source and Path(source).suffix else None
    moved: list[str] = []
    changed = False
    for name in files:
        path = Path(name)
        home = origin or path.parent
        target_dir = home / folder
        if not is_in_place(path):
            raise OutsideFolder(path, path.resolve(), home)
        if path.parent.resolve() == target_dir.resolve() or not path.exists():
            moved.append(name)
            continue
        target_dir.mkdir(parents=True, exist_ok=True)
        inside(target_dir, home)
        target = free_path(target_dir / path.name)
        shutil.move(str(path), target)
        moved.append(str(target))
        changed = True
    return tuple(moved) if changed else None
