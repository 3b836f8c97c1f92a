"""Fixtures for the control room: a ledger with one user per role, the app, a real uvicorn
server on a free port, and a real Chromium."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backoffice.config import Settings
from backoffice.ledger import Ledger
from backoffice.registry import Registry
from backoffice.web import create_app
from backoffice.web.users import Role, UserStore
from tests.conftest import REPO, make_settings

PASSWORD = "correct-horse-9"
USERS = {"ada": Role.ADMIN, "olli": Role.OPERATOR, "rita": Role.REVIEWER, "aino": Role.AUDITOR}
ROLE_USER = {role: name for name, role in USERS.items()}
SCREENSHOTS = REPO / "outputs" / "screenshots"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


# Real argon2id with small parameters: the production ones cost ~0.3 s a hash on a busy CI
# machine, and these tests sign in a few hundred times. Verifying reads them from the hash.
TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def add_users(ledger: Ledger) -> None:
    store = UserStore(ledger, hasher=TEST_HASHER)
    for name, role in USERS.items():
        store.add(name, role, PASSWORD, actor="setup")


def write_texts(folder: Path, texts: dict[str, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in texts.items():
        path = folder / name
        path.write_text(text)
        paths.append(path)
    return paths


@dataclass
class WebEnv:
    settings: Settings
    ledger: Ledger
    registry: Registry
    app: FastAPI


@pytest.fixture
def web_env(settings: Settings, ledger: Ledger, registry: Registry) -> WebEnv:
    add_users(ledger)
    return WebEnv(settings, ledger, registry, create_app(settings, ledger, registry))


def csrf_of(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "the page carries no CSRF token"
    return match.group(1)


def login(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Sign ``client`` in as ``name``; returns the session's CSRF token."""
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": name, "password": password,
                                           "csrf_token": token, "next": "/runs"},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/runs").text)


# ---- a real server and a real browser, shared by the browser tests of a module ---------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """The app under uvicorn in a background thread, on 127.0.0.1."""

    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the control room did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)


@pytest.fixture(scope="module")
def module_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("control-room")


@pytest.fixture(scope="module")
def live(module_dir: Path) -> Iterator[WebEnv]:
    """One settings/ledger/app per module, served for the browser at ``live.url``."""
    settings = make_settings(module_dir)
    ledger = Ledger.open(settings.db_url)
    registry = Registry(settings)
    add_users(ledger)
    env = WebEnv(settings, ledger, registry, create_app(settings, ledger, registry))
    with LiveServer(env.app) as server:
        env.url = server.url  # type: ignore[attr-defined]
        yield env
    ledger.close()


@pytest.fixture(scope="module")
def chromium(live: WebEnv) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    from backoffice.browser import launch_options

    with sync_playwright() as pw:
        browser = pw.chromium.launch(**launch_options(live.settings))
        yield browser
        browser.close()


@pytest.fixture
def page_for(chromium: Any, live: WebEnv) -> Iterator[Any]:
    """``page_for(user)``: a fresh browser context (own cookies) signed in as ``user``."""
    contexts = []

    def open_as(name: str) -> Any:
        context = chromium.new_context(base_url=live.url,  # type: ignore[attr-defined]
                                       viewport={"width": 1366, "height": 900})
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/login")
        page.fill("input[name=username]", name)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/runs.*"))
        return page

    yield open_as
    for context in contexts:
        context.close()


def screenshot(page: Any, name: str) -> Path:
    """A full-page PNG under outputs/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
