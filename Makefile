# The README's two commands: `make serve` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
PORT   ?= 5000

.PHONY: setup serve test build validate clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed

validate: setup
	$(VENV)/bin/cnamkg validate

build: setup
	$(VENV)/bin/cnamkg build

serve: setup
	$(VENV)/bin/cnamkg serve --host 127.0.0.1 --port $(PORT)

test: setup
	scripts/system-deps.sh
	$(VENV)/bin/python -m pytest

clean:
	rm -rf var $(VENV)
