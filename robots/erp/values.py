"""Template values of a form map: ``"{invoice.issue_date|date}"``.

A placeholder is ``{path|filter|filter:arg}``; ``{{`` and ``}}`` are literal braces. Paths:

    invoice.<field>     the invoice the reader extracted (``item.payload["invoice"]``)
    line.<field>        inside ``for_each`` (or the name given with ``as``)
    index, n            inside ``for_each``: 0-based and 1-based position
    params.<name>       the step's parameters; ``user`` is ``params.erp_user``
    vars.<name>         values an ``extract`` step captured earlier (e.g. a draft number)
    secret.<name>       a configured secret: the step is then never traced or logged

Filters (applied left to right):

    date[:FMT]          ISO date -> the form map's locale date format (or FMT)
    decimal[:PLACES]    decimal string -> locale separators, 2 places by default
    number              like decimal, without thousands separators
    trim                a decimal without trailing zeros ("24.00" -> "24")
    abs, neg            absolute value / negated (credit notes)
    upper, lower, strip
    digits              digits only ("PL 526-025-02-74" -> "5260250274")
    no_country          a tax id without its two-letter country prefix ("PL5260250274" ->
                        "5260250274"); a value with no such prefix is kept as it is
    url                 percent-encoded for a query string
    re                  escaped for use inside a regex
    default:TEXT        TEXT when the value is empty
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote_plus

from backoffice.config import Settings
from backoffice.errors import BusinessError, ConfigError
from backoffice.locale import parse_number
from robots.erp.formmap import Locale

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][\w.]*)((?:\|[A-Za-z_]+(?::[^|}]*)?)*)\}")
# A VAT id's country prefix: two letters before the first digit ("PL", "DE", "EL", "XI").
COUNTRY_PREFIX = re.compile(r"^[A-Za-z]{2}(?=\s*\d)\s*")
FALSY = {"", "0", "false", "no", "none", "null"}


class SecretValues:
    """Secrets by name, read from settings only when a template names one."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self.used: set[str] = set()

    def get(self, name: str) -> str:
        value = self._settings.secret(name)
        self.used.add(value)
        return value

    def redact(self, text: str) -> str:
        for value in self.used:
            if value:
                text = text.replace(value, "***")
        return text


def _decimal(value: str, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(" ", ""))
    except InvalidOperation:
        raise BusinessError("bad_value", f"{field} is not a number: {value!r}") from None
    if not number.is_finite():
        raise BusinessError("bad_value", f"{field} is not a number: {value!r}")
    return number


def _group(digits: str, sep: str) -> str:
    if not sep:
        return digits
    out: list[str] = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return sep.join(out)


def format_decimal(value: str, locale: Locale, *, places: int = 2, thousands: bool = True,
                   field: str = "value") -> str:
    number = _decimal(value, field).quantize(Decimal(1).scaleb(-places))
    sign = "-" if number < 0 else ""
    whole, _, frac = f"{abs(number):f}".partition(".")
    whole = _group(whole, locale.thousands_separator if thousands else "")
    return f"{sign}{whole}{locale.decimal_separator + frac if frac else ''}"


def parse_shown(text: str, locale: Locale | None) -> Decimal | None:
    """A number as a page shows it, in the form map's locale (``locale`` None: plain
    ``1234.50``), ignoring a currency code or sign around it; None when there is none."""
    match = re.search(r"[-\u2212]?\d[\d\s.,'\u00a0\u202f]*", text)
    if match is None:
        return None
    raw = match.group(0).rstrip(".,' \u00a0\u202f")
    return parse_number(raw, locale.decimal_separator if locale is not None else ".")


def format_date(value: str, fmt: str, field: str = "value") -> str:
    try:
        return date.fromisoformat(str(value).strip()).strftime(fmt)
    except ValueError:
        raise BusinessError("bad_value", f"{field} is not an ISO date: {value!r}") from None


class Renderer:
    """Renders templates against one scope (the invoice, loop variables, ...)."""

    def __init__(self, scope: Mapping[str, Any], locale: Locale, secrets: SecretValues) -> None:
        self.scope = dict(scope)
        self.locale = locale
        self.secrets = secrets

    def child(self, **extra: Any) -> Renderer:
        return Renderer({**self.scope, **extra}, self.locale, self.secrets)

    @staticmethod
    def names_secret(text: str | None) -> bool:
        return bool(text) and "{secret." in str(text)

    def render(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            whole = match.group(0)
            if whole in ("{{", "}}"):
                return whole[0]
            path = match.group(1)
            value = self.lookup(path)
            for spec in filter(None, match.group(2).split("|")):
                name, _, arg = spec.partition(":")
                value = self._filter(name, arg, value, path)
            return "" if value is None else str(value)

        return PLACEHOLDER.sub(replace, text)

    def truthy(self, text: str) -> bool:
        return self.render(text).strip().lower() not in FALSY

    def lookup(self, path: str) -> Any:
        root, *rest = path.split(".")
        if root == "secret":
            if len(rest) != 1:
                raise ConfigError(f"template {{{path}}}: write {{secret.NAME}}")
            return self.secrets.get(rest[0])
        if root not in self.scope:
            known = ", ".join(sorted([*self.scope, "secret"]))
            raise ConfigError(f"template {{{path}}}: unknown name {root!r} (known: {known})")
        value: Any = self.scope[root]
        for part in rest:
            if isinstance(value, Mapping):
                value = value.get(part)
            elif isinstance(value, list | tuple) and part.isdigit():
                value = value[int(part)] if int(part) < len(value) else None
            else:
                value = None
            if value is None:
                return None  # a field the invoice lacks renders empty; `when` can skip it
        return value

    def _filter(self, name: str, arg: str, value: Any, path: str) -> Any:
        if value is None or value == "":
            return arg if name == "default" else value
        text = str(value)
        filters: dict[str, Callable[[], Any]] = {
            "date": lambda: format_date(text, arg or self.locale.date_format, path),
            "decimal": lambda: format_decimal(text, self.locale,
                                              places=int(arg) if arg else 2, field=path),
            "number": lambda: format_decimal(text, self.locale, places=int(arg) if arg else 2,
                                             thousands=False, field=path),
            "trim": lambda: _trim(_decimal(text, path), self.locale),
            "abs": lambda: str(abs(_decimal(text, path))),
            "neg": lambda: str(-_decimal(text, path)),
            "digits": lambda: "".join(c for c in text if c.isdigit()),
            "no_country": lambda: COUNTRY_PREFIX.sub("", text.strip()),
            "upper": text.upper,
            "lower": text.lower,
            "strip": text.strip,
            "url": lambda: quote_plus(text),
            "re": lambda: re.escape(text),
            "default": lambda: text,
        }
        if name not in filters:
            raise ConfigError(f"template {{{path}|{name}}}: unknown filter (known: "
                              f"{', '.join(sorted(filters))})")
        return filters[name]()


def _trim(number: Decimal, locale: Locale) -> str:
    text = f"{number.normalize():f}"
    return text.replace(".", locale.decimal_separator)
