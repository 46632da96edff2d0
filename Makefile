# boi-mock developer tasks.
#
#   make run     create .venv, install the runtime only, migrate + seed the demo district, serve (prints URL
#                and credentials)
#   make test    everything CI checks (bash .ci/run runs exactly this): installs the [dev] extras
#   make check   the edit-test loop: lint, types and the fast tests on SQLite (no slow, browser or
#                PostgreSQL-only tests); not a replacement for `make test`
#   make screenshots  refresh docs/screenshots/*.png (the browser tests, writing there instead of a tmp dir)
#   make bench   the benchmarks: installs the [bench] extras (moto's server, the peer mock)
#   make lock    re-pin constraints.txt (every install above uses it, so CI cannot break overnight)
#
# Variables: ARGS (extra arguments for `run` / `bench`), PYTEST_ARGS (extra pytest arguments),
# PYTEST_WORKERS (pytest-xdist workers, default 2), PYTHON (interpreter used to create .venv),
# ALLOW_NO_TESTS=1 (let a pytest run that collects no tests pass, with a warning).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
# Targets depend on each other's side effects (venv, system packages): never run them in parallel.
.NOTPARALLEL:

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONSTRAINTS := constraints.txt
PIP_INSTALL := $(BIN)/python -m pip install --disable-pip-version-check --progress-bar off -c $(CONSTRAINTS)
ARGS ?=
PYTEST_ARGS ?=
PYTEST_WORKERS ?= 2
ALLOW_NO_TESTS ?= 0
TYPECHECK_DIRS := src tests tools bench examples
# What `make check` leaves to `make test` (markers in pyproject.toml): subprocess servers, kill -9, big
# districts, many-example property tests (slow), Chromium (browser), and what needs PostgreSQL.
FAST_MARKERS := not slow and not browser and not postgres_only

.PHONY: help venv venv-runtime venv-bench run deps-system lint typecheck alembic-check test-sqlite test-postgres test \
	test-fast check screenshots bench lock clean distclean

help:
	@echo "make run            install (if needed) and serve the mock; ARGS='...' go to 'boi-mock serve'"
	@echo "make test           venv, system packages, lint, typecheck, alembic check, pytest on SQLite and PostgreSQL"
	@echo "make check          the quick loop (under 3 min on 2 cores): lint, typecheck, fast tests on SQLite"
	@echo "                    (-m '$(FAST_MARKERS)'); make test runs everything"
	@echo "make screenshots    refresh docs/screenshots/ (browser tests; they write to a temporary folder otherwise)"
	@echo "make venv           create .venv and install the project with its dev extras (venv-runtime: runtime only)"
	@echo "make lock           re-pin constraints.txt from a fresh venv with every extra"
	@echo "make deps-system    apt-get install PostgreSQL server binaries and Chromium when missing (root only)"
	@echo "make lint | typecheck | alembic-check | test-sqlite | test-postgres | test-fast | bench | clean | distclean"

# --- environment ------------------------------------------------------------------------------

venv: $(VENV)/.dev
venv-runtime: $(VENV)/.runtime
venv-bench: $(VENV)/.bench

# A working interpreter in .venv (created when missing or broken).
$(VENV)/.created:
	@if ! $(BIN)/python -m pip --version >/dev/null 2>&1; then \
	  if ! $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
	    echo "error: Python >= 3.11 is needed to create $(VENV); '$(PYTHON)' is: $$($(PYTHON) --version 2>&1 || echo missing)." >&2; \
	    echo "       Use e.g. 'make PYTHON=python3.11 ...'." >&2; \
	    exit 1; \
	  fi; \
	  if ! $(PYTHON) -c 'import ensurepip, venv' >/dev/null 2>&1; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      echo "+ apt-get install python3-venv (needed by '$(PYTHON) -m venv')"; \
	      DEBIAN_FRONTEND=noninteractive apt-get update -q; \
	      DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv; \
	    else \
	      echo "error: '$(PYTHON) -m venv' is unavailable; install your distribution's python3-venv package." >&2; \
	      exit 1; \
	    fi; \
	  fi; \
	  rm -rf $(VENV); \
	  echo "+ $(PYTHON) -m venv $(VENV)"; \
	  $(PYTHON) -m venv $(VENV); \
	fi
	@touch $@

# Each install re-runs only when pyproject.toml or constraints.txt changes. The runtime stamp is what
# `make run` needs; [dev] and [bench] add to it.
$(VENV)/.runtime: pyproject.toml $(CONSTRAINTS) $(VENV)/.created
	$(PIP_INSTALL) -e .
	@touch $@

$(VENV)/.dev: pyproject.toml $(CONSTRAINTS) $(VENV)/.runtime
	$(PIP_INSTALL) -e '.[dev]'
	@touch $@

$(VENV)/.bench: pyproject.toml $(CONSTRAINTS) $(VENV)/.runtime
	$(PIP_INSTALL) -e '.[bench]'
	@touch $@

