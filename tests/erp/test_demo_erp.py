"""The demo ERP on its own, over HTTP: what the poster relies on it to do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from robots.erp.demo import RunningErp, running_demo_erp
from tests.erp.conftest import PASSWORD, VENDOR, make_invoice


@pytest.fixture
def erp(tmp_path: Path) -> Iterator[RunningErp]:
    with running_demo_erp(tmp_path, vendors=[VENDOR], users={"demo": PASSWORD}) as running:
        yield running


def signed_in(erp: RunningErp) -> httpx.Client:
    client = httpx.Client(base_url=erp.url)
    response = client.post("/login", data={"username": "demo", "password": PASSWORD})
    assert response.status_code == 303
    return client


def form_data(invoice: dict, vendor: str = VENDOR["name"]) -> dict:
    data = {k: invoice[k] for k in ("invoice_number", "issue_date", "due_date", "currency",
                                    "net_amount", "tax_amount", "total_amount",
                                    "payment_reference", "iban")}
    data["vendor"] = vendor
    for field in ("description", "quantity", "unit_price", "tax_rate", "amount"):
        data[f"line_{field}"] = [line[field] for line in invoice["lines"]]
    return data


def test_pages_need_a_session_that_expires(erp: RunningErp) -> None:
    anonymous = httpx.Client(base_url=erp.url)
    assert anonymous.get("/invoices/new").headers["location"].startswith("/login?next=")
    client = signed_in(erp)
    assert client.get("/invoices/new").status_code == 200
    erp.expire_sessions()
    assert client.get("/invoices/new").headers["location"].startswith("/login")


def test_wrong_password_is_refused_and_the_account_locks_after_five(erp: RunningErp) -> None:
    client = httpx.Client(base_url=erp.url)
    for _ in range(5):
        page = client.post("/login", data={"username": "demo", "password": "nope"})
        assert page.status_code == 401 and "Invalid username or password" in page.text
    locked = client.post("/login", data={"username": "demo", "password": PASSWORD})
    assert locked.status_code == 401 and "Account locked" in locked.text
    assert erp.user_stats("demo")["failures"] == 5


def test_valid_invoice_is_stored_with_its_lines_and_listed(erp: RunningErp) -> None:
    client = signed_in(erp)
    invoice = make_invoice(1)
    response = client.post("/invoices", data=form_data(invoice))
    assert response.status_code == 303
    document = response.headers["location"].split("/")[-1].split("?")[0]
    stored = erp.invoices()
    assert [i["document_number"] for i in stored] == [document]
    assert stored[0]["total_amount"] == invoice["total_amount"]
    assert [line["description"] for line in stored[0]["lines"]] == [
        line["description"] for line in invoice["lines"]]
    assert document in client.get(f"/invoices/{document}").text
    listing = client.get("/invoices", params={"q": invoice["invoice_number"]}).text
    assert document in listing and "1 invoice(s)" in listing


def test_same_vendor_and_invoice_number_is_rejected_inline(erp: RunningErp) -> None:
    client = signed_in(erp)
    data = form_data(make_invoice(2))
    first = client.post("/invoices", data=data).headers["location"]
    again = client.post("/invoices", data=data)
    assert again.status_code == 422
    assert "already exists as" in again.text and first.split("/")[-1].split("?")[0] in again.text
    assert len(erp.invoices()) == 1


def test_unknown_vendor_and_wrong_totals_are_shown_beside_their_fields(
    erp: RunningErp,
) -> None:
    client = signed_in(erp)
    data = form_data(make_invoice(3, total_amount="1.00"), vendor="Nobody Ltd")
    page = client.post("/invoices", data=data)
    assert page.status_code == 422
    assert "Unknown vendor: Nobody Ltd" in page.text
    assert "Total amount must equal net amount plus VAT amount" in page.text
    assert 'value="Nobody Ltd"' in page.text  # what was typed is kept
    assert erp.invoices() == []


def test_injected_500_stores_nothing(tmp_path: Path) -> None:
    with running_demo_erp(tmp_path, vendors=[VENDOR], users={"demo": PASSWORD},
                          fail_rate=1.0) as erp:
        response = signed_in(erp).post("/invoices", data=form_data(make_invoice(4)))
        assert response.status_code == 500
        assert erp.invoices() == []


def test_injected_500_after_storing_keeps_the_invoice(tmp_path: Path) -> None:
    with running_demo_erp(tmp_path, vendors=[VENDOR], users={"demo": PASSWORD},
                          fail_after_store_rate=1.0) as erp:
        response = signed_in(erp).post("/invoices", data=form_data(make_invoice(5)))
        assert response.status_code == 500
        assert [i["invoice_number"] for i in erp.invoices()] == ["INV-0005"]
