"""Settings: read once at the edge (``bots.toml`` plus ``BOTS_*`` environment variables),
validated with pydantic, then passed explicitly. Nothing deeper reads the environment.

An invalid value raises ``ConfigError`` naming the key, e.g.
``Error: bots.toml: roi.profiles.0.manual_minutes: Input should be a valid number``.
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, model_validator

from backoffice.errors import ConfigError

# A value that is never printed, logged or written in clear: str() and repr() show stars,
# ``.get_secret_value()`` is the only way to the text.
Secret = SecretStr

CONFIG_FILE_NAME = "bots.toml"

# Environment variables that map onto top-level settings. BOTS_SECRET_<NAME> adds a secret.
ENV_KEYS: dict[str, str] = {
    "BOTS_DATABASE_URL": "database_url",
    "BOTS_BROKER_URL": "broker_url",
    "BOTS_BROWSER": "browser",
    "BOTS_INPUTS_DIR": "inputs_dir",
    "BOTS_OUTPUTS_DIR": "outputs_dir",
    "BOTS_LOG_LEVEL": "log_level",
}
SECRET_ENV_PREFIX = "BOTS_SECRET_"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoiProfile(_Model):
    """An assumption of what a person's work costs, in force from ``effective_from`` on.

    ``target`` names a robot or a workflow. A later profile for the same target replaces an
    earlier one only for items finished on or after its date, so history is never rewritten.
    """

    target: str
    manual_minutes: float | None = Field(default=None, ge=0)
    per_unit_minutes: float | None = Field(default=None, ge=0)
    review_minutes: float | None = Field(default=None, ge=0)
    # Money rates for this target from ``effective_from`` on (default: the [roi] ones).
    hourly_cost: float | None = Field(default=None, ge=0)
    robot_hour_cost: float | None = Field(default=None, ge=0)
    effective_from: date = date(2000, 1, 1)


class Investment(_Model):
    build_cost: float = Field(default=0.0, ge=0)
    licence_per_month: float = Field(default=0.0, ge=0)
    maintenance_hours_per_month: float = Field(default=0.0, ge=0)
    start: date | None = None  # the month the investment starts; default: first run


class RoiSettings(_Model):
    currency: str = "EUR"
    hourly_cost: float = Field(default=45.0, ge=0)  # loaded cost of a person per hour
    robot_hour_cost: float = Field(default=1.0, ge=0)  # machine cost per robot-hour
    review_estimate_minutes: float = Field(default=3.0, ge=0)  # used when not measured
    profiles: tuple[RoiProfile, ...] = ()
    investment: Investment = Investment()  # shared by the whole automation
    # What one robot or workflow cost on top of the shared investment, by its name.
    investments: Mapping[str, Investment] = Field(default_factory=dict)


class LoginThrottleSettings(_Model):
    """How many wrong passwords the sign-in page takes before it answers 429 for a while.
    Counted per user name and per client address, each over a sliding window; reaching a
    limit blocks that name or address for ``window_seconds``."""

    failures_per_user: int = Field(default=5, ge=1)
    failures_per_client: int = Field(default=20, ge=1)
    window_seconds: float = Field(default=300.0, gt=0)


class WebSettings(_Model):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    secret_key: Secret | None = None
    session_minutes: int = Field(default=480, ge=1)
    login_throttle: LoginThrottleSettings = LoginThrottleSettings()


class SchedulerSettings(_Model):
    schedules_file: Path | None = None  # relative to base_dir; default: the service's own
    timezone: str = "UTC"
    # Celery scale-out (used when broker_url is set): the queue the items go through. The
    # default is named after the ledger database (``bots-<hash>``), so two installations
    # sharing one Redis never take each other's tasks. Set it explicitly when machines reach
    # the same database under different URLs.
    queue: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.:-]+$")
    # How long a taken but unacknowledged task waits before Redis hands it to another worker.
    # Only a second line of defence: the ledger's watchman re-dispatches an item as soon as
    # its lease expires. Keep it above the longest item, or long items get duplicate tasks
    # (harmless, the lease decides who works the item, but wasted).
    visibility_timeout: float = Field(default=3600.0, gt=0)


class Settings(_Model):
    """Everything configurable. Paths are absolute once validated."""

    base_dir: Path = Field(default_factory=Path.cwd)
    inputs_dir: Path | None = None  # default: <base_dir>/inputs
    outputs_dir: Path | None = None  # default: <base_dir>/outputs
    workflow_dirs: tuple[Path, ...] = ()  # extra folders of workflow TOML files
    database_url: str | None = None  # default: SQLite in WAL mode under outputs/
    broker_url: str | None = None  # Redis or RabbitMQ: enables Celery scale-out
    browser: Path | None = None  # a Chromium executable; default: found automatically
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    secrets: Mapping[str, Secret] = Field(default_factory=dict)
    robots: Mapping[str, Mapping[str, Any]] = Field(default_factory=dict)  # per-robot params
    roi: RoiSettings = RoiSettings()
    web: WebSettings = WebSettings()
    scheduler: SchedulerSettings = SchedulerSettings()

    @model_validator(mode="after")
    def _resolve_paths(self) -> Settings:
        base = self.base_dir.expanduser().resolve()
        object.__setattr__(self, "base_dir", base)
        object.__setattr__(self, "inputs_dir", _under(base, self.inputs_dir, "inputs"))
        object.__setattr__(self, "outputs_dir", _under(base, self.outputs_dir, "outputs"))
        object.__setattr__(
            self, "workflow_dirs", tuple(_under(base, p, "") for p in self.workflow_dirs)
        )
        if self.database_url is None:
            url = f"sqlite:///{self.ledger_path}"
            object.__setattr__(self, "database_url", url)
        if self.scheduler.queue is None:
            # A copy: the default SchedulerSettings instance is shared by every Settings.
            object.__setattr__(self, "scheduler", self.scheduler.model_copy(
                update={"queue": default_queue(self.db_url)}))
        if self.scheduler.schedules_file is not None:
            object.__setattr__(self.scheduler, "schedules_file",
                               _under(base, self.scheduler.schedules_file, ""))
        return self

    # ---- derived paths -------------------------------------------------------------------
    @property
    def inputs(self) -> Path:
        assert self.inputs_dir is not None
        return self.inputs_dir

    @property
    def outputs(self) -> Path:
        assert self.outputs_dir is not None
        return self.outputs_dir

    @property
    def ledger_path(self) -> Path:
        """The default SQLite ledger (used when no ``database_url`` is configured)."""
        return self.outputs / "ledger.sqlite3"

    @property
    def db_url(self) -> str:
        assert self.database_url is not None
        return self.database_url

    @property
    def queue(self) -> str:
        """The broker queue this installation's runs go through."""
        assert self.scheduler.queue is not None
        return self.scheduler.queue

    def run_dir(self, run_id: str) -> Path:
        """Where one run's JSON-lines log and evidence live."""
        return self.outputs / "runs" / run_id

    def secret(self, name: str) -> str:
        """The clear text of a secret, for the one place that must type it."""
        try:
            return self.secrets[name].get_secret_value()
        except KeyError:
            raise ConfigError(
                f"secret {name!r} is not configured: set {SECRET_ENV_PREFIX}{name.upper()} "
                f"or add it under [secrets] in {CONFIG_FILE_NAME}"
            ) from None

    def fingerprint(self) -> str:
        """SHA-256 of the settings with secrets left out, for audit evidence."""
        data = self.model_dump(mode="json", exclude={"secrets"})
        data["secrets"] = sorted(self.secrets)  # which secrets exist, never their values
        blob = json.dumps(data, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()


def default_queue(database_url: str) -> str:
    """``bots-<hash of the ledger URL>``: one queue per installation, the password left out
    so rotating it does not strand the queued tasks."""
    try:
        from sqlalchemy.engine import make_url

        text = make_url(database_url).render_as_string(hide_password=True)
    except Exception:  # an invalid URL is reported where the database is opened
        text = database_url
    return f"bots-{hashlib.sha256(text.encode()).hexdigest()[:10]}"


def _under(base: Path, value: Path | None, default: str) -> Path:
    path = Path(value) if value is not None else Path(default)
    path = path.expanduser()
    return path if path.is_absolute() else (base / path).resolve()


def load_settings(
    config_file: Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    base_dir: Path | None = None,
    **overrides: Any,
) -> Settings:
    """Build the settings from a TOML file, the environment and explicit overrides.

    ``config_file`` defaults to ``$BOTS_CONFIG`` or ``bots.toml`` in ``base_dir`` (when it
    exists). Explicit overrides win over the environment, which wins over the file.
    """
    env = os.environ if env is None else env
    base = Path(base_dir) if base_dir is not None else Path.cwd()
    data: dict[str, Any] = {}
    source = "settings"
    path = config_file or (Path(env["BOTS_CONFIG"]) if env.get("BOTS_CONFIG") else None)
    if path is None and (base / CONFIG_FILE_NAME).is_file():
        path = base / CONFIG_FILE_NAME
    if path is not None:
        path = Path(path)
        source = str(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file {path} does not exist") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    data.setdefault("base_dir", str(base))
    for var, key in ENV_KEYS.items():
        if env.get(var):
            data[key] = env[var]
    secrets = dict(data.get("secrets") or {})
    for var, value in env.items():
        if var.startswith(SECRET_ENV_PREFIX) and value:
            secrets[var[len(SECRET_ENV_PREFIX) :].lower()] = value
    data["secrets"] = secrets
    data.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{source}: {describe_validation_error(exc)}") from None


def describe_validation_error(exc: ValidationError) -> str:
    """One line per bad key: ``roi.hourly_cost: Input should be a valid number``."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(root)"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)
