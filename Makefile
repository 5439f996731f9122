# SOVAZ: `make run` and `make test` do all set-up on a fresh Debian machine with Python >= 3.12.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The stand-in e-parliament of `make run`; the demo registers its webhook at this port too.
RECEIVER_PORT ?= 8001
export RECEIVER_PORT
# The first Python >= 3.12 found on PATH or under pyenv.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 \
	$$HOME/.pyenv/versions/3.13*/bin/python3.13 $$HOME/.pyenv/versions/3.12*/bin/python3.12; do \
	  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' \
	  2>/dev/null && { command -v $$p; break; }; done)

.PHONY: run test install migrate demo serve worker receiver lint messages browser clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python >= 3.12 is needed (python3.13 or python3.12)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# Serves the site on http://$(HOST):$(PORT) with the demo data, the delivery worker and the
# stand-in e-parliament receiver, all stopped together by Ctrl-C.
run: demo
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py run_all --host $(HOST) --port $(PORT) --receiver-port $(RECEIVER_PORT)

serve: install
	$(PY) -m live.server -b $(HOST) -p $(PORT) sovaz.asgi:application

# Chromium for the browser tests, from Debian (Playwright cannot download its own here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Install Chromium for the browser tests: sudo apt-get install -y chromium"; fi; }

test: install browser
	$(PY) manage.py compilemessages -v 0 --ignore '.venv/*' 2>/dev/null || true
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

# Translations: Uzbek (Latin) and Russian; English is the source language. Each app with its own
# locale/ is refreshed from inside its folder (the .po files name paths relative to it); sovaz/
# and templates/ go into the project's locale/. Any error stops the target.
LOCALE_APPS := $(patsubst %/locale,%,$(wildcard */locale))
MAKEMESSAGES = makemessages -l uz -l ru -v 0 --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*'
messages: install
	@for app in $(LOCALE_APPS); do \
	  echo "makemessages in $$app/"; \
	  (cd $$app && $(abspath $(PY)) $(CURDIR)/manage.py $(MAKEMESSAGES)) || exit 1; done
	@echo "makemessages in ./ (sovaz/, templates/)"
	@$(PY) manage.py $(MAKEMESSAGES) $(foreach app,$(LOCALE_APPS),--ignore '$(app)/*') \
	  --ignore 'static/*' --ignore 'staticfiles/*' --ignore 'docs/*' --ignore 'var/*' \
	  --ignore 'test-artifacts/*' --ignore '*.egg-info/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

# Removes the venv and collected static files only; the demo's data stays (see the README's
# "Start over" to reset it).
clean:
	rm -rf $(VENV) staticfiles
	@echo "Kept db.sqlite3 (the demo database) and var/ (the vote-signing key): see the README to reset."
