"""``untrusted.bounded``: the one rule for outside text kept in the audit trail or printed."""

from __future__ import annotations

from backoffice.ledger import Ledger
from backoffice.ledger.events import iter_events
from backoffice.untrusted import ACTOR_LIMIT, bounded, bounded_payload


def test_short_plain_text_is_kept_as_it_is():
    assert bounded("ada@example.com") == "ada@example.com"
    assert bounded("Zoë Łukasiewicz 東京") == "Zoë Łukasiewicz 東京"


def test_control_characters_become_visible_escapes():
    shown = bounded("a\nb\r\x1b[2J\x9b31m\x7f\u2028\u202egnp.exe")
    assert shown == "a\\nb\\r\\x1b[2J\\x9b31m\\x7f\\u2028\\u202egnp.exe"
    assert shown.isprintable()


def test_long_text_is_cut_to_the_limit_with_a_marker_counting_what_was_left_out():
    shown = bounded("x" * 1_000_000, 200)
    assert len(shown) <= 200
    kept = shown.index("…")
    assert shown == "x" * kept + f"…[+{1_000_000 - kept} chars]"


def test_escapes_count_against_the_limit():
    shown = bounded("\n" * 150, 200)
    assert len(shown) <= 200 and shown.endswith(" chars]") and "\n" not in shown


def test_every_string_of_a_payload_is_bounded_but_keeps_its_newlines():
    payload = bounded_payload({"reason": "line 1\nline 2", "k" * 5000: ["v" * 5000, 7, None]})
    assert payload["reason"] == "line 1\nline 2"
    (key,) = [k for k in payload if k != "reason"]
    assert len(key) <= 4000 and len(payload[key][0]) <= 4000
    assert payload[key][1:] == [7, None]


def test_the_audit_writer_bounds_and_escapes_a_strangers_actor_on_any_database(
    any_ledger_url: str,
):
    ledger = Ledger.open(any_ledger_url)
    try:
        ledger.record_event("user.login_failed", actor="m" * 1_000_000 + "\n",
                            payload={"typed": "p" * 100_000})
        ledger.record_event("user.login_failed", actor="eve\n     2 ts ada user.login")
        with ledger.reading() as conn:
            first, second = list(iter_events(conn, kind="user.login_failed"))
    finally:
        ledger.close()
    assert len(first.actor) <= ACTOR_LIMIT and first.actor.endswith(" chars]")
    assert len(first.payload["typed"]) <= 4000
    assert second.actor == "eve\\n     2 ts ada user.login"
