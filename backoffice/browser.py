"""Finding a Chromium for Playwright: ``BOTS_BROWSER`` (settings.browser), then a system
Chromium, then Playwright's own download. Used by the ERP robot and the browser tests."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from backoffice.config import Settings
from backoffice.errors import ConfigError

SYSTEM_CANDIDATES = (
    "/usr/lib/chromium/chromium",  # Debian: the real binary, no wrapper-script warning
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
)


def find_browser(settings: Settings) -> Path | None:
    """The Chromium executable to use, or None to let Playwright use its own."""
    if settings.browser is not None:
        path = Path(settings.browser)
        if not path.is_file():
            raise ConfigError(f"browser: BOTS_BROWSER={path} does not exist")
        return path
    for candidate in SYSTEM_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def launch_options(settings: Settings, **extra: Any) -> dict[str, Any]:
    """Keyword arguments for ``playwright.chromium.launch``."""
    options: dict[str, Any] = {"headless": True, **extra}
    executable = find_browser(settings)
    if executable is not None:
        options["executable_path"] = str(executable)
    # Closed networks refuse Chromium's background calls by the dozen; ask it not to make them.
    args = list(options.pop("args", []))
    for flag in ("--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"):
        if flag not in args:
            args.append(flag)
    options["args"] = args
    return options