# Re-pin every dependency (runtime, dev, bench) from a throwaway venv; commit the result.
lock:
	@tmp="$$(mktemp -d)"; trap 'rm -rf "$$tmp"' EXIT; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install --disable-pip-version-check --progress-bar off -q '.[dev,bench]'; \
	{ echo "# Pinned versions of every dependency of boi-mock (runtime, [dev], [bench]) for reproducible installs."; \
	  echo "# Written by 'make lock'; every 'make' install uses it as a pip constraints file (-c)."; \
	  "$$tmp/venv/bin/python" -m pip freeze --exclude-editable --exclude boi-mock --exclude pip --exclude setuptools; \
	} > $(CONSTRAINTS); \
	echo "wrote $(CONSTRAINTS)"

# PostgreSQL server binaries (the tests start a throwaway cluster) and Chromium (browser tests),
# from Debian's packages. Installs only what is missing; without root it says what to install.
deps-system:
	@missing=""; \
	if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then \
	  missing="$$missing postgresql"; \
	fi; \
	if [ ! -x /usr/bin/chromium ]; then missing="$$missing chromium"; fi; \
	missing="$${missing# }"; \
	if [ -z "$$missing" ]; then echo "deps-system: PostgreSQL server binaries and Chromium are present"; exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "deps-system: WARNING: missing system packages: $$missing" >&2; \
	  echo "deps-system: not root, so not installing them; run: sudo apt-get update && sudo apt-get install -y $$missing" >&2; \
	  exit 0; \
	fi; \
	if ! command -v apt-get >/dev/null; then \
	  echo "deps-system: WARNING: missing $$missing and no apt-get here; install them by hand" >&2; \
	  exit 0; \
	fi; \
	echo "+ apt-get update && apt-get install -y $$missing"; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get update -q; \
	apt-get install -y -q --no-install-recommends $$missing

# --- checks -----------------------------------------------------------------------------------

lint: venv
	$(BIN)/ruff check .

# mypy (strict, configured in pyproject.toml) over whichever of boi_mock/ tests/ seed/ bench/ hold Python files.
typecheck: venv
	@dirs=""; \
	for d in $(TYPECHECK_DIRS); do \
	  if [ -d "$$d" ] && [ -n "$$(find "$$d" -name '*.py' -print -quit)" ]; then dirs="$$dirs $$d"; fi; \
	done; \
	if [ -z "$$dirs" ]; then echo "typecheck: no Python files in $(TYPECHECK_DIRS)"; exit 0; fi; \
	echo "+ $(BIN)/mypy$$dirs"; \
	$(BIN)/mypy $$dirs

# The migrations must reproduce the models exactly: migrate a fresh SQLite file, then `alembic check`.
alembic-check: venv
	@tmp="$$(mktemp -d)"; \
	trap 'rm -rf "$$tmp"' EXIT; \
	export BOI_MOCK_DATABASE_URL="sqlite:///$$tmp/alembic-check.db"; \
	echo "+ BOI_MOCK_DATABASE_URL=$$BOI_MOCK_DATABASE_URL $(BIN)/alembic upgrade head && $(BIN)/alembic check"; \
	$(BIN)/alembic upgrade head; \
	$(BIN)/alembic check

# pytest exits 5 when it collects no tests: that is a failure here unless ALLOW_NO_TESTS=1.
# $(1): environment assignments, $(2): pytest arguments.
define run-pytest
	@echo "+ $(1) $(BIN)/python -m pytest $(2)"; \
	rc=0; \
	env $(1) $(BIN)/python -m pytest $(2) || rc=$$?; \
	if [ "$$rc" = 5 ]; then \
	  if [ "$(ALLOW_NO_TESTS)" = 1 ]; then echo "WARNING: pytest collected no tests ($(1))" >&2; exit 0; fi; \
	  echo "error: pytest collected no tests ($(1)); set ALLOW_NO_TESTS=1 to accept that" >&2; \
	  exit 1; \
	fi; \
	exit "$$rc"
endef

test-sqlite: venv
	$(call run-pytest,BOI_MOCK_TEST_DATABASE=sqlite,-n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS))

test-postgres: venv deps-system
	$(call run-pytest,BOI_MOCK_TEST_DATABASE=postgresql,-m 'not browser' -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS))

test: venv deps-system lint typecheck alembic-check test-sqlite test-postgres
	@echo "make test: all checks passed"

# The fast tests only, on SQLite.
test-fast: venv
	$(call run-pytest,BOI_MOCK_TEST_DATABASE=sqlite,-m '$(FAST_MARKERS)' -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS))

check: venv lint typecheck test-fast
	@echo "make check: lint, types and the fast tests passed (make test runs everything CI runs)"

# The browser tests write their screenshots to a temporary folder; here, to docs/screenshots/.
screenshots: venv deps-system
	$(call run-pytest,BOI_MOCK_SCREENSHOTS=$(CURDIR)/docs/screenshots BOI_MOCK_TEST_DATABASE=sqlite,-p no:xdist -m browser tests/ui/test_browser.py $(PYTEST_ARGS))

# --- running ----------------------------------------------------------------------------------

run: venv-runtime
	$(BIN)/boi-mock serve $(ARGS)

bench: venv-bench
	@if [ -f bench/run_all.py ]; then \
	  echo "+ $(BIN)/python bench/run_all.py $(ARGS)"; \
	  $(BIN)/python bench/run_all.py $(ARGS); \
	else \
	  echo "bench: bench/run_all.py does not exist yet"; \
	fi

# --- housekeeping -----------------------------------------------------------------------------

clean:
	rm -rf build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache .hypothesis
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
