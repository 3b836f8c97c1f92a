"""Sessions, cookies, secrets and the review timing, over the real app (TestClient)."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from backoffice.engine import Engine
from backoffice.ledger.events import iter_events
from backoffice.states import ItemState
from backoffice.web.routes_review import opened_token
from backoffice.web.security import (
    SECRET_FILE_NAME,
    SESSION_COOKIE,
    Session,
    encode_session,
    load_secret_key,
)
from tests.web.conftest import PASSWORD, WebEnv, csrf_of, login, write_texts


def client_for(env: WebEnv) -> TestClient:
    return TestClient(env.app, base_url="http://127.0.0.1")


def events_of(env: WebEnv, kind: str) -> list:
    with env.ledger.reading() as conn:
        return list(iter_events(conn, kind=kind))


def test_session_cookie_is_httponly_and_samesite_and_secret_key_is_private(web_env: WebEnv):
    with client_for(web_env) as client:
        token = csrf_of(client.get("/login").text)
        response = client.post("/login", data={"username": "olli", "password": PASSWORD,
                                               "csrf_token": token}, follow_redirects=False)
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    key_file = web_env.settings.outputs / SECRET_FILE_NAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert load_secret_key(web_env.settings) == key_file.read_text().encode()
    assert [e.actor for e in events_of(web_env, "user.login")] == ["olli"]


def test_wrong_password_is_refused_and_recorded(web_env: WebEnv):
    with client_for(web_env) as client:
        token = csrf_of(client.get("/login").text)
        response = client.post("/login", data={"username": "olli", "password": "guess-again",
                                               "csrf_token": token}, follow_redirects=False)
        assert response.status_code == 401
        assert client.get("/runs", follow_redirects=False).status_code == 303
    assert [e.actor for e in events_of(web_env, "user.login_failed")] == ["olli"]


def test_forged_or_expired_session_cookie_counts_as_signed_out(web_env: WebEnv):
    expired = Session(user="ada", csrf="t", expires=datetime.now(UTC) - timedelta(minutes=1))
    forged = encode_session(b"not-the-key", Session(user="ada", csrf="t",
                                                    expires=datetime.now(UTC) + timedelta(hours=1)))
    for value in (encode_session(web_env.app.state.web.key, expired), forged, "garbage"):
        with client_for(web_env) as client:
            client.cookies.set(SESSION_COOKIE, value)
            response = client.get("/users", follow_redirects=False)
            assert response.status_code == 303
            assert response.headers["location"] == "/login?next=/users"


def test_disabled_user_loses_access_at_the_next_request(web_env: WebEnv):
    with client_for(web_env) as client:
        login(client, "olli")
        assert client.get("/runs").status_code == 200
        web_env.app.state.web.users.set_disabled("olli", True, actor="ada")
        assert client.get("/runs", follow_redirects=False).status_code == 303


def test_login_redirect_stays_on_this_site(web_env: WebEnv):
    with client_for(web_env) as client:
        token = csrf_of(client.get("/login").text)
        response = client.post("/login", data={"username": "olli", "password": PASSWORD,
                                               "csrf_token": token,
                                               "next": "//evil.example/x"},
                               follow_redirects=False)
    assert response.headers["location"] == "/runs"


def test_pages_forbid_framing_by_other_sites_and_foreign_scripts(web_env: WebEnv):
    with client_for(web_env) as client:
        headers = client.get("/login").headers
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert "script-src 'self'" in headers["content-security-policy"]


def _review_item(env: WebEnv):  # noqa: ANN202
    paths = write_texts(env.settings.inputs / "files", {"a.txt": "a\n", "empty.txt": ""})
    run = Engine(env.settings, env.ledger, env.registry).run("file-digest", inputs=paths)
    return env.ledger.items(run.id, states=[ItemState.REVIEW])[0]


def test_only_files_the_ledger_names_are_served(web_env: WebEnv):
    item = _review_item(web_env)
    (web_env.settings.outputs / "secret.txt").write_text("do not serve")
    with client_for(web_env) as client:
        login(client, "aino")
        assert client.get(f"/items/{item.id}/files/0").status_code == 200
        assert client.get(f"/items/{item.id}/files/1").status_code == 404
        for name in ("..%2F..%2F..%2Fsecret.txt", "../../../secret.txt"):
            response = client.get(f"/runs/{item.run_id}/evidence/{item.id}/{name}")
            assert response.status_code == 404
            assert "do not serve" not in response.text


def test_review_time_is_measured_from_the_signed_opening(web_env: WebEnv):
    item = _review_item(web_env)
    key = web_env.app.state.web.key
    opened = datetime.now(UTC) - timedelta(minutes=3)
    with client_for(web_env) as client:
        token = login(client, "olli")
        response = client.post(f"/review/{item.id}/reject", follow_redirects=False, data={
            "csrf_token": token, "reason": "duplicate",
            "opened": opened_token(key, item.id, "olli", opened)})
    assert response.status_code == 303
    (decision,) = web_env.ledger.reviews(item_id=item.id)
    assert 2.9 < decision["minutes_spent"] < 3.5


def test_a_made_up_opening_time_is_not_counted(web_env: WebEnv):
    item = _review_item(web_env)
    forged = opened_token(b"guessed-key", item.id, "olli", datetime.now(UTC) - timedelta(hours=5))
    with client_for(web_env) as client:
        token = login(client, "olli")
        client.post(f"/review/{item.id}/reject", data={"csrf_token": token, "reason": "dup",
                                                       "opened": forged})
    (decision,) = web_env.ledger.reviews(item_id=item.id)
    assert decision["minutes_spent"] is None and decision["opened_at"] is None


def test_review_page_shows_the_reasons_and_only_reviewers_get_the_buttons(web_env: WebEnv):
    item = _review_item(web_env)
    with client_for(web_env) as client:
        login(client, "olli")
        page = client.get(f"/review/{item.id}").text
        assert "empty.txt is empty (0 bytes)" in page and 'data-testid="approve"' in page
    with client_for(web_env) as client:
        login(client, "aino")
        page = client.get(f"/review/{item.id}").text
        assert "empty.txt is empty (0 bytes)" in page and 'data-testid="approve"' not in page


def test_auditor_exports_a_runs_evidence_as_a_zip(web_env: WebEnv):
    import io
    import zipfile

    item = _review_item(web_env)
    with client_for(web_env) as client:
        token = login(client, "aino")
        response = client.post("/audit/export", data={"csrf_token": token,
                                                      "run_id": item.run_id})
    assert response.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "manifest.json" in names
    (event,) = events_of(web_env, "audit.evidence_exported")
    assert event.actor == "aino" and event.run_id == item.run_id


def test_an_xml_input_is_served_as_plain_text_never_rendered(web_env: WebEnv):
    xhtml = ('<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>')
    paths = write_texts(web_env.settings.inputs / "files", {"invoice.xml": xhtml})
    run = Engine(web_env.settings, web_env.ledger, web_env.registry).run("file-digest",
                                                                         inputs=paths)
    item = web_env.ledger.items(run.id)[0]
    with client_for(web_env) as client:
        login(client, "aino")
        response = client.get(f"/items/{item.id}/files/0")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
