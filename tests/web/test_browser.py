"""The control room driven through a real Chromium against a real uvicorn server.

The tests of this module share one server and ledger (starting them once keeps the suite
fast); each test signs in with its own browser context and builds the data it needs.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from backoffice.engine import Engine
from backoffice.states import ItemState, RunState
from scheduler.schedules import schedules_path
from tests.web.conftest import screenshot, write_texts

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def wait_until(check, timeout: float = 20.0):  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def test_operator_runs_the_demo_workflow_and_watches_it_finish(live, page_for):
    write_texts(live.settings.inputs / "files",
                {f"demo-{n}.txt": f"demo text {n}\n" * n for n in range(1, 5)} | {"blank.txt": ""})
    schedules = schedules_path(live.settings)
    schedules.parent.mkdir(parents=True, exist_ok=True)
    schedules.write_text('timezone = "UTC"\n[[schedule]]\nid = "nightly-digest"\n'
                         'workflow = "file-digest"\ncron = "30 2 * * *"\nenabled = true\n')
    page = page_for("olli")
    screenshot(page, "runs-empty" if not live.ledger.runs() else "runs-before")

    page.click("nav >> text=Workflows")
    expect(page.get_by_test_id("run-now-file-digest")).to_be_visible()
    # The next fire time comes from the scheduler's own rules.
    expect(page.locator(".schedule")).to_contain_text(re.compile(r"nightly-digest: .* 02:30 UTC"))
    screenshot(page, "workflows")
    page.get_by_test_id("run-now-file-digest").click()

    page.wait_for_url(re.compile(r".*/runs/\d{8}T\d{6}-[0-9a-f]{4}.*"))
    expect(page.locator(".flash.ok")).to_contain_text("started by olli")
    # The page refreshes itself while the run is in progress, until it shows the end state.
    expect(page.get_by_test_id("run-state")).to_have_text("COMPLETED")
    items = page.get_by_test_id("items")
    expect(items.locator(".badge", has_text="DONE")).to_have_count(4)
    expect(items.locator(".badge", has_text="REVIEW")).to_have_count(1)
    screenshot(page, "run-detail")

    run = live.ledger.runs(workflow="file-digest", limit=1)[0]
    assert run.state is RunState.COMPLETED
    assert run.trigger.actor == "olli"
    page.click("nav >> text=Runs")
    expect(page.get_by_test_id("runs").locator(f"a[href='/runs/{run.id}']")).to_be_visible()
    screenshot(page, "runs")


def test_operator_fixes_an_item_in_review_and_approves_it(live, page_for):
    # Every empty file has the same key, so one empty file in review is all there can be:
    # take it if an earlier test left it, else make it.
    waiting = live.ledger.items(states=[ItemState.REVIEW], workflow="file-digest")
    if not waiting:
        (path,) = write_texts(live.settings.inputs / "review-case", {"note.txt": ""})
        Engine(live.settings, live.ledger, live.registry).run("file-digest", inputs=[path])
        waiting = live.ledger.items(states=[ItemState.REVIEW], workflow="file-digest")
    item = waiting[0]
    run = live.ledger.run(item.run_id)
    name = item.payload["file_name"]

    page = page_for("olli")
    page.click("nav >> text=Review")
    expect(page.get_by_test_id("queue")).to_contain_text(item.id)
    screenshot(page, "review-queue")
    page.click(f"a[href='/review/{item.id}']")
    expect(page.get_by_test_id("reasons")).to_contain_text(f"{name} is empty")
    screenshot(page, "review-file-digest")

    # The reviewer fixes the input (the file the ledger names), then approves: the step runs
    # again on it and the item finishes.
    fixed = live.ledger.item(item.id).path
    fixed.write_text("the missing text\n")
    page.get_by_test_id("approve").click()
    page.wait_for_url(re.compile(rf".*/runs/{run.id}.*"))
    expect(page.locator(".flash.ok")).to_contain_text("approved")
    # the step runs again in the background; the page refreshes itself until it is done
    # (a loaded CI machine can take longer than the default 5 s to get there)
    expect(page.locator(f"tr[id='item-{item.id}'] .badge")).to_have_text("DONE",
                                                                        timeout=30_000)

    after = live.ledger.item(item.id)
    assert after.state is ItemState.DONE
    assert after.payload["size"] == len("the missing text\n")
    (decision,) = live.ledger.reviews(item_id=item.id)
    assert decision["reviewer"] == "olli" and decision["decision"] == "approve"
    # Measured by the server between opening the page and deciding, not guessed.
    assert decision["opened_at"] is not None and decision["minutes_spent"] is not None
    assert decision["minutes_spent"] >= 0


def test_roi_page_shows_the_charts(live, page_for):
    (path,) = write_texts(live.settings.inputs / "roi-case", {"roi.txt": "worth it\n"})
    Engine(live.settings, live.ledger, live.registry).run("file-digest", inputs=[path])
    page = page_for("olli")
    page.click("nav >> text=ROI")
    expect(page.locator("body[data-charts-ready='1']")).to_have_count(1)
    for chart in ("chart-month", "chart-robot"):
        box = page.get_by_test_id(chart).bounding_box()
        assert box and box["width"] > 200 and box["height"] > 150
    expect(page.get_by_test_id("kpis")).to_contain_text("hours saved")
    expect(page.locator("h2", has_text="By robot")).to_be_visible()
    expect(page.locator("table.grid").nth(1)).to_contain_text("file_digest")
    screenshot(page, "roi")


def test_auditor_verifies_the_chain_and_cannot_run_anything(live, page_for):
    page = page_for("aino")
    page.click("nav >> text=Audit")
    page.get_by_test_id("verify").click()
    expect(page.locator(".flash.ok")).to_contain_text("audit chain intact")
    screenshot(page, "audit")
    verified = [e for e in _events(live) if e.kind == "audit.verified"]
    assert verified and verified[-1].actor == "aino" and verified[-1].payload["ok"] is True

    page.click("nav >> text=Workflows")
    expect(page.get_by_test_id("workflows")).to_contain_text("file-digest")
    expect(page.locator("text=Run now")).to_have_count(0)
    expect(page.locator("nav >> text=Users")).to_have_count(0)

    # Posting the form by hand, with a valid session and CSRF token, is still refused.
    token = page.locator("input[name=csrf_token]").first.input_value()
    runs_before = len(live.ledger.runs(limit=500))
    response = page.request.post("/workflows/file-digest/run", form={"csrf_token": token})
    assert response.status == 403
    assert len(live.ledger.runs(limit=500)) == runs_before


def test_admin_sees_the_users_page(live, page_for):
    page = page_for("ada")
    page.click("nav >> text=Users")
    expect(page.locator("table.grid")).to_contain_text("aino")
    screenshot(page, "users")
    page.context.clear_cookies()
    page.goto("/runs")
    expect(page.locator("form.login")).to_be_visible()
    screenshot(page, "login")


def test_admin_changes_a_role_sets_a_password_and_disables_on_the_users_page(live, page_for):
    from backoffice.web.users import Role, UserStore
    from tests.web.conftest import PASSWORD, TEST_HASHER

    store = UserStore(live.ledger, hasher=TEST_HASHER)
    store.add("tove", Role.AUDITOR, PASSWORD, actor="setup")
    tove = page_for("tove")
    page = page_for("ada")
    page.goto("/users")
    row = page.locator("tr[data-user=tove]")
    row.locator("select[name=role]").select_option("reviewer")
    row.get_by_role("button", name="Change role").click()
    expect(page.locator(".flash.ok")).to_contain_text("tove is now reviewer")
    row.locator("input[name=password]").fill("tove-new-secret")
    row.get_by_role("button", name="Set password").click()
    expect(page.locator(".flash.ok")).to_contain_text("1 session(s) ended")
    tove.goto("/runs")  # the password change ended tove's session
    expect(tove.locator("form.login")).to_be_visible()
    row.get_by_role("button", name="Disable").click()
    expect(row).to_contain_text("disabled")
    screenshot(page, "users-managed")
    row.get_by_role("button", name="Enable").click()
    expect(row).to_contain_text("active")
    user = store.authenticate("tove", "tove-new-secret")
    assert user is not None and user.role is Role.REVIEWER


def _events(live):
    from backoffice.ledger.events import iter_events

    with live.ledger.reading() as conn:
        return list(iter_events(conn))
