# golive: `make verify ENV=<name>` is the gate; `make test` runs golive's own tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BENCH_VENV := .venv-bench
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup compile verify test lint bench clean oracle

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
# golive's own modules as bytecode, as installing a package leaves them: the editable install does
# not, and where PYTHONDONTWRITEBYTECODE is set (CI images often) Python would compile all of them
# again on every run, about 0.15 s of a demo. compileall redoes only what changed since; a module
# edited later is still read from its source until then (Python checks each .pyc against it).
compile: setup
	@$(BIN)/python -m compileall -q golive

verify: compile
	@bin/golive verify "$(ENV)"

test: compile oracle
	@$(BIN)/python -m pytest -n auto --durations=10 tests

# The differential test's oracle (@cloud-copilot/iam-simulate, npm): test-only, never shipped.
oracle: tests/iam/oracle/node_modules/.package-lock.json

tests/iam/oracle/node_modules/.package-lock.json: tests/iam/oracle/package-lock.json
	@npm ci --silent --no-audit --no-fund --prefix tests/iam/oracle

lint: setup
	@$(BIN)/ruff check golive tests bench

# Every size of bench/run.py's grid, each as its own `golive verify` (tens of minutes on 2 cores),
# into bench/RESULTS.md; then bench/results.png, drawn with matplotlib from a virtualenv of the
# bench's own (bench/requirements.txt): the plot's dependencies never enter golive's.
bench: setup $(BENCH_VENV)/.installed
	@$(BIN)/python -m bench.run
	@$(BENCH_VENV)/bin/python bench/plot.py

$(BENCH_VENV)/.installed: bench/requirements.txt
	@test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	@$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	@touch $@

clean:
	rm -rf $(VENV) $(BENCH_VENV) reports/*/ .pytest_cache
