"""The form map: a declarative description (TOML) of how to enter an invoice into one ERP's
web UI, so that an operator can teach the robot another ERP without touching Python.

A form map has five parts::

    [locale]   how the ERP wants dates and decimals typed
    [login]    the steps that sign in, and how a refused sign-in looks
    [lookup]   the steps that search for the invoice, and how a hit looks (checked before
               every post, so a retry or a resume never posts twice)
    [entry]    the steps that fill and submit the entry form (pages, line items, ...)
    [result]   how success looks (a regex capturing the document number) and how the
               ERP's validation errors look (they send the item to review)

A step is an action plus a target element. Targets are found the way a person finds them:
by ``label``, ``role`` + ``name``, ``placeholder`` or ``text``; ``css`` is the last resort.
Values are templates: ``"{invoice.total_amount|decimal}"``, ``"{line.description}"``,
``"{secret.erp_password}"`` (see ``robots.erp.values``).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from backoffice.config import Settings, describe_validation_error
from backoffice.errors import ConfigError

BUNDLED_DIR = Path(__file__).parent / "formmaps"
LOCATOR_KINDS = ("label", "role", "placeholder", "text", "css")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Target(_Model):
    """Where an element is. Exactly one of ``label``/``role``/``placeholder``/``text``/
    ``css``; the rest narrow it down. Text fields are templates."""

    label: str | None = None
    role: str | None = None
    name: str | None = None  # the accessible name, with ``role``
    placeholder: str | None = None
    text: str | None = None
    css: str | None = None
    exact: bool = False  # whole-string, case-sensitive match instead of a substring
    regex: bool = False  # label/name/text/has_text are regular expressions
    within: Target | None = None  # look only inside this element
    has_text: str | None = None  # keep elements containing this text
    has: tuple[Target, ...] = ()  # keep elements containing all of these
    visible: bool | None = None  # keep only visible (True) elements
    nth: int | str | None = None  # 0-based index, "last", or a template like "{index}"

    @model_validator(mode="after")
    def _one_kind(self) -> Target:
        kinds = [k for k in LOCATOR_KINDS if getattr(self, k) is not None]
        if len(kinds) > 1:
            raise ValueError(f"give one of {', '.join(LOCATOR_KINDS)}, not {' and '.join(kinds)}")
        if self.name is not None and self.role is None:
            raise ValueError("'name' narrows a 'role'; use 'text' or 'label' for other elements")
        return self

    @property
    def has_locator(self) -> bool:
        return any(getattr(self, k) is not None for k in LOCATOR_KINDS)


class Probe(Target):
    """An element to look for, and optionally a regex whose named groups are read from its
    text (``(?P<document_number>...)``). With only a ``pattern``, the page text is searched."""

    pattern: str | None = None

    @model_validator(mode="after")
    def _something(self) -> Probe:
        if not self.has_locator and not self.pattern:
            raise ValueError("a probe needs an element (label/role/text/css/...) or a pattern")
        return self


Action = Literal[
    "goto", "fill", "type", "select", "autocomplete", "click", "check", "uncheck", "press",
    "wait_for", "expect_text", "extract", "verify", "for_each",
]
NEEDS_TARGET = {"fill", "type", "select", "autocomplete", "click", "check", "uncheck", "press",
                "wait_for"}


class Step(Target):
    """One action. Target fields (label, role, ...) say which element it acts on."""

    action: Action
    value: str | None = None  # fill/type/select/autocomplete; the key for press
    url: str | None = None  # goto: absolute, or relative to the ERP's base URL
    option: Target | None = None  # autocomplete: the suggestion to pick (default: role=option)
    no_match: Target | None = None  # autocomplete: shown when nothing matches (answers faster)
    not_found: str = "no_match"  # autocomplete: error code when no suggestion matches
    keystrokes: bool = False  # autocomplete: type key by key (widgets deaf to a plain fill)
    expect: Target | None = None  # after the action, wait for this (or for errors / a 5xx)
    pattern: str | None = None  # extract / expect_text / verify: regex over the element's text
    # verify: the invoice's value (a template) that the number shown must equal, as decimals
    equals: str | None = None
    tolerance: str = "0"  # verify: the largest difference still taken as equal
    into: str | None = None  # extract: the variable name for the whole match / first group
    when: str | None = None  # skip the step unless this template renders truthy
    unless: str | None = None  # skip the step if this template renders truthy
    optional: bool = False  # skip (don't fail) when the element is not there
    state: Literal["visible", "hidden", "attached", "detached"] = "visible"  # wait_for
    on_fail: Literal["system", "business"] = "system"  # expect_text that does not match
    code: str | None = None  # expect_text / verify: error code when it does not match
    secret: bool = False  # never trace or log this step (automatic for {secret.*} values)
    timeout_ms: int | None = Field(default=None, ge=1)
    items: str | None = None  # for_each: the list to walk, e.g. "invoice.lines"
    as_: str = Field(default="line", alias="as")  # for_each: the name of each element
    steps: tuple[Step, ...] = ()  # for_each: what to do for each element

    @model_validator(mode="after")
    def _complete(self) -> Step:
        a = self.action
        if a in NEEDS_TARGET and not self.has_locator:
            raise ValueError(f"action {a!r} needs a target (label, role, placeholder, text, css)")
        if a == "goto" and not self.url:
            raise ValueError("action 'goto' needs a 'url'")
        if a in ("fill", "type", "select", "autocomplete", "press") and self.value is None:
            raise ValueError(f"action {a!r} needs a 'value'")
        if a in ("extract", "expect_text") and not self.pattern:
            raise ValueError(f"action {a!r} needs a 'pattern'")
        if a == "verify" and not self.equals:
            raise ValueError("action 'verify' needs 'equals', e.g. \"{invoice.total_amount}\"")
        if a == "for_each" and (not self.items or not self.steps):
            raise ValueError("action 'for_each' needs 'items' and 'steps'")
        return self


class Locale(_Model):
    date_format: str = "%Y-%m-%d"  # strftime, e.g. "%d.%m.%Y"
    decimal_separator: str = "."
    thousands_separator: str = ""


class Login(_Model):
    url: str = "/login"
    # A regex on the page URL meaning "this is the login page" (the session expired).
    url_pattern: str | None = None
    steps: tuple[Step, ...] = Field(min_length=1)
    success: Target | None = None  # shown once signed in (default: the URL leaves the login)
    failure: Target | None = None  # shown when the ERP refuses the credentials

    @property
    def page_pattern(self) -> str:
        return self.url_pattern or _path_pattern(self.url)


class Lookup(_Model):
    steps: tuple[Step, ...] = Field(min_length=1)
    found: Probe  # a hit; its pattern captures document_number
    # Shown once the results are there, hit or not: wait for it (or a hit) before deciding
    # "not found" on pages that load results after the page itself.
    ready: Target | None = None


class Entry(_Model):
    steps: tuple[Step, ...] = Field(min_length=1)


class ErrorCode(_Model):
    pattern: str  # regex over an error text
    code: str  # e.g. "erp_duplicate", "unknown_vendor"


class Result(_Model):
    success: Probe  # its pattern captures (?P<document_number>...)
    errors: Target | None = None  # the ERP's validation messages: a business error
    codes: tuple[ErrorCode, ...] = ()  # map error texts to codes (default "erp_validation")
    timeout_ms: int = Field(default=30_000, ge=1)


class FormMap(_Model):
    name: str
    description: str = ""
    version: str = "1"
    base_url: str | None = None  # default: the `erp_url` parameter
    timeout_ms: int = Field(default=10_000, ge=1)  # per action
    locale: Locale = Locale()
    login: Login
    lookup: Lookup
    entry: Entry
    result: Result
    source_file: Path | None = None


def _path_pattern(url: str) -> str:
    """``/login`` -> a regex matching any URL whose path is /login (query and all)."""
    path = url.split("://", 1)[1] if "://" in url else url
    if "://" in url:
        path = path[path.find("/"):] if "/" in path else "/"
    path = path.split("?", 1)[0].split("#", 1)[0]
    return r"^(?:[a-z]+://[^/]+)?" + re.escape(path) + r"(?:[?#]|$)"


def parse_form_map(text: str, *, source: Path | str = "<string>") -> FormMap:
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"form map {source}: not valid TOML: {exc}") from None
    if isinstance(source, Path):
        data.setdefault("name", source.stem)
        data["source_file"] = str(source)
    try:
        return FormMap.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"form map {source}: {describe_validation_error(exc)}") from None


def form_map_dirs(settings: Settings) -> list[Path]:
    """Where form maps are looked up by name: the operator's ``<base>/formmaps`` first,
    then the ones shipped with the project."""
    return [settings.base_dir / "formmaps", BUNDLED_DIR]


def load_form_map(name_or_path: str, settings: Settings) -> FormMap:
    """A form map by name (``demo_erp``) or by path (``maps/other.toml``)."""
    candidate = Path(name_or_path).expanduser()
    if candidate.suffix == ".toml":
        path = candidate if candidate.is_absolute() else settings.base_dir / candidate
        if not path.is_file():
            raise ConfigError(f"form map {path} does not exist")
        return parse_form_map(path.read_text(encoding="utf-8"), source=path)
    for folder in form_map_dirs(settings):
        path = folder / f"{name_or_path}.toml"
        if path.is_file():
            return parse_form_map(path.read_text(encoding="utf-8"), source=path)
    searched = ", ".join(str(d) for d in form_map_dirs(settings))
    raise ConfigError(f"form map {name_or_path!r} not found (looked in {searched})")
