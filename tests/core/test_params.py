"""Each robot validates its own parameters; run parameters reach only the steps that declare
them, and a misspelt key is refused naming the step and the key, before any run exists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backoffice.engine import Engine
from backoffice.errors import ConfigError
from backoffice.ledger import Ledger, NewItem
from backoffice.params import step_params
from backoffice.registry import Registry
from tests.core.helpers import write_workflow


def two_steps(settings, greeter_params: str = "", counter_params: str = "") -> None:
    write_workflow(settings, "pair", f"""
[[steps]]
robot = "tests.core.param_robots:Greeter"
params = {{ {greeter_params} }}
[[steps]]
robot = "tests.core.param_robots:Counter"
params = {{ {counter_params} }}
""")


def test_run_parameters_go_only_to_the_steps_that_declare_them(
    settings, ledger: Ledger, engine: Engine, tmp_path: Path
) -> None:
    two_steps(settings, greeter_params='greeting = "moi"')
    engine.run("pair", items=[NewItem(key="a")],
               params={"out": str(tmp_path), "times": "3", "greeting": "hei"})
    greeter = json.loads((tmp_path / "greeter.json").read_text())
    counter = json.loads((tmp_path / "counter.json").read_text())
    assert greeter == {"greeting": "moi", "out": str(tmp_path)}  # the step's own beat the run's
    assert counter == {"out": str(tmp_path), "times": "3"}


def test_a_misspelt_step_parameter_is_refused_naming_step_and_key(
    settings, ledger: Ledger, engine: Engine, tmp_path: Path
) -> None:
    two_steps(settings, counter_params="tims = 2")
    with pytest.raises(ConfigError) as caught:
        engine.run("pair", items=[NewItem(key="a")], params={"out": str(tmp_path)})
    assert "step 2 (tests.core.param_robots:Counter)" in str(caught.value)
    assert "unknown parameter 'tims'" in str(caught.value)
    assert "takes out, times" in str(caught.value)
    assert ledger.runs() == []  # refused before anything was created


def test_a_run_parameter_no_step_takes_is_refused(
    settings, ledger: Ledger, engine: Engine, tmp_path: Path
) -> None:
    two_steps(settings)
    with pytest.raises(ConfigError, match="run parameter 'greting': no step of workflow pair"):
        engine.run("pair", items=[NewItem(key="a")],
                   params={"out": str(tmp_path), "greting": "hei"})
    assert ledger.runs() == []


def test_a_parameter_of_the_wrong_type_is_refused_with_its_step(settings, tmp_path) -> None:
    two_steps(settings, counter_params='times = "many"')
    wf = Registry(settings).workflow("pair")
    with pytest.raises(ConfigError, match=r"step 2 .*times: Input should be a valid integer"):
        step_params(Registry(settings), wf, {"out": str(tmp_path)})


def test_the_shipped_robots_all_declare_their_parameters(settings) -> None:
    registry = Registry(settings)
    for name in ("invoice_reader", "erp_poster", "reconciler", "noop", "file_digest"):
        assert registry.robot_class(name).params_model is not None, name


def test_the_invoice_workflow_s_erp_parameters_reach_the_poster_only(settings) -> None:
    registry = Registry(settings)
    wf = registry.workflow("invoice-to-erp")
    reader, poster = step_params(registry, wf, {**wf.params, "erp_url": "http://erp.test"})
    assert "erp_url" not in reader and "erp_user" not in reader
    assert poster["erp_url"] == "http://erp.test" and poster["form_map"] == "demo_erp"
