"""Settings are validated at the edge, name the bad key, and never print a secret."""

from __future__ import annotations

import pytest

from backoffice.config import load_settings
from backoffice.errors import ConfigError
from backoffice.workflow import parse_workflow


def test_bad_value_in_bots_toml_names_the_key(tmp_path):
    (tmp_path / "bots.toml").write_text('[roi]\nhourly_cost = "a lot"\n')
    with pytest.raises(ConfigError, match=r"bots.toml: roi.hourly_cost: Input should be"):
        load_settings(base_dir=tmp_path, env={})


def test_unknown_key_is_rejected_not_ignored(tmp_path):
    (tmp_path / "bots.toml").write_text("databse_url = 'sqlite://'\n")
    with pytest.raises(ConfigError, match="databse_url: Extra inputs are not permitted"):
        load_settings(base_dir=tmp_path, env={})


def test_environment_overrides_the_file_and_adds_secrets(tmp_path):
    (tmp_path / "bots.toml").write_text("database_url = 'sqlite:///from-file.db'\n")
    settings = load_settings(
        base_dir=tmp_path,
        env={"BOTS_DATABASE_URL": "sqlite:///from-env.db", "BOTS_SECRET_ERP_PASSWORD": "s3cr3t!"},
    )
    assert settings.db_url == "sqlite:///from-env.db"
    assert settings.secret("erp_password") == "s3cr3t!"
    assert "s3cr3t!" not in repr(settings) and "s3cr3t!" not in str(settings.secrets)
    assert "s3cr3t!" not in settings.model_dump_json()


def test_fingerprint_ignores_secret_values_but_not_settings(tmp_path):
    a = load_settings(base_dir=tmp_path, env={"BOTS_SECRET_X": "one-value"})
    b = load_settings(base_dir=tmp_path, env={"BOTS_SECRET_X": "other-value"})
    c = load_settings(base_dir=tmp_path, env={"BOTS_SECRET_X": "one-value"}, log_level="DEBUG")
    assert a.fingerprint() == b.fingerprint() != c.fingerprint()


def test_missing_secret_says_how_to_set_it(tmp_path):
    settings = load_settings(base_dir=tmp_path, env={})
    with pytest.raises(ConfigError, match="BOTS_SECRET_ERP_PASSWORD"):
        settings.secret("erp_password")


def test_workflow_definition_errors_name_file_and_key(tmp_path):
    path = tmp_path / "bad.toml"
    with pytest.raises(ConfigError, match=r"bad.toml: retry.max_attempts: Input should be"):
        parse_workflow('[[steps]]\nrobot = "noop"\n[retry]\nmax_attempts = 0\n', source=path)
    with pytest.raises(ConfigError, match="steps: Field required"):
        parse_workflow('name = "x"\n', source="x.toml")


def test_backoff_grows_exponentially_within_its_jitter_and_cap():
    import random

    wf = parse_workflow(
        'name = "x"\n[[steps]]\nrobot = "noop"\n'
        "[retry]\nbackoff_seconds = 1\nbackoff_max_seconds = 5\njitter = 0.2\n"
    )
    rng = random.Random(1)
    delays = [wf.retry.delay(n, rng) for n in (1, 2, 3, 4, 5)]
    assert 0.8 <= delays[0] <= 1.2
    assert 1.6 <= delays[1] <= 2.4
    assert 3.2 <= delays[2] <= 4.8
    assert all(4.0 <= d <= 6.0 for d in delays[3:])


def test_the_broker_queue_is_named_after_the_installation_unless_set(tmp_path):
    pg = "postgresql://bots:pw@db.example/bots"
    a = load_settings(base_dir=tmp_path, env={"BOTS_DATABASE_URL": pg})
    rotated = load_settings(base_dir=tmp_path,
                            env={"BOTS_DATABASE_URL": pg.replace(":pw@", ":new@")})
    other = load_settings(base_dir=tmp_path, env={"BOTS_DATABASE_URL": pg + "-test"})
    (tmp_path / "bots.toml").write_text('[scheduler]\nqueue = "team-a"\n')
    named = load_settings(base_dir=tmp_path, env={"BOTS_DATABASE_URL": pg})

    assert a.queue.startswith("bots-") and a.queue == rotated.queue != other.queue
    assert named.queue == "team-a"
