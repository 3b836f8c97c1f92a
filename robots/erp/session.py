"""One worker's browser: a Chromium, one context and one page kept across items, a record
of the main frame's navigations (to see a 5xx behind a form submit) and a tracer that keeps
a Playwright trace of an item only when the item fails, never while a secret is typed.

Playwright's sync API binds its objects to the thread that made them, so each engine worker
(one robot instance, opened in its own thread) owns one ``BrowserSession``; ``--workers N``
means N browsers with one context each.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from backoffice.browser import launch_options
from backoffice.config import Settings

_log = logging.getLogger(__name__)
# Carries a sign-in's local storage (SPA tokens) into the working context's pages.
_LOCAL_STORAGE_JS = """(() => { for (const o of %s) { if (location.origin !== o.origin) continue;
  for (const e of o.localStorage) { localStorage.setItem(e.name, e.value); } } })();"""


@dataclass
class Navigation:
    seq: int
    status: int
    url: str


class NavigationLog:
    """The main frame's document responses, numbered, so a step can ask "did the ERP answer
    5xx since I clicked?" even when the answer came through a redirect."""

    def __init__(self) -> None:
        self.seq = 0
        self.last: Navigation | None = None
        self.last_error: Navigation | None = None

    def on_response(self, page: Page, response: Any) -> None:
        try:
            if response.frame != page.main_frame or not response.request.is_navigation_request():
                return
        except PlaywrightError:
            return
        self.seq += 1
        self.last = Navigation(self.seq, response.status, response.url)
        if response.status >= 500:
            self.last_error = self.last

    def error_since(self, mark: int) -> Navigation | None:
        err = self.last_error
        return err if err is not None and err.seq > mark else None


class Tracer:
    """Per-item trace chunks. ``paused()`` stops recording (saving what came before as a part)
    around anything that types or sends a secret, so no secret ever reaches a trace file."""

    def __init__(self) -> None:
        self.context: BrowserContext | None = None
        self.folder: Path | None = None
        self.recording = False
        self.parts: list[Path] = []

    def attach(self, context: BrowserContext, *, snapshots: bool = False) -> None:
        context.tracing.start(snapshots=snapshots, screenshots=False, sources=False)
        context.tracing.stop_chunk()  # discard: chunks are started per item
        self.context = context
        self.recording = False

    def begin(self, folder: Path, title: str) -> None:
        self.folder, self.parts = folder, []
        self._start(title)

    def _start(self, title: str = "") -> None:
        if self.context is None or self.recording:
            return
        try:
            self.context.tracing.start_chunk(title=title or None)
            self.recording = True
        except PlaywrightError:
            _log.warning("could not start a trace chunk", exc_info=True)

    def _stop(self, keep: bool) -> None:
        if self.context is None or not self.recording:
            return
        self.recording = False
        try:
            if keep and self.folder is not None:
                self.folder.mkdir(parents=True, exist_ok=True)
                path = self.folder / f"trace-{len(self.parts) + 1}.zip"
                self.context.tracing.stop_chunk(path=path)
                self.parts.append(path)
            else:
                self.context.tracing.stop_chunk()
        except PlaywrightError:
            _log.warning("could not stop a trace chunk", exc_info=True)

    @contextmanager
    def paused(self) -> Iterator[None]:
        in_item = self.recording
        self._stop(keep=True)
        try:
            yield
        finally:
            if in_item:
                self._start()

    def end(self, *, keep: bool) -> list[Path]:
        """Finish the item's trace: its files when ``keep``, else nothing is left behind."""
        self._stop(keep=keep)
        parts, self.parts, self.folder = self.parts, [], None
        if keep:
            return parts
        for part in parts:
            part.unlink(missing_ok=True)
        return []


class BrowserSession:
    """Started on first use in the calling (worker) thread; ``reset`` after a browser error
    makes the next use start over with a fresh context (and browser, if it died)."""

    def __init__(self, settings: Settings, *, headless: bool = True, timeout_ms: int = 10_000,
                 trace: bool = True, trace_snapshots: bool = False) -> None:
        self.settings = settings
        self.headless = headless
        self.timeout_ms = timeout_ms
        self.trace = trace
        self.trace_snapshots = trace_snapshots
        self.tracer = Tracer()
        self.navigations = NavigationLog()
        self.logged_in = False
        self._pw: Playwright | None = None
        self._browser: Browser | None = None
        self._context: BrowserContext | None = None
        self._page: Page | None = None

    @property
    def page(self) -> Page:
        if self._page is None:
            self._start()
        assert self._page is not None
        return self._page

    def _start(self) -> None:
        if self._pw is None:
            self._pw = sync_playwright().start()
        if self._browser is None or not self._browser.is_connected():
            self._browser = self._pw.chromium.launch(
                **launch_options(self.settings, headless=self.headless)
            )
        self._context = self._browser.new_context(viewport={"width": 1280, "height": 900})
        self._context.set_default_timeout(self.timeout_ms)
        self.tracer = Tracer()
        if self.trace:
            self.tracer.attach(self._context, snapshots=self.trace_snapshots)
        page = self._context.new_page()
        self.navigations = NavigationLog()
        page.on("response", lambda response: self.navigations.on_response(page, response))
        self._page = page
        self.logged_in = False

    @contextmanager
    def signing_in(self) -> Iterator[tuple[Page, NavigationLog]]:
        """A fresh context that is never traced, for signing in. Pausing the trace is not
        enough: Playwright writes a request's network entry (with its form body, i.e. the
        password) when the response completes, possibly after recording resumed. So the
        working context never sees the sign-in; it gets the session's cookies and local
        storage once the sign-in succeeded."""
        _ = self.page
        assert self._browser is not None and self._context is not None
        context = self._browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(self.timeout_ms)
        page = context.new_page()
        navigations = NavigationLog()
        page.on("response", lambda response: navigations.on_response(page, response))
        try:
            yield page, navigations
            state = context.storage_state()
            self._context.add_cookies(state["cookies"])  # type: ignore[arg-type]
            origins = [o for o in state.get("origins", []) if o.get("localStorage")]
            if origins:
                self._context.add_init_script(script=_LOCAL_STORAGE_JS % json.dumps(origins))
        finally:
            with suppress(PlaywrightError):
                context.close()

    def screenshot(self, path: Path) -> Path | None:
        """A full-page screenshot with every password field masked; None if impossible."""
        if self._page is None:
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._page.screenshot(path=path, full_page=True, timeout=5_000,
                                  mask=[self._page.locator("input[type=password]")])
            return path
        except PlaywrightError:
            _log.warning("could not take a screenshot", exc_info=True)
            return None

    def reset(self) -> None:
        """Drop the context (after a browser error); the browser is kept if still alive."""
        context, self._context, self._page = self._context, None, None
        self.logged_in = False
        if context is not None:
            with suppress(PlaywrightError):
                context.close()

    def close(self) -> None:
        self.reset()
        for closer in (self._browser.close if self._browser else None,
                       self._pw.stop if self._pw else None):
            if closer is None:
                continue
            try:
                closer()
            except Exception:
                _log.debug("ignored error while closing the browser", exc_info=True)
        self._browser = None
        self._pw = None
