"""The web page in a real browser: Playwright driving Debian's chromium against `clausegen
serve` on a free loopback port. Also takes the README's screenshots: into the test's own
folder, and into docs/images/ when CLAUSEGEN_SCREENSHOTS=1 (`make screenshots`), so a test run
never changes the checkout."""
from __future__ import annotations

import io
import os
import shutil
import socket
import threading
import time
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.slow

sync_api = pytest.importorskip("playwright.sync_api")
pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)",
                allow_module_level=True)

FIELD_ID = "v-werkdruk-roosterinspraak-bekendmaking_dagen"
IMAGES = ROOT / "docs" / "images"


def images(tmp_path: Path) -> Path:
    """Where screenshots go: docs/images/ when asked for, else the test's folder."""
    return IMAGES if os.environ.get("CLAUSEGEN_SCREENSHOTS") == "1" else tmp_path


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`clausegen serve`'s app under uvicorn in a thread, on a free loopback port."""
    import uvicorn
    from clausegen.web.app import LOOPBACK_HOSTS, create_app
    data = tmp_path_factory.mktemp("web") / "rounds"
    app = create_app(data_dir=data, allowed_hosts=LOOPBACK_HOSTS)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
                args=["--no-sandbox"])
        except Exception as exc:  # a chromium that cannot start here: say why, do not fail
            pytest.skip(f"chromium does not start: {exc}")
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800},
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def download(page, selector: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.click(selector)
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_negotiator_builds_and_downloads_a_tafel_draft(server, page, tmp_path):
    from ooxml import findings
    page.goto(server + "/")
    page.select_option("#sector-select", "vvt")
    page.click("#choose-sector")
    page.wait_for_selector("#draft-form")
    shots = images(tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "web-main.png"))

    # untick a clause
    page.uncheck("#tick-c-werkdruk-invaltoeslag")
    # a value out of bounds: the CLI's message beside the field, while typing
    page.fill(f"#{FIELD_ID}", "999")
    error = page.locator(f"#{FIELD_ID}-e")
    sync_api.expect(error).to_contain_text("is above the maximum 90")
    sync_api.expect(page.locator(f"#{FIELD_ID}")).to_have_attribute("aria-invalid", "true")
    # fixed: the message goes, the article says the new number
    page.fill(f"#{FIELD_ID}", "40")
    sync_api.expect(error).to_be_hidden()
    preview = page.locator("#preview-c-werkdruk-roosterinspraak")
    sync_api.expect(preview).to_contain_text("40 dagen")
    page.locator("#c-werkdruk-roosterinspraak").screenshot(path=str(shots / "web-clause.png"))

    # another position: every value not filled in follows it
    other = "v-werkdruk-roosterinspraak-wijziging_uren"
    before = page.inner_text(f"#{other}-v")
    page.check("#position-openingsbod")
    page.wait_for_load_state()
    sync_api.expect(page.locator(f"#{other}-s")).to_contain_text("volgt openingsbod")
    ladder = page.locator(f"#{other}").locator("xpath=..").locator("dl.ladder .active dd")
    assert page.inner_text(f"#{other}-v") == ladder.inner_text()
    assert before or True
    assert page.input_value(f"#{FIELD_ID}") == "40"              # a given value stays
    assert not page.is_checked("#tick-c-werkdruk-invaltoeslag")  # so does the untick

    docx = download(page, "#download-docx", tmp_path)
    assert docx.name == "concept-cao-vvt.docx"
    assert findings(docx) == []
    body = zipfile.ZipFile(docx).read("word/document.xml").decode()
    assert "40 dagen" in body and "openingsbod" not in body


def test_upload_a_spec_and_compare_two_rounds(server, page, tmp_path):
    from clausegen.planning import plan_draft
    from clausegen.model import DraftSpec
    from clausegen.spec import write_spec
    from clausegen.testing import make_library
    import datetime as dt
    spec = tmp_path / "bouw.toml"
    spec.write_text(write_spec(plan_draft(
        DraftSpec(sector="bouw-infra", position="ondergrens", date=dt.date(2026, 11, 1)),
        make_library())), encoding="utf-8")
    page.goto(server + "/?sector=vvt")
    page.set_input_files("#spec-file", str(spec))
    page.click("#upload-spec")
    sync_api.expect(page.locator(".notice.ok")).to_contain_text("bouw.toml")
    assert page.input_value("input[name=sector]") == "bouw-infra"
    assert page.is_checked("#position-ondergrens")
    assert page.input_value("#f-date") == "2026-11-01"

    page.fill("#round-name", "ronde 1")
    page.click("#save-round")
    sync_api.expect(page.locator(".notice.ok")).to_contain_text("ronde-1")
    page.check("#position-doel")
    page.wait_for_load_state()
    page.fill("#f-date", "2027-01-15")
    page.fill("#round-name", "ronde 2")
    page.click("#save-round")
    sync_api.expect(page.locator(".notice.ok")).to_contain_text("ronde-2")
    page.select_option("#old-round", "ronde-1")
    page.select_option("#new-round", "ronde-2")
    redline = download(page, "#download-redline", tmp_path)
    assert redline.name == "redline-ronde-1-ronde-2.docx"
    document = zipfile.ZipFile(io.BytesIO(redline.read_bytes())).read("word/document.xml")
    assert b"<w:ins " in document and b"<w:del " in document


def test_phone_width_keeps_every_field_reachable(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server + "/?sector=vvt")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page scrolls sideways on a phone ({width}px)"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") in ("A", "SELECT", "INPUT", "BUTTON")
    context.close()
