# mhprivbench developer entry points. `make bench` and `make test` work on a fresh machine, offline
# except for the package registry used by `make install`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SUITE  ?= benchmarks/default.yaml
STAMP  := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS :=

.PHONY: help install test test-fast bench smoke lint leaderboard report drift clean

help:  ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

install: $(STAMP)  ## create .venv with pinned dependencies (quick when already done)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e ".[dev]"
	$(BIN)/pip install -q --disable-pip-version-check --no-deps anonymeter==1.1.0  # pins numpy<1.27 (works with 2.4)
	touch $(STAMP)

test: install  ## lint, unit/conformance/integration tests, then the smoke suite end to end
	$(BIN)/ruff check mhprivbench tests benchmarks
	$(BIN)/pytest -q -ra
	$(MAKE) --no-print-directory smoke

smoke: install  ## run benchmarks/smoke.yaml into a scratch folder and validate its leaderboard
	rm -rf .smoke-results
	$(BIN)/mhprivbench run benchmarks/smoke.yaml --out .smoke-results --quiet
	$(BIN)/mhprivbench validate .smoke-results/leaderboard-smoke.json

bench: install  ## run $(SUITE) (default benchmarks/default.yaml) into results/ (own leaderboard per suite)
	$(BIN)/mhprivbench run $(SUITE) --out results

leaderboard: install  ## rebuild results/leaderboard.json from results/runs/default
	$(BIN)/mhprivbench leaderboard --out results --suite default

drift: install  ## regenerate the default leaderboard in .drift-results and compare it with results/leaderboard.json
	rm -rf .drift-results
	$(BIN)/mhprivbench run benchmarks/default.yaml --out .drift-results --quiet
	$(BIN)/mhprivbench drift results/leaderboard.json .drift-results/leaderboard.json

report: install  ## results/REPORT.md and its plots (results/plots/) from results/leaderboard.json
	$(BIN)/mhprivbench report results/leaderboard.json

lint: install  ## ruff
	$(BIN)/ruff check mhprivbench tests benchmarks

clean:  ## remove caches and scratch results (keeps .venv)
	rm -rf .smoke-results .pytest_cache .ruff_cache
