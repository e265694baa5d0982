# Everything a fresh machine needs, from two commands: `make run` and `make test`
# (and `make try` to see the bot at work in a terminal before making a bot token).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
POT := locales/messages.pot
# Every language with a catalog; `make catalogs-update LANGUAGE=pl` starts a new one.
LANGUAGES := $(patsubst locales/%/LC_MESSAGES/messages.po,%,$(wildcard locales/*/LC_MESSAGES/messages.po))

.PHONY: try run test lint catalogs catalogs-update key postgres pango chromium clean

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

## catalogs: compile the .po files into the .mo files the bot reads
catalogs: $(STAMP)
	$(BIN)/pybabel compile -d locales -D messages --statistics 2>&1 | grep -v '^compiling' || true
	@for l in $(LANGUAGES); do test -f locales/$$l/LC_MESSAGES/messages.mo || { echo "catalog $$l did not compile"; exit 1; }; done

## catalogs-update: extract the texts from the code and merge them into every catalog
## (with LANGUAGE=xx, also start a catalog for a new language)
catalogs-update: $(STAMP)
	$(BIN)/pybabel extract -F pyproject.toml -k N_ -k ngettext:1,2 --no-location --sort-output \
		--project=Pestgesprek --copyright-holder="Pestgesprek" -o $(POT) flows bot
	@for l in $(LANGUAGES) $(LANGUAGE); do \
		if [ -f locales/$$l/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i $(POT) -d locales -D messages -l $$l; \
		else \
			$(BIN)/pybabel init -i $(POT) -d locales -D messages -l $$l; \
		fi; \
	done

## key: put a new data key in .env (only when there is none)
key: $(STAMP)
	@if [ -z "$$DATA_KEY" ] && ! grep -qs '^DATA_KEY=' .env; then \
		echo "DATA_KEY=$$($(BIN)/python -m bot make-key)" >> .env; \
		echo "A new data key was written to .env: keep a copy somewhere safe, without it the data cannot be read."; \
	fi

## try: set up and talk to the bot in this terminal, without Telegram or a token
try: $(STAMP) catalogs key pango
	$(BIN)/python -m bot console

## run: set up and start the bot (needs TELEGRAM_BOT_TOKEN in the environment or in .env)
run: $(STAMP) catalogs key pango
	$(BIN)/python -m bot

lint: $(STAMP)
	$(BIN)/ruff check flows bot locales tests setup.py
	$(BIN)/ruff format --check flows bot locales tests setup.py
	$(BIN)/mypy

## pango: the case history's PDF is drawn with Pango (WeasyPrint); install it if missing
pango: $(STAMP)
	@$(BIN)/python -c "import weasyprint" >/dev/null 2>&1 || \
		{ echo "Installing Pango for the history PDF"; \
		  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		  libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; } || \
		echo "Pango could not be installed: the history goes out as HTML only, without its PDF."

## chromium: the tests print the history document in a real browser
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
		{ echo "Installing Chromium for the tests"; \
		  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## postgres: the tests also run on PostgreSQL; install its server if the machine has none
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || \
		{ echo "Installing PostgreSQL's server for the tests"; \
		  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

## test: set up, then lint, type-check and run every test (on SQLite, and on PostgreSQL
## where the database matters), in TEST_WORKERS processes at once (0: all in this one).
## A test waits on the bot about half of its time: three processes keep two cores busy.
TEST_WORKERS ?= 3
test: $(STAMP) catalogs lint postgres pango chromium
	@$(BIN)/python -c "import weasyprint" || { echo "the tests need Pango for the history PDF"; exit 1; }
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache locales/*/LC_MESSAGES/*.mo
