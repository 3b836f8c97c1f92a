"""The three things the poster asks of an ERP, each a form-map procedure: sign in, look an
invoice up, enter it."""

from __future__ import annotations

import contextlib
import time

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from backoffice.errors import ApplicationError, ConfigError
from robots.erp.formmap import FormMap
from robots.erp.session import BrowserSession, Tracer
from robots.erp.steps import POLL_MS, StepRunner, describe
from robots.erp.values import Renderer


class ErpClient:
    def __init__(self, session: BrowserSession, form_map: FormMap, base_url: str,
                 user: str) -> None:
        self.session = session
        self.map = form_map
        self.base_url = base_url
        self.user = user
        self.refused: str | None = None  # set once the ERP refused our credentials

    def runner(self) -> StepRunner:
        s = self.session
        return StepRunner(s.page, self.map, self.base_url, s.tracer, s.navigations)

    # ---- login ----------------------------------------------------------------------------
    def ensure_logged_in(self, r: Renderer) -> None:
        if not self.session.logged_in:
            self.login(r)

    def login(self, r: Renderer) -> None:
        """Sign in once, in a context that is never traced. A refusal is a ``ConfigError``
        and is remembered: the robot never tries the same credentials again (a retry loop is
        how accounts get locked)."""
        if self.refused:
            raise ConfigError(self.refused)
        login = self.map.login
        with self.session.signing_in() as (page, navigations):
            run = StepRunner(page, self.map, self.base_url, Tracer(), navigations)
            run.check_login = False
            mark = navigations.seq
            page.goto(run.url(login.url, r), wait_until="domcontentloaded")
            run.run(login.steps, r)
            self._await_login(run, r, mark)
        self.session.logged_in = True

    def _await_login(self, run: StepRunner, r: Renderer, mark: int) -> None:
        login = self.map.login
        ok = run.locate(login.success, r) if login.success else None
        bad = run.locate(login.failure, r) if login.failure else None
        deadline = time.monotonic() + self.map.result.timeout_ms / 1000
        while True:
            run.check_page(mark)
            if bad is not None and bad.count() and bad.first.is_visible():
                text = bad.first.inner_text().strip()[:200]
                self.refused = (f"the ERP at {self.base_url} refused the sign-in of user "
                                f"{self.user!r} ({text}); fix the credentials, then resume "
                                "the run (the robot will not try again before that)")
                raise ConfigError(self.refused)
            if ok is not None:
                if ok.count() and ok.first.is_visible():
                    return
            elif not run.login_page.search(run.page.url):
                return
            if time.monotonic() > deadline:
                raise ApplicationError("erp_timeout", "the ERP did not answer the sign-in")
            with contextlib.suppress(PlaywrightTimeout):
                run.page.wait_for_timeout(POLL_MS / 4)

    # ---- lookup and entry -----------------------------------------------------------------
    def find(self, r: Renderer) -> dict[str, str] | None:
        """The ERP's record of this invoice (``document_number`` ...) or None."""
        lookup = self.map.lookup
        run = self.runner()
        mark = run.nav.seq
        run.run(lookup.steps, r)
        found = run.locate(lookup.found, r)
        if lookup.ready is not None:
            ready = run.locate(lookup.ready, r)
            try:
                found.or_(ready).first.wait_for(state="visible",
                                                timeout=self.map.result.timeout_ms)
            except PlaywrightTimeout:
                raise ApplicationError(
                    "erp_timeout", f"the lookup did not show {describe(lookup.ready)} in time"
                ) from None
        run.check_page(mark)
        if not found.count():
            return None
        values = run.read(lookup.found, found.first)
        values.setdefault("document_number", values["value"])
        return values

    def post(self, r: Renderer) -> dict[str, str]:
        """Fill and submit the entry form; the success page's values (``document_number``)."""
        run = self.runner()
        mark = run.nav.seq
        run.run(self.map.entry.steps, r)
        result = self.map.result
        shown = run.await_outcome(result.success, r, since=mark)
        values = run.read(result.success, shown)
        values.setdefault("document_number", values["value"])
        return values
