# Set-up, serving and tests. `make run` and `make test` are all a fresh clone needs.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: install system-libs run test test-fast lint bench messages clean

# System libraries that Python packages load at run time: libmagic for python-magic (attachments'
# content check), Pango and a font for WeasyPrint (a task as PDF). As root on Debian they are
# installed with apt; elsewhere make stops and says what is missing.
SYSTEM_LIBS := libmagic.so.1 libpango-1.0.so.0 libpangoft2-1.0.so.0
SYSTEM_FILES := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
DEBIAN_PACKAGES := libmagic1 libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
LDCONFIG := $(shell command -v ldconfig 2>/dev/null || echo /sbin/ldconfig)

system-libs:
	@missing=""; \
	for lib in $(SYSTEM_LIBS); do $(LDCONFIG) -p | grep -q "$$lib" || missing="$$missing $$lib"; done; \
	for file in $(SYSTEM_FILES); do [ -e "$$file" ] || missing="$$missing $$file"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBIAN_PACKAGES); \
	  else \
	    echo "Fejl:$$missing mangler. Installér Debian-pakkerne $(DEBIAN_PACKAGES) (som root: apt-get install $(DEBIAN_PACKAGES)) og kør make igen." >&2; \
	    exit 1; \
	  fi; \
	fi

$(BIN)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Fejl: npm findes ikke. Installér Node.js og npm (fx 'apt-get install nodejs npm') og kør make igen." >&2; \
	  exit 1; }
	npm ci --no-audit --no-fund
	touch $@

# Det Fælles Designsystem, served from our own static files (no CDN).
static/dkfds/.installed: node_modules/.installed
	rm -rf static/dkfds
	mkdir -p static/dkfds
	cp -r node_modules/dkfds/dist/css node_modules/dkfds/dist/js \
	      node_modules/dkfds/dist/fonts node_modules/dkfds/dist/img static/dkfds/
	touch $@

install: system-libs $(BIN)/.installed static/dkfds/.installed

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_facts
	$(MANAGE) load_demo
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: install
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(MANAGE) makemigrations --check --dry-run

bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

messages: install
	$(MANAGE) makemessages -l da --ignore=.venv --ignore=node_modules --ignore=static
	$(MANAGE) compilemessages -l da --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) node_modules static/dkfds staticfiles
