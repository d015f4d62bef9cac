# golive: `make verify ENV=<name>` is the gate; `make test` runs golive's own tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup verify test lint bench clean oracle

setup: $(STAMP)

# The lock first (every package at its pinned version, the build backend included), then golive
# itself, editable, with the extras the demo and the self-tests need: resolved against the lock,
# nothing is downloaded twice and nothing unpinned comes in.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "golive: installing pinned dependencies and golive into $(VENV)"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-build-isolation \
		-c requirements.txt -e ".[embedded,dev]"
	@rm -f $(VENV)/.installed-* && touch $@

# Exit status of the run: 0 GO, 1 NO-GO, 2 INTERRUPTED, 4 bad config or usage, 6 PARTIAL (make
# itself then exits 2 and prints the run's status as "Error N"; scripts that need the exact code
# run bin/golive or golive).
verify: setup
	@bin/golive verify "$(ENV)"

test: setup oracle
	@$(BIN)/python -m pytest -n auto --durations=10 tests

# The differential test's oracle (@cloud-copilot/iam-simulate, npm): test-only, never shipped.
oracle: tests/iam/oracle/node_modules/.package-lock.json

tests/iam/oracle/node_modules/.package-lock.json: tests/iam/oracle/package-lock.json
	@npm ci --silent --no-audit --no-fund --prefix tests/iam/oracle

lint: setup
	@$(BIN)/ruff check golive tests bench

bench: setup
	@$(BIN)/python bench/api_calls.py

clean:
	rm -rf $(VENV) reports/*/ .pytest_cache
