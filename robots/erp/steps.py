"""Carrying out form-map steps on a page: finding targets, doing actions, and telling
success from the ERP's validation errors, a 5xx, a timeout or an expired session.

Errors are classified where they are seen: validation messages and "no such vendor" are the
data's fault (``BusinessError``, review); a 5xx, a timeout or a UI that does not look as the
form map says are the system's (``ApplicationError``, retried).
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from contextlib import nullcontext, suppress
from decimal import Decimal
from typing import Any
from urllib.parse import urljoin

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from backoffice.errors import ApplicationError, BusinessError
from robots.erp.formmap import FormMap, Probe, Step, Target
from robots.erp.session import NavigationLog, Tracer
from robots.erp.values import Renderer, parse_shown

POLL_MS = 200
VERIFY_SETTLE_S = 0.6
# An input's value, else the element's visible text.
READ_VALUE_JS = ("e => ['INPUT', 'TEXTAREA', 'SELECT', 'OUTPUT'].includes(e.tagName) "
                 "? e.value : e.innerText")


class SessionExpired(Exception):
    """The ERP showed its login page where the robot expected to be signed in."""


def js_regex(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Python's named groups ``(?P<x>`` spelled the JavaScript way for Playwright."""
    return re.compile(pattern.replace("(?P<", "(?<"), flags)


def describe(target: Target | None) -> str:
    if target is None:
        return "the page"
    for kind in ("label", "role", "placeholder", "text", "css"):
        value = getattr(target, kind)
        if value is not None:
            name = f" {target.name!r}" if kind == "role" and target.name else ""
            return f"{kind} {value!r}{name}"
    return "the page"


