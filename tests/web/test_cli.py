"""``bots users`` and ``bots review`` through click's runner, on a real SQLite ledger."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from backoffice.cli import cli_for_tests
from backoffice.engine import Engine
from backoffice.states import ItemState
from backoffice.web.users import Role, UserStore
from tests.web.conftest import write_texts


def bots(settings, *args: str, stdin: str | None = None):  # noqa: ANN001
    config = Path(settings.base_dir) / "bots.toml"
    config.write_text(f'base_dir = "{settings.base_dir}"\n')
    result = CliRunner().invoke(cli_for_tests(), ["--config", str(config), *args], input=stdin)
    return result


def _events(ledger, kind: str):  # noqa: ANN001
    from backoffice.ledger.events import iter_events

    with ledger.reading() as conn:
        return list(iter_events(conn, kind=kind))


def test_users_add_list_and_disable_are_recorded_with_the_os_user(settings, ledger):
    added = bots(settings, "users", "add", "maria", "--role", "operator", "--password-stdin",
                 stdin="a-good-password\n")
    assert added.exit_code == 0, added.output
    user = UserStore(ledger).authenticate("maria", "a-good-password")
    assert user is not None and user.role is Role.OPERATOR

    listed = bots(settings, "users", "list", "--json")
    assert json.loads(listed.output) == [
        {"name": "maria", "role": "operator", "disabled": False,
         "created_at": user.created_at.isoformat()}]

    assert bots(settings, "users", "disable", "maria").exit_code == 0
    assert UserStore(ledger).authenticate("maria", "a-good-password") is None
    (event,) = _events(ledger, "user.added")
    assert event.payload == {"user": "maria", "role": "operator"}
    assert event.actor and event.actor != "setup"
    assert _events(ledger, "user.disabled")[0].payload == {"user": "maria", "sessions_ended": 0}


def test_users_add_prompts_twice_for_a_hidden_password(settings, ledger):
    result = bots(settings, "users", "add", "kai", "--role", "auditor",
                  stdin="secret-pass-1\nsecret-pass-1\n")
    assert result.exit_code == 0, result.output
    assert "secret-pass-1" not in result.output
    assert UserStore(ledger).authenticate("kai", "secret-pass-1") is not None


def test_users_add_refuses_an_unknown_role_and_a_short_password(settings, ledger):
    bad_role = bots(settings, "users", "add", "x", "--role", "boss", "--password-stdin",
                    stdin="long-enough-pw\n")
    assert bad_role.exit_code != 0 and "boss" in bad_role.output
    short = bots(settings, "users", "add", "x", "--role", "admin", "--password-stdin",
                 stdin="short\n")
    assert short.exit_code != 0
    assert UserStore(ledger).list() == []


def _review_item(settings, ledger, registry):  # noqa: ANN001
    paths = write_texts(settings.inputs / "files", {"ok.txt": "text\n", "empty.txt": ""})
    run = Engine(settings, ledger, registry).run("file-digest", inputs=paths)
    (item,) = ledger.items(run.id, states=[ItemState.REVIEW])
    return item


def test_review_list_and_show_name_the_item_and_its_reason(settings, ledger, registry):
    item = _review_item(settings, ledger, registry)
    listed = json.loads(bots(settings, "review", "list", "--json").output)
    assert [i["id"] for i in listed] == [item.id]
    shown = json.loads(bots(settings, "review", "show", item.id, "--json").output)
    assert shown["reasons"] == ["empty.txt is empty (0 bytes)"]
    assert shown["validation"] == {"available": False, "ok": None, "reasons": []}


def test_review_approve_applies_the_fields_and_carries_the_item_on(settings, ledger, registry):
    item = _review_item(settings, ledger, registry)
    Path(ledger.item(item.id).files[0]).write_text("now it has text\n")
    result = bots(settings, "review", "approve", item.id, "--set", "note=checked by hand",
                  "--user", "rita")
    assert result.exit_code == 0, result.output
    after = ledger.item(item.id)
    assert after.state is ItemState.DONE
    assert after.payload["note"] == "checked by hand"
    (decision,) = ledger.reviews(item_id=item.id)
    assert decision["reviewer"] == "rita" and decision["minutes_spent"] is None


def test_review_approve_records_the_minutes_given(settings, ledger, registry):
    item = _review_item(settings, ledger, registry)
    result = bots(settings, "review", "approve", item.id, "--minutes", "2.5", "--no-continue")
    assert result.exit_code == 0, result.output
    assert ledger.item(item.id).state is ItemState.PENDING
    assert ledger.reviews(item_id=item.id)[0]["minutes_spent"] == 2.5


def test_review_reject_closes_the_item_with_the_reason(settings, ledger, registry):
    item = _review_item(settings, ledger, registry)
    result = bots(settings, "review", "reject", item.id, "--reason", "not an invoice",
                  "--user", "rita")
    assert result.exit_code == 0, result.output
    assert ledger.item(item.id).state is ItemState.REJECTED
    assert _events(ledger, "review.rejected")[0].actor == "rita"
    again = bots(settings, "review", "reject", item.id, "--reason", "twice")
    assert again.exit_code != 0 and "not in REVIEW" in str(again.exception or again.output)


def test_review_and_show_print_a_files_odd_name_as_one_plain_line(settings, ledger, registry):
    # A file name chooses part of the reason: rich markup, an ANSI escape and a newline in it
    # must come out as visible text on one line, not as colour, a cleared screen or a new line.
    odd = "evil[bold red]x\x1b[2J\nforged.txt"
    paths = write_texts(settings.inputs / "files", {odd: ""})
    run = Engine(settings, ledger, registry).run("file-digest", inputs=paths)
    (item,) = ledger.items(run.id, states=[ItemState.REVIEW])
    for args in (("review", "show", item.id), ("review", "list"), ("show", run.id)):
        result = bots(settings, *args)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output
        assert "evil[bold" in result.output, args  # tables may wrap the rest of the cell
    shown = bots(settings, "review", "show", item.id).output
    (reason,) = [line for line in shown.splitlines() if line.startswith("reason:")]
    assert "evil[bold red]x\\x1b[2J\\nforged.txt is empty" in reason
