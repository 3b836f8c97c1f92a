"""The form-map language: validation at the edge and template values."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from backoffice.config import load_settings
from backoffice.errors import BusinessError, ConfigError
from robots.erp.formmap import Locale, load_form_map, parse_form_map
from robots.erp.values import Renderer, SecretValues, parse_shown

MINIMAL = """
name = "tiny"
[login]
steps = [{ action = "fill", label = "User", value = "{user}" }]
[lookup]
steps = [{ action = "goto", url = "/search?q={invoice.invoice_number|url}" }]
found = { role = "row", pattern = "(?P<document_number>D-\\\\d+)" }
[entry]
steps = [{ action = "click", role = "button", name = "Save" }]
[result]
success = { pattern = "Saved as (?P<document_number>D-\\\\d+)" }
"""


def renderer(scope: dict, **locale: str) -> Renderer:
    settings = load_settings(env={"BOTS_SECRET_ERP_PASSWORD": "hunter2-long"})
    return Renderer(scope, Locale(**locale), SecretValues(settings))


def test_bundled_demo_form_map_loads_by_name(tmp_path: Path) -> None:
    fm = load_form_map("demo_erp", load_settings(base_dir=tmp_path, env={}))
    assert fm.name == "demo_erp"
    assert fm.login.failure is not None and fm.lookup.found.pattern
    assert any(step.action == "for_each" for step in fm.entry.steps)


def test_operator_form_map_in_base_folder_wins_over_bundled(tmp_path: Path) -> None:
    (tmp_path / "formmaps").mkdir()
    (tmp_path / "formmaps" / "demo_erp.toml").write_text(MINIMAL)
    fm = load_form_map("demo_erp", load_settings(base_dir=tmp_path, env={}))
    assert fm.name == "tiny"


def test_unknown_form_map_names_the_folders_searched(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="'nope' not found"):
        load_form_map("nope", load_settings(base_dir=tmp_path, env={}))


@pytest.mark.parametrize(("broken", "message"), [
    ('{ action = "fill", label = "User" }', "needs a 'value'"),
    ('{ action = "click" }', "needs a target"),
    ('{ action = "click", label = "A", css = "#b" }', "not label and css"),
    ('{ action = "teleport", label = "A" }', "action"),
])
def test_invalid_step_is_a_config_error_naming_the_key(broken: str, message: str) -> None:
    text = MINIMAL.replace('[{ action = "click", role = "button", name = "Save" }]',
                           f"[{broken}]")
    with pytest.raises(ConfigError, match="entry.steps.0") as err:
        parse_form_map(text)
    assert message in str(err.value)


def test_dates_and_decimals_render_in_the_erp_locale() -> None:
    r = renderer({"invoice": {"issue_date": "2024-03-01", "total_amount": "-1234567.5"}},
                 date_format="%d.%m.%Y", decimal_separator=",", thousands_separator=" ")
    assert r.render("{invoice.issue_date|date}") == "01.03.2024"
    assert r.render("{invoice.issue_date|date:%m/%d/%Y}") == "03/01/2024"
    assert r.render("{invoice.total_amount|decimal}") == "-1 234 567,50"
    assert r.render("{invoice.total_amount|number}") == "-1234567,50"
    assert r.render("{invoice.total_amount|abs|number}") == "1234567,50"
    assert r.render("{{literal}} {invoice.total_amount|trim}") == "{literal} -1234567,5"


def test_missing_invoice_field_renders_empty_so_when_can_skip_a_step() -> None:
    r = renderer({"invoice": {"due_date": None}})
    assert r.render("{invoice.due_date|date}") == ""
    assert not r.truthy("{invoice.due_date}")
    assert r.render("{invoice.payment_reference|default:none given}") == "none given"


def test_unknown_names_and_filters_are_config_errors() -> None:
    r = renderer({"invoice": {"total_amount": "1"}})
    with pytest.raises(ConfigError, match="unknown name 'invoce'"):
        r.render("{invoce.total_amount}")
    with pytest.raises(ConfigError, match="unknown filter"):
        r.render("{invoice.total_amount|money}")


def test_bad_number_from_the_invoice_is_a_business_error() -> None:
    with pytest.raises(BusinessError, match="not a number"):
        renderer({"invoice": {"total_amount": "12,3,4"}}).render("{invoice.total_amount|decimal}")


def test_secret_values_are_remembered_for_redaction() -> None:
    r = renderer({})
    assert Renderer.names_secret("{secret.erp_password}")
    assert r.render("{secret.erp_password}") == "hunter2-long"
    assert r.secrets.redact("login with hunter2-long failed") == "login with *** failed"


def test_filters_keep_digits_only_or_strip_a_country_prefix() -> None:
    r = renderer({"invoice": {"vendor_tax_id": "PL5260250274", "ref": "PL 526-025-02-74",
                              "other": "5260250274"}})
    assert r.render("{invoice.vendor_tax_id|no_country}") == "5260250274"
    assert r.render("{invoice.other|no_country}") == "5260250274"
    assert r.render("{invoice.ref|digits}") == "5260250274"


def test_shown_numbers_are_read_in_the_erp_locale() -> None:
    german = Locale(decimal_separator=",", thousands_separator=".")
    assert parse_shown("Summe brutto: 1.234,50 EUR", german) == Decimal("1234.50")
    assert parse_shown("Total \u22121234.50", Locale()) == Decimal("-1234.50")
    assert parse_shown("no figure yet", Locale()) is None


def test_verify_step_needs_the_invoice_value_to_compare_with() -> None:
    broken = MINIMAL.replace('[{ action = "click", role = "button", name = "Save" }]',
                             '[{ action = "verify", css = ".total" }]')
    with pytest.raises(ConfigError, match="equals"):
        parse_form_map(broken)
    fm = parse_form_map(broken.replace('css = ".total"',
                                       'css = ".total", equals = "{invoice.total_amount}"'))
    assert fm.entry.steps[0].action == "verify"
