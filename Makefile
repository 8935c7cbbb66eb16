# Set-up, serving and tests. `make run` and `make test` are all a fresh clone needs.

# pyproject.toml requires Python 3.11: python3.11, else python3 if that is 3.11.
IS_311 := import sys; sys.exit(sys.version_info[:2] != (3, 11))
ifeq ($(origin PY),undefined)
PY := $(firstword $(foreach p,python3.11 python3,\
        $(shell command -v $(p) >/dev/null 2>&1 && $(p) -c '$(IS_311)' 2>/dev/null && echo $(p))))
endif
# The browser tests drive Debian's Chromium (tests/conftest.py reads $$CHROMIUM too).
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM
APT_GET ?= apt-get
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: install system-libs python chromium run worker serve test test-fast lint bench bench-growth bench-import loadtest loadtest-short messages clean

# System libraries Python packages load at run time: libmagic for python-magic (attachments'
# content check), Pango and a font for WeasyPrint (a task as PDF). As root on Debian they are
# installed with apt; elsewhere make stops with one line saying what is missing.
SYSTEM_LIBS := libmagic.so.1 libpango-1.0.so.0 libpangoft2-1.0.so.0
SYSTEM_FILES := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
DEBIAN_PACKAGES := libmagic1 libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
LDCONFIG := $(shell command -v ldconfig 2>/dev/null || echo /sbin/ldconfig)

system-libs:
	@missing=""; \
	for lib in $(SYSTEM_LIBS); do $(LDCONFIG) -p | grep -q "$$lib" || missing="$$missing $$lib"; done; \
	for file in $(SYSTEM_FILES); do [ -e "$$file" ] || missing="$$missing $$file"; done; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then \
	  $(APT_GET) update -qq || echo "Advarsel/Warning: apt-get update fejlede/failed" >&2; \
	  DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -qq $(DEBIAN_PACKAGES) >/dev/null; \
	  missing=""; \
	  for lib in $(SYSTEM_LIBS); do $(LDCONFIG) -p | grep -q "$$lib" || missing="$$missing $$lib"; done; \
	  for file in $(SYSTEM_FILES); do [ -e "$$file" ] || missing="$$missing $$file"; done; \
	fi; \
	[ -z "$$missing" ] || { \
	  echo "Fejl/Error: systembiblioteker mangler/system libraries are missing:$$missing: installér/install the Debian packages $(DEBIAN_PACKAGES) (sudo apt-get install $(DEBIAN_PACKAGES)) and run make again." >&2; \
	  exit 1; }

python:
	@test -n "$(PY)" && $(PY) -c '$(IS_311)' 2>/dev/null || { \
	  echo "Fejl/Error: Python 3.11 mangler/is missing: installér/install 'python3.11' (or run make PY=/path/to/python3.11)." >&2; \
	  exit 1; }

$(BIN)/.installed: pyproject.toml | python
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev,bench]"
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

# Chromium for the browser tests: installed from Debian as root, else a clear stop, never a skip.
chromium:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ -f /etc/debian_version ] && [ "$$(id -u)" = 0 ]; then \
	  echo "Chromium mangler/is missing at $(CHROMIUM): $(APT_GET) install chromium"; \
	  $(APT_GET) update -qq || echo "Advarsel/Warning: apt-get update fejlede/failed" >&2; \
	  DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -qq chromium >/dev/null; \
	fi; \
	[ -x "$(CHROMIUM)" ] || { \
	  echo "Fejl/Error: Chromium mangler/is missing at $(CHROMIUM): installér/install the package 'chromium' (sudo apt-get install chromium) and run make test again." >&2; \
	  exit 1; }

# Links in make run's (console) mails point at the port it serves, unless SITE_URL says otherwise.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_facts
	$(MANAGE) load_demo
	@# Beside runserver: the worker (large exports, the mails) and the scheduler, hourly (mails
	@# due, the trend's counts; idempotent). Both stop when runserver does.
	$(MANAGE) db_worker & worker=$$!; \
	  $(MANAGE) send_notifications --backfill --every 3600 & scheduler=$$!; \
	  trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	  $(MANAGE) runserver 127.0.0.1:$(PORT)

# The background worker alone (large exports, the mails): django-tasks' database queue.
worker: install
	$(MANAGE) migrate --noinput
	$(MANAGE) db_worker

# Production: gunicorn + whitenoise on PostgreSQL. Settings come from the environment (see
# .env.example and the README's deployment section); nothing here is a default secret.
PROD := DJANGO_SETTINGS_MODULE=kombitpl.settings.prod

serve: install
	@test -n "$$DJANGO_SECRET_KEY" || { echo "Fejl: DJANGO_SECRET_KEY er ikke sat (mindst 50 tilfældige tegn). Se .env.example." >&2; exit 1; }
	@test -n "$$DJANGO_ALLOWED_HOSTS" || { echo "Fejl: DJANGO_ALLOWED_HOSTS er ikke sat (værtsnavne, kommasepareret). Se .env.example." >&2; exit 1; }
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; *) echo "Fejl: DATABASE_URL skal pege på PostgreSQL (postgres://bruger@vært:5432/db)." >&2; exit 1;; esac
	$(PROD) $(MANAGE) check --deploy --fail-level WARNING
	$(PROD) $(MANAGE) collectstatic --noinput --clear -v 0
	$(PROD) $(MANAGE) migrate --noinput
	@# The worker makes large exports in the background; it stops when gunicorn does.
	$(PROD) $(MANAGE) db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PROD) PORT=$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py --no-control-socket

test: chromium install
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: install
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(MANAGE) makemigrations --check --dry-run

# PostgreSQL only: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/kombitpl_bench),
# created when missing; the data is built by load_bench on the first run (about a minute).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kombitpl_bench
BENCH := DJANGO_SETTINGS_MODULE=kombitpl.settings.bench BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE)

bench: install
	$(BENCH) bench $(BENCH_ARGS)

# The KLIK import at the issue's scale (a fresh PostgreSQL database unless BENCH_DATABASE_URL).
bench-import: install
	$(BIN)/python bench/import_klik.py $(BENCH_ARGS)

# Simulated programme leaders against gunicorn and a private PostgreSQL cluster, with a restart
# of the database in the middle (bench/loadtest.py); the figures go to bench/RESULTS.md.
loadtest: install
	$(BIN)/python bench/loadtest.py --users 50 --seconds 60 --fault --record $(LOADTEST_ARGS)

# The CI version: under 5 minutes on a small catalogue.
loadtest-short: install
	$(BIN)/python bench/loadtest.py --users 20 --seconds 30 --projects 3 --tasks-per-project 20 --fault $(LOADTEST_ARGS)

# The same cases at ¼×, 4× and 1× the default data (reloaded each time), then how each grew.
bench-growth: install
	for scale in 0.25 4 1; do $(BENCH) bench --scale $$scale $(BENCH_ARGS) || exit 1; done
	$(BENCH) bench --growth

messages: install
	$(MANAGE) makemessages -l da --ignore=.venv --ignore=node_modules --ignore=static
	$(MANAGE) compilemessages -l da --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) node_modules static/dkfds staticfiles
