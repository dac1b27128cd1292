# Two commands for a newcomer: `make run` serves the line locally, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000

.PHONY: run test lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: $(BIN)/.installed
	@echo "Try the line in a browser: http://127.0.0.1:$(PORT)/"
	IVR_DEV=1 $(BIN)/flask --app ivr run --port $(PORT)

test: $(BIN)/.installed
	$(BIN)/ruff check ivr tests bench
	$(BIN)/python -m pytest

bench: $(BIN)/.installed
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) .pytest_cache
