# Two commands do everything on a fresh machine:
#   make demo   - set up, load the demo portfolio, chat as a demo borrower in the terminal
#   make test   - set up, then lint, type-check and run the whole test suite
#   make bench  - benchmarks beside bare baselines (QUICK=1, ONLY=stack, DB=sqlite, ACCOUNTS=...)
#   make profile - a cProfile of the running bot under load (FRAMEWORK=ptb, DB=postgresql)
#   make mutation - mutation testing of bot/domain and bot/engine (minutes; not part of test)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest setup catalogs model telegram services clean bench profile mutation

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed (python3.11 not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) catalogs model

catalogs: $(STAMP)
	$(BIN)/python -m bot.i18n.build compile

# The intent model is built from data/nlu/train (a few seconds), never downloaded.
model: $(STAMP)
	$(BIN)/python -m bot nlu train

demo: setup
	$(BIN)/repaybot demo $(if $(ACCOUNT),--account $(ACCOUNT)) $(if $(LOCALE),--locale $(LOCALE))

telegram: setup
	$(BIN)/repaybot accounts import data/demo_accounts.csv
	$(BIN)/repaybot telegram

services:
	bash .ci/services.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy bot tests bench

# The suite runs in TEST_WORKERS processes (pytest-xdist); TEST_WORKERS=0 runs it in one.
TEST_WORKERS ?= 2
pytest: setup services
	$(BIN)/pytest -n $(TEST_WORKERS) --durations=25

test: setup lint typecheck pytest

bench: setup services
	$(BIN)/python -m bench $(if $(QUICK),--quick) $(if $(ONLY),--only $(ONLY)) $(if $(DB),--db $(DB)) $(if $(FRAMEWORK),--framework $(FRAMEWORK)) $(if $(ACCOUNTS),--accounts $(ACCOUNTS))

profile: setup services
	$(BIN)/python -m bench.profile $(if $(FRAMEWORK),--framework $(FRAMEWORK)) $(if $(DB),--db $(DB))

# Mutmut keeps its results in mutants/ and retests only functions that changed
# since the last run; `rm -rf mutants` starts over. Settings: [tool.mutmut].
MUTATION_JOBS ?= 2
mutation: setup
	$(BIN)/mutmut run --max-children $(MUTATION_JOBS)
	$(BIN)/mutmut results --all true | $(BIN)/python tools/mutation_score.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache .hypothesis mutants
	find locales -name '*.mo' -delete
