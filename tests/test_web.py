"""The web page (`clausegen serve`) through Starlette's test client: every route, bad input,
safety, and a .docx from the page byte-identical to `clausegen build` of the page's spec."""
from __future__ import annotations

import html as html_module
import io
import re
import warnings
import zipfile
from html.parser import HTMLParser

import pytest

pytest.importorskip("starlette")
pytest.importorskip("multipart")
with warnings.catch_warnings():     # newer Starlette prefers httpx2 to httpx; both work
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from clausegen.web.app import LOOPBACK_HOSTS, create_app  # noqa: E402

BOUNDED = "werkdruk.roosterinspraak"       # vvt recommends it; bekendmaking_dagen has bounds
FIELD = f"value:{BOUNDED}:bekendmaking_dagen"
FIELD_ID = "v-werkdruk-roosterinspraak-bekendmaking_dagen"


class FormReader(HTMLParser):
    """What a browser would submit from the page's draft form, untouched."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.inside = False
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "draft-form":
            self.inside = True
        if not self.inside or "disabled" in a:
            return
        if tag == "input" and a.get("name") and a.get("type") != "file":
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self.select, self.options = a["name"], []
        elif tag == "option" and self.select:
            self.options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self.textarea = a.get("name")
            self.fields.append((self.textarea, ""))

    def handle_data(self, data):
        if self.textarea:
            name, text = self.fields[-1]
            self.fields[-1] = (name, text + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            chosen = [v for v, s in self.options if s] or [self.options[0][0]]
            self.fields.append((self.select, chosen[0]))
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def form_of(html: str) -> dict:
    reader = FormReader()
    reader.feed(html)
    data: dict = {}
    for name, value in reader.fields:
        if name in data:
            data[name] = (data[name] if isinstance(data[name], list) else [data[name]]) + [value]
        else:
            data[name] = value
    return data


@pytest.fixture
def client(tmp_path):
    app = create_app(data_dir=tmp_path / "data" / "rounds")
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def page(client, url="/?sector=vvt"):
    response = client.get(url)
    assert response.status_code == 200, response.text
    return response, form_of(response.text)


def field_error(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="field-error" id="{field_id}-e"[^>]*>([^<]*)</p>', html)
    assert match, f"no error element for {field_id}"
    return html_module.unescape(match.group(1))


# ---------------------------------------------------------------- pages


def test_start_page_lists_every_sector(client):
    response = client.get("/")
    assert response.status_code == 200
    for sector in ("vvt", "ziekenhuizen", "bouw-infra"):
        assert f"sector={sector}" in response.text
    assert "clausegen_csrf" in response.headers.get("set-cookie", "")
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_sector_page_has_the_form_with_positions_beside_each_field(client):
    response, form = page(client)
    assert form["sector"] == "vvt" and form["position"] == "doel"
    assert BOUNDED in form["clause"]
    html = response.text
    assert f'id="{FIELD_ID}"' in html and 'for="' + FIELD_ID + '"' in html
    block = html[html.index(f'id="{FIELD_ID}"'):][:3000]
    for word in ("openingsbod", "doel", "ondergrens", "huidige cao", "dagen"):
        assert word in block
    assert 'class="preview"' in html and "Artikel" in html


def test_unknown_sector_is_a_page_with_a_suggestion(client):
    response = client.get("/?sector=vtt")
    assert response.status_code == 404
    assert "unknown sector &#39;vtt&#39;" in response.text
    assert "did you mean &#39;vvt&#39;" in response.text


def test_english_interface(client):
    response = client.get("/?sector=vvt&ui=en")
    assert 'lang="en"' in response.text and "Position" in response.text


def test_post_without_csrf_is_refused(client):
    _, form = page(client)
    form.pop("csrf")
    for url in ("/", "/preview", "/download/docx", "/upload", "/rounds", "/redline"):
        response = client.post(url, data=form)
        assert response.status_code == 403, url
        assert "CSRF" in response.text
    response = client.post("/", data={**form, "csrf": "forged"})
    assert response.status_code == 403


def test_out_of_bounds_value_shows_the_cli_message_beside_the_field(client):
    _, form = page(client)
    form[FIELD] = "999"
    response = client.post("/", data=form)
    assert response.status_code == 200
    message = field_error(response.text, FIELD_ID)
    assert message == f"{BOUNDED}.bekendmaking_dagen: 999 is above the maximum 90"
    form[FIELD] = "veertig"
    message = field_error(client.post("/", data=form).text, FIELD_ID)
    assert message == f"{BOUNDED}.bekendmaking_dagen: 'veertig' is not a number"
    form[FIELD] = "40"
    fixed = client.post("/", data=form).text
    assert field_error(fixed, FIELD_ID) == ""
    assert re.search(rf'id="{FIELD_ID}-v" class="value">40 dagen<', fixed)


def test_bad_date_and_download_refused_while_a_field_is_wrong(client):
    _, form = page(client)
    form["date"] = "1 december"
    response = client.post("/download/docx", data=form)
    assert response.status_code == 400
    assert "content-disposition" not in response.headers
    assert "date &#39;1 december&#39;: write a date as YYYY-MM-DD" in response.text


def test_values_follow_the_position(client, library):
    from clausegen.planning import SectorValues
    sector = library.sectors["vvt"]
    ladder = SectorValues(sector, library).ladder(library.clause(BOUNDED))["bekendmaking_dagen"]
    _, form = page(client)
    for position in ("openingsbod", "ondergrens"):
        form["position"] = position
        html = client.post("/", data=form).text
        shown = re.search(rf'id="{FIELD_ID}-v" class="value">([^<]*)<', html).group(1)
        assert shown == f"{ladder.positions[position]} dagen"
        assert f"volgt {position}" in html


def test_unticked_clause_leaves_the_draft(client):
    _, form = page(client)
    form["clause"] = [c for c in form["clause"] if c != "werkdruk.invaltoeslag"]
    spec = client.post("/download/spec", data=form).text
    assert "werkdruk.invaltoeslag" not in spec and BOUNDED in spec
    form["clause"] = []
    response = client.post("/download/docx", data=form)
    assert response.status_code == 400 and "tick at least one clause" in response.text


def test_preview_of_one_article_is_timed_and_escaped(client):
    """The preview answer carries how long it took ("ms"); how fast it is, is measured by
    benchmarks/bench_docx.py's in-process case, not asserted here (a timed test fails on a
    busy machine, as this one did under load)."""
    _, form = page(client)
    form[FIELD] = "41"
    form["value:algemeen.slotbepaling:plaats"] = "<script>alert(1)</script>"
    answer = client.post("/preview", data={**form, "preview": BOUNDED}).json()
    assert answer["ok"] and "41 dagen" in answer["preview"]
    assert answer["fields"][FIELD_ID]["effective"] == "41 dagen"
    assert isinstance(answer["ms"], (int, float)) and answer["ms"] >= 0
    frame = client.post("/preview", data={**form, "preview": "algemeen.slotbepaling"}).json()
    assert "<script>" not in frame["preview"] and "&lt;script&gt;" in frame["preview"]
    form[FIELD] = "999"
    bad = client.post("/preview", data={**form, "preview": BOUNDED}).json()
    assert "above the maximum 90" in bad["fields"][FIELD_ID]["error"]


def test_findings_show_at_the_article(client):
    _, form = page(client)
    form[FIELD] = "7"       # below the sector's current cao
    html = client.post("/", data=form).text
    article = html[html.index(f'id="c-werkdruk-roosterinspraak"'):]
    article = article[:article.index("</article>")]
    assert 'class="finding warning"' in article and "huidige cao" in article


# ---------------------------------------------------------------- downloads


@pytest.mark.parametrize("audience", ["tafel", "intern"])
def test_page_docx_is_byte_identical_to_build_of_the_page_spec(client, cli, tmp_path, audience):
    _, form = page(client)
    form.update({FIELD: "41", "audience": audience, "position": "openingsbod",
                 "position:werkdruk.zelfroosteren": "ondergrens", "date": "2026-12-01"})
    docx = client.post("/download/docx", data=form)
    spec = client.post("/download/spec", data=form)
    assert docx.status_code == spec.status_code == 200
    intern = "-intern" if audience == "intern" else ""
    assert f'filename="concept-cao-vvt{intern}.docx"' in docx.headers["content-disposition"]
    assert "bekendmaking_dagen = 41" in spec.text
    path = tmp_path / "ronde.toml"
    path.write_bytes(spec.content)
    result = cli("build", path, "-o", tmp_path / "built.docx")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "built.docx").read_bytes() == docx.content


def test_mandate_download_is_a_spreadsheet(client):
    _, form = page(client)
    response = client.post("/download/mandate", data=form)
    assert response.status_code == 200
    assert 'filename="mandaat-vvt.xlsx"' in response.headers["content-disposition"]
    assert "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()


def test_unknown_download_is_404(client):
    _, form = page(client)
    assert client.post("/download/pdf", data=form).status_code == 404


# ---------------------------------------------------------------- uploads


def test_upload_restores_the_whole_form(client, cli, tmp_path):
    spec = tmp_path / "s.toml"
    assert cli("init", "--sector", "bouw-infra", "--position", "ondergrens", "-o", spec,
               "--date", "2026-11-01").exit_code == 0
    text = spec.read_text().replace("# bekendmaking_dagen = ", "bekendmaking_dagen = 3")
    _, form = page(client)
    response = client.post("/upload", data=form, files={"spec": ("ronde1.toml", text.encode())})
    assert response.status_code == 200, response.text
    restored = form_of(response.text)
    assert restored["sector"] == "bouw-infra" and restored["position"] == "ondergrens"
    assert restored["date"] == "2026-11-01"
    assert "Spec ronde1.toml ingeladen" in response.text
    again = client.post("/download/spec", data=restored).text
    assert again == client.post("/download/spec", data=form_of(response.text)).text


def test_upload_with_a_toml_error_names_file_and_line(client):
    _, form = page(client)
    response = client.post("/upload", data=form,
                           files={"spec": ("kapot.toml", b"[cao]\nsector = \"vvt\nx = 1\n")})
    assert response.status_code == 400
    assert "kapot.toml:2" in response.text
    assert form_of(response.text)["sector"] == "vvt"     # the form is kept


def test_upload_with_an_unknown_key_gets_a_suggestion(client):
    _, form = page(client)
    response = client.post("/upload", data=form, files={
        "spec": ("s.toml", b'[cao]\nsector = "vvt"\npositon = "doel"\n')})
    assert response.status_code == 400 and "did you mean &#39;position&#39;" in response.text


def test_too_large_upload_is_refused(client):
    _, form = page(client)
    response = client.post("/upload", data=form,
                           files={"spec": ("big.toml", b"# x\n" * 70_000)})
    assert response.status_code == 413 and "larger than 256 KB" in response.text
    huge = client.post("/", data={**form, "title": "x" * 1_100_000})
    assert huge.status_code == 413


def test_upload_without_a_file(client):
    _, form = page(client)
    response = client.post("/upload", data=form, files={"spec": ("", b"")})
    assert response.status_code == 400 and "choose a spec file" in response.text


# ---------------------------------------------------------------- rounds


def test_round_name_stays_inside_the_data_folder(client, tmp_path):
    _, form = page(client)
    response = client.post("/rounds", data={**form, "round_name": "../../x"})
    assert response.status_code == 200
    rounds = tmp_path / "data" / "rounds"
    assert (rounds / "x.toml").is_file()
    written = {p for p in tmp_path.rglob("*") if p.is_file()}
    assert written == {rounds / "x.toml"}
    again = client.post("/rounds", data={**form, "round_name": "x"})
    assert again.status_code == 400 and "already exists" in again.text
    empty = client.post("/rounds", data={**form, "round_name": "../.."})
    assert empty.status_code == 400 and "give the round a name" in empty.text


def test_rounds_are_listed_loaded_downloaded_and_compared(client, tmp_path):
    _, form = page(client)
    form["date"] = "2026-12-01"
    assert client.post("/rounds", data={**form, "round_name": "ronde 1"}).status_code == 200
    form.update({FIELD: "42", "date": "2027-01-15",
                 "clause": [c for c in form["clause"] if c != "werkdruk.invaltoeslag"]})
    response = client.post("/rounds", data={**form, "round_name": "ronde 2"})
    assert "Ronde ronde-2 bewaard" in response.text
    assert "/rounds/ronde-1" in response.text and "/rounds/ronde-2" in response.text
    loaded = client.get("/rounds/ronde-2")
    assert loaded.status_code == 200 and form_of(loaded.text)[FIELD] == "42"
    spec = client.get("/rounds/ronde-1/spec")
    assert spec.status_code == 200 and spec.text.startswith("# Draft spec")
    assert client.get("/rounds/nope").status_code == 404
    assert client.get("/rounds/nope/spec").status_code == 404
    redline = client.post("/redline", data={**form_of(response.text), "old_round": "ronde-1",
                                            "new_round": "ronde-2"})
    assert redline.status_code == 200, redline.text
    document = zipfile.ZipFile(io.BytesIO(redline.content)).read("word/document.xml").decode()
    assert "<w:ins " in document and "<w:del " in document
    missing = client.post("/redline", data={**form, "old_round": "ronde-1", "new_round": "x"})
    assert missing.status_code == 400 and "no round named" in missing.text


def test_rounds_survive_a_restart(tmp_path):
    data = tmp_path / "rounds"
    with TestClient(create_app(data_dir=data)) as first:
        _, form = page(first)
        first.post("/rounds", data={**form, "round_name": "ronde-1"})
    with TestClient(create_app(data_dir=data)) as second:
        assert "/rounds/ronde-1" in second.get("/?sector=vvt").text


# ---------------------------------------------------------------- safety


def test_unknown_route_and_internal_error_are_pages_without_traceback(client, monkeypatch):
    missing = client.get("/nothing-here")
    assert missing.status_code == 404 and "<html" in missing.text
    from clausegen.web import forms

    def boom(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(forms, "fresh_state", boom)
    response = client.get("/?sector=vvt")
    assert response.status_code == 500
    assert "internal error: RuntimeError: boom" in response.text
    assert "Traceback" not in response.text and "File \"" not in response.text


def test_host_header_is_checked_on_loopback(tmp_path):
    app = create_app(data_dir=tmp_path, allowed_hosts=LOOPBACK_HOSTS)
    with TestClient(app, base_url="http://127.0.0.1:8000") as ok:
        assert ok.get("/").status_code == 200
    with TestClient(app, base_url="http://evil.example") as bad:
        assert bad.get("/").status_code == 400


def test_token_is_required_when_given(tmp_path):
    token = "s3cret-token-0123456789"
    with TestClient(create_app(data_dir=tmp_path, token=token)) as client:
        assert client.get("/").status_code == 401
        assert client.get("/?token=wrong").status_code == 401
        first = client.get(f"/?token={token}", follow_redirects=False)
        assert first.status_code == 303 and "token" not in first.headers["location"]
        assert client.get("/").status_code == 200


def test_serve_refuses_a_network_address_without_token(cli):
    result = cli("serve", "--host", "0.0.0.0")
    assert result.exit_code == 2 and "--token" in result.output
    result = cli("serve", "--host", "0.0.0.0", "--token", "short")
    assert result.exit_code == 2 and "16 characters" in result.output


def test_a_broken_plugin_is_a_notice(tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "kapot.py").write_text("raise RuntimeError('kapot')\n")
    from clausegen import plugin_host
    try:
        with TestClient(create_app(plugins, data_dir=tmp_path / "rounds")) as client:
            response = client.get("/?sector=vvt")
        assert response.status_code == 200
        assert "Niet alle plug-ins werken" in response.text and "kapot" in response.text
    finally:
        plugin_host._hosts.pop(str(plugins), None)
