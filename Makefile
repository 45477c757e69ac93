# AMDesk: `make run` serves the demo, `make test` runs every check. Both install what is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# pytest-xdist workers for `make test`: one per core (`make test TEST_WORKERS=0` runs in one process).
TEST_WORKERS ?= auto
export DJANGO_SETTINGS_MODULE ?= amdesk.settings.local

.PHONY: run test install lint format messages clean

install: $(VENV)/.installed node_modules/.installed

# Re-install only when the dependency lists change, so a second `make run` starts in seconds.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: install
	mkdir -p var
	$(BIN)/amdesk migrate --noinput
	$(BIN)/amdesk demo --if-empty
	# The background worker (imports) runs beside the web server and stops with it.
	$(BIN)/amdesk db_worker --no-reload & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/amdesk runserver 127.0.0.1:$(PORT)

# pytest exits 5 when it collects nothing; that is not a failure of the code.
test: install
	$(BIN)/ruff check src tests bench
	DJANGO_SETTINGS_MODULE=amdesk.settings.test $(BIN)/pytest -n $(TEST_WORKERS) --durations=15; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ]

lint: install
	$(BIN)/ruff check src tests bench

format: install
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

# Compile the translations (needs GNU gettext's msgfmt); the .mo files are committed.
messages:
	cd src/amdesk && ../../$(BIN)/amdesk compilemessages

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache
