# Two commands: `make demo` writes real Word drafts, `make test` runs the whole suite
# (`make test-fast` skips the slow tests: wheel builds, LibreOffice, the browser; under a minute).
# All set up .venv first (only when pyproject.toml changed since the last set-up).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SECTOR ?= ziekenhuizen
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast bench clean setup screenshots pages

setup: $(STAMP)

# pip -qq: errors only (an editable install's "be careful with folders" note and a machine's
# unreachable index locations are not for a first set-up).
$(STAMP): pyproject.toml
	@echo "Setting up $(VENV) (clausegen and its dependencies; once, or after pyproject.toml changes)"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -qq --upgrade pip
	@$(BIN)/python -m pip install -qq -e '.[test,web]'
	@touch $(STAMP)

# The draft for the table, the confidential one for the delegation, and its mandate.
demo: $(STAMP)
	@mkdir -p out
	$(BIN)/clausegen generate --sector $(SECTOR) -o out/concept-cao-$(SECTOR).docx --force
	$(BIN)/clausegen generate --sector $(SECTOR) --audience intern -o out/concept-cao-$(SECTOR)-intern.docx --force
	$(BIN)/clausegen mandate --sector $(SECTOR) -o out/mandaat-$(SECTOR).xlsx --force
	@echo "On a web page instead: $(BIN)/clausegen serve --open  (Ctrl+C stops it)"

# The tests run on every core (pytest-xdist), each test file on one worker so that a file's
# shared fixtures are built once; `make test XDIST=` runs them in one process.
XDIST ?= -n auto --dist loadfile

test: $(STAMP)
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

# Under a minute: no wheel builds, virtual environments, LibreOffice or browser.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" $(XDIST) $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m pip install -qq -e '.[bench]'
	$(BIN)/python benchmarks/bench_docx.py $(BENCH_ARGS)
	$(BIN)/python benchmarks/bench_compare.py $(BENCH_COMPARE_ARGS)

# The README's pictures of the web page, taken by the browser test.
screenshots: $(STAMP)
	CLAUSEGEN_SCREENSHOTS=1 $(BIN)/python -m pytest tests/test_browser.py -q

# The demo draft's pages as PNG under out/pages/, to look at as a reader would (needs
# LibreOffice and poppler-utils); the README's two page images in docs/images/ come from here.
ARTICLE_PAGE ?= 10
pages: $(STAMP)
	@rm -rf out/pages && mkdir -p out/pages docs/images
	$(BIN)/clausegen generate --sector $(SECTOR) --date 2026-12-01 -o out/pages/concept-cao-$(SECTOR).pdf --force
	pdftoppm -png -r 80 out/pages/concept-cao-$(SECTOR).pdf out/pages/page
	cp out/pages/page-01.png docs/images/title-page.png
	cp out/pages/page-$(ARTICLE_PAGE).png docs/images/article-page.png
	@echo "Pages in out/pages/; docs/images/title-page.png and article-page.png refreshed"

clean:
	rm -rf $(VENV) out build dist *.egg-info .pytest_cache