class StepRunner:
    def __init__(self, page: Page, form_map: FormMap, base_url: str, tracer: Tracer,
                 navigations: NavigationLog) -> None:
        self.page = page
        self.map = form_map
        self.base_url = base_url.rstrip("/") + "/"
        self.tracer = tracer
        self.nav = navigations
        self.login_page = re.compile(form_map.login.page_pattern)
        self.check_login = True

    # ---- finding elements -----------------------------------------------------------------
    def locate(self, t: Target, r: Renderer) -> Locator:
        base: Page | Locator = self.locate(t.within, r) if t.within else self.page

        def text(value: str) -> Any:
            rendered = r.render(value)
            return js_regex(rendered) if t.regex else rendered

        exact = t.exact if not t.regex else None
        if t.label is not None:
            loc = base.get_by_label(text(t.label), exact=exact)
        elif t.role is not None:
            name = text(t.name) if t.name is not None else None
            loc = base.get_by_role(t.role, name=name,  # type: ignore[arg-type]
                                   exact=exact if name is not None else None)
        elif t.placeholder is not None:
            loc = base.get_by_placeholder(text(t.placeholder), exact=exact)
        elif t.text is not None:
            loc = base.get_by_text(text(t.text), exact=exact)
        elif t.css is not None:
            loc = base.locator(r.render(t.css))
        elif isinstance(t, Probe) and t.pattern:
            loc = base.get_by_text(js_regex(t.pattern))
        else:
            loc = base.locator("body")
        if t.has_text is not None:
            loc = loc.filter(has_text=text(t.has_text))
        for inner in t.has:
            loc = loc.filter(has=self.locate(inner, r))
        if t.visible is not None:
            loc = loc.filter(visible=t.visible)
        if t.nth is not None:
            nth = r.render(str(t.nth)).strip()
            loc = loc.last if nth == "last" else loc.nth(int(nth))
        return loc

    def url(self, url: str, r: Renderer) -> str:
        return urljoin(self.base_url, r.render(url).lstrip("/") if "://" not in url
                       else r.render(url))

    # ---- navigation checks ----------------------------------------------------------------
    def check_page(self, since: int) -> None:
        err = self.nav.error_since(since)
        if err is not None:
            raise ApplicationError(f"erp_http_{err.status}",
                                   f"the ERP answered HTTP {err.status} for {err.url}")
        if self.check_login and self.login_page.search(self.page.url):
            raise SessionExpired(self.page.url)

    def await_outcome(self, success: Target, r: Renderer, *, since: int,
                      timeout_ms: int | None = None) -> Locator:
        """Wait until ``success`` shows, or fail: the ERP's errors -> BusinessError; a 5xx
        or nothing in time -> ApplicationError; the login page -> SessionExpired."""
        ok = self.locate(success, r)
        errors = self.map.result.errors
        err = self.locate(errors, r).filter(visible=True) if errors else None
        either = ok.or_(err) if err is not None else ok
        deadline = time.monotonic() + (timeout_ms or self.map.result.timeout_ms) / 1000
        while True:
            self.check_page(since)
            try:
                either.first.wait_for(state="visible", timeout=POLL_MS)
            except PlaywrightTimeout:
                if time.monotonic() > deadline:
                    self.check_page(since)
                    raise ApplicationError(
                        "erp_timeout", f"the ERP did not show {describe(success)} in time"
                    ) from None
                continue
            if err is not None and err.count() and not ok.first.is_visible():
                raise self.business_error(err)
            return ok.first

    def business_error(self, err: Locator) -> BusinessError:
        texts = [t.strip() for t in err.all_inner_texts() if t.strip()] or ["(no message)"]
        code = "erp_validation"
        for rule in self.map.result.codes:
            if any(re.search(rule.pattern, t) for t in texts):
                code = rule.code
                break
        return BusinessError(code, "the ERP refused the invoice: " + "; ".join(texts),
                             reasons=texts, details={"erp_errors": texts})

    def read(self, probe: Probe, loc: Locator) -> dict[str, str]:
        """The probe's values from the element's text (named groups, else ``value``)."""
        text = loc.inner_text()
        if not probe.pattern:
            return {"value": text.strip()}
        match = re.search(probe.pattern, text)
        if match is None:
            raise ApplicationError("erp_unexpected_page",
                                   f"{describe(probe)} shows {text[:200]!r}, which does not "
                                   f"match {probe.pattern!r}")
        values = {k: v for k, v in match.groupdict().items() if v is not None}
        values["value"] = match.group(1) if match.groups() else match.group(0)
        return values

    # ---- steps ----------------------------------------------------------------------------
    def run(self, steps: Sequence[Step], r: Renderer) -> None:
        for step in steps:
            if step.when is not None and not r.truthy(step.when):
                continue
            if step.unless is not None and r.truthy(step.unless):
                continue
            if step.action == "for_each":
                self._for_each(step, r)
                continue
            secret = step.secret or any(Renderer.names_secret(v) for v in (step.value, step.url))
            with self.tracer.paused() if secret else nullcontext():
                try:
                    self._do(step, r)
                except PlaywrightTimeout:
                    raise ApplicationError(
                        "erp_timeout", f"{step.action} {describe(step)}: timed out"
                    ) from None
                except PlaywrightError as exc:
                    detail = "" if secret else f": {str(exc).splitlines()[0][:300]}"
                    raise ApplicationError(
                        "erp_ui_error", f"{step.action} {describe(step)} failed{detail}"
                    ) from None

    def _for_each(self, step: Step, r: Renderer) -> None:
        assert step.items is not None
        elements = r.lookup(step.items) or []
        if not isinstance(elements, list | tuple):
            raise BusinessError("bad_value", f"{step.items} is not a list")
        for index, element in enumerate(elements):
            self.run(step.steps, r.child(**{step.as_: element, "index": index, "n": index + 1}))

    def _do(self, step: Step, r: Renderer) -> None:
        a = step.action
        timeout = step.timeout_ms
        if a == "goto":
            assert step.url is not None
            mark = self.nav.seq
            try:
                response = self.page.goto(self.url(step.url, r), wait_until="domcontentloaded",
                                          timeout=timeout)
            except PlaywrightError as exc:
                if isinstance(exc, PlaywrightTimeout):
                    raise
                raise ApplicationError("erp_unreachable",
                                       f"cannot open the ERP: {str(exc).splitlines()[0]}") from None
            if response is not None and response.status >= 500:
                raise ApplicationError(f"erp_http_{response.status}",
                                       f"the ERP answered HTTP {response.status} for {step.url}")
            self.check_page(mark)
            return
        if a in ("extract", "expect_text"):
            self._text_step(step, r)
            return
        if a == "verify":
            self._verify(step, r)
            return
        loc = self.locate(step, r)
        if step.optional:
            try:
                loc.first.wait_for(state="attached", timeout=timeout or 1_000)
            except PlaywrightTimeout:
                return
        value = r.render(step.value) if step.value is not None else ""
        mark = self.nav.seq
        if a == "fill":
            loc.fill(value, timeout=timeout)
        elif a == "type":
            loc.fill("", timeout=timeout)
            loc.press_sequentially(value, timeout=timeout)
        elif a == "select":
            loc.select_option(value, timeout=timeout)
        elif a == "autocomplete":
            self._autocomplete(step, loc, value, r)
        elif a == "click":
            loc.click(timeout=timeout)
        elif a in ("check", "uncheck"):
            loc.set_checked(a == "check", timeout=timeout)
        elif a == "press":
            loc.press(value, timeout=timeout)
        elif a == "wait_for":
            loc.wait_for(state=step.state, timeout=timeout)
        if step.expect is not None:
            self.await_outcome(step.expect, r, since=mark, timeout_ms=timeout)

    def _autocomplete(self, step: Step, loc: Locator, value: str, r: Renderer) -> None:
        if step.keystrokes:
            loc.fill("", timeout=step.timeout_ms)
            loc.press_sequentially(value, timeout=step.timeout_ms)
        else:
            loc.fill(value, timeout=step.timeout_ms)
        scoped = r.child(value=value)
        option = self.locate(step.option or Target(role="option", name=value), scoped)
        none = self.locate(step.no_match, scoped) if step.no_match else None
        either = option.or_(none) if none is not None else option
        with suppress(PlaywrightTimeout):  # nothing showed at all: no match either
            either.first.wait_for(state="visible", timeout=step.timeout_ms or self.map.timeout_ms)
        if option.count() and option.first.is_visible():
            option.first.click(timeout=step.timeout_ms)
            return
        raise BusinessError(step.not_found,
                            f"the ERP offers no {describe(step)} matching {value!r}")

    def _text_step(self, step: Step, r: Renderer) -> None:
        assert step.pattern is not None
        loc = self.locate(step, r) if step.has_locator else self.page.locator("body")
        text = loc.first.inner_text(timeout=step.timeout_ms)
        # The pattern is a template too ("{invoice.invoice_number|re}"); regex quantifiers
        # like {2} or {1,3} are not placeholders, so they pass through unchanged.
        pattern = r.render(step.pattern)
        match = re.search(pattern, text)
        if step.action == "expect_text":
            if match is None:
                code = step.code or "erp_unexpected_page"
                message = f"{describe(step)} does not show {pattern!r}"
                if step.on_fail == "business":
                    raise BusinessError(code, message)
                raise ApplicationError(code, message)
            return
        if match is None:
            raise ApplicationError("erp_unexpected_page",
                                   f"{describe(step)} does not show {pattern!r}")
        found = r.scope.setdefault("vars", {})
        found.update({k: v for k, v in match.groupdict().items() if v is not None})
        if step.into:
            found[step.into] = match.group(1) if match.groups() else match.group(0)

    def _shown_number(self, step: Step, r: Renderer) -> tuple[str, Decimal | None]:
        """The text of the step's element (an input's value) and the number in it."""
        loc = (self.locate(step, r) if step.has_locator else self.page.locator("body")).first
        text = str(loc.evaluate(READ_VALUE_JS, timeout=step.timeout_ms)).strip()
        if step.pattern:
            match = re.search(r.render(step.pattern), text)
            if match is None:
                return text, None
            text = match.group(1) if match.groups() else match.group(0)
        return text, parse_shown(text, self.map.locale)

    def _verify(self, step: Step, r: Renderer) -> None:
        """The ERP's own figure (a total it computed) must equal the invoice's, as decimals;
        a difference goes to review with both values, before anything is saved."""
        assert step.equals is not None
        wanted_text = r.render(step.equals).strip()
        wanted = parse_shown(wanted_text, None)
        if wanted is None:
            raise BusinessError("bad_value", f"{step.equals} is not a number: {wanted_text!r}")
        tolerance = abs(Decimal(step.tolerance))
        deadline = time.monotonic() + VERIFY_SETTLE_S
        while True:  # a page that recomputes on input may lag a moment behind the last fill
            text, shown = self._shown_number(step, r)
            if shown is not None and abs(shown - wanted) <= tolerance:
                return
            if time.monotonic() > deadline:
                break
            self.page.wait_for_timeout(POLL_MS)
        if shown is None:
            raise ApplicationError("erp_unexpected_page",
                                   f"{describe(step)} shows {text[:200]!r}, not a number")
        code = step.code or "erp_total_mismatch"
        what = step.equals.strip("{}").split("|")[0]
        message = (f"the ERP computes {shown}, the invoice says {wanted} ({what}, "
                   f"difference {shown - wanted:+})")
        raise BusinessError(code, message,
                            details={"erp_value": str(shown), "invoice_value": str(wanted),
                                     "field": what})
