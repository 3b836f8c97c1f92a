"""Writing small test workflows next to a test's settings."""

from __future__ import annotations

from pathlib import Path

from backoffice.config import Settings


def write_workflow(settings: Settings, name: str, body: str) -> None:
    folder = settings.base_dir / "workflows"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.toml").write_text(f'name = "{name}"\n{body}')


def make_inputs(settings: Settings, folder: str, count: int, *, prefix: str = "doc") -> list[Path]:
    target = settings.inputs / folder
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = target / f"{prefix}-{n:03d}.txt"
        path.write_text(f"{prefix} number {n}\n")
        paths.append(path)
    return paths
