# Two commands on a fresh machine: `make demo` and `make test`. Both set themselves up first.
.PHONY: setup demo test lint bench clean

VENV := .venv
BIN := $(VENV)/bin

setup:
	@bash scripts/setup.sh

demo: setup
	$(BIN)/bots demo

test: setup
	$(BIN)/python -m pytest -q -n auto

lint: setup
	$(BIN)/ruff check backoffice robots workflows scheduler tests bench
	$(BIN)/mypy

bench: setup
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf outputs/runs outputs/*.xlsx outputs/*.html outputs/ledger.sqlite3*
