"""The plugin host: loading order, content packs, drop-ins, broken plugins, ids and overrides."""
import json
import subprocess
import sys

from clausegen import hookimpl
from clausegen.content import parse_clause
from clausegen.plugin_host import PluginHost
from conftest import FIXTURES, PACKS

BUILTINS = ["algemeen", "generaties", "robotisering", "samenhang", "sectoren", "werkdruk",
            "wettelijk"]
BROKEN = FIXTURES / "dropins" / "broken"
GOOD = FIXTURES / "dropins" / "good"


def plugins_json(cli, *args, env=None):
    result = cli(*args, "plugins", "--json", env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_builtins_load_first_in_a_fixed_order_then_third_party_by_name(cli):
    data = plugins_json(cli, "--plugins-dir", PACKS)
    names = [p["name"] for p in data]
    assert names[:len(BUILTINS)] == BUILTINS
    assert all(p["kind"] == "builtin" and p["status"] == "ok" for p in data[:len(BUILTINS)])
    assert names[len(BUILTINS):] == sorted(names[len(BUILTINS):])
    assert {"name": "zorgpack", "kind": "pack", "version": "2.1.0"}.items() <= {
        k: v for p in data if p["name"] == "zorgpack" for k, v in p.items()}.items()


def test_every_item_carries_its_provenance(pack_library):
    clause = pack_library.clause("zorg.nachtdienst")
    assert clause.provenance.plugin == "zorgpack"
    assert clause.provenance.version == "2.1.0"
    assert clause.provenance.file.endswith("nachtdienst.toml")
    built_in = pack_library.clause("algemeen.looptijd")
    assert built_in.provenance.plugin == "algemeen"
    assert built_in.provenance.distribution == "clausegen"
    assert pack_library.sectors["testzorg"].provenance.plugin == "zorgpack"
    assert pack_library.definitions["nachtdienst"].provenance.plugin == "zorgpack"


def test_loading_is_idempotent():
    host = PluginHost(plugins_dir=PACKS, env={})
    first = [p.name for p in host.load()]
    assert [p.name for p in host.load()] == first
    assert host.library() is host.library()


def test_importing_clausegen_loads_no_plugin():
    code = ("import sys, clausegen, clausegen.cli; "
            "from clausegen import plugin_host; "
            "assert not plugin_host._hosts; "
            "assert not [m for m in sys.modules if m.startswith('clausegen.plugins.')]; "
            "assert 'docx' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_broken_plugins_are_named_and_the_rest_still_works(cli, tmp_path):
    data = {p["name"]: p for p in plugins_json(cli, "--plugins-dir", BROKEN)}
    assert all(data[name]["status"] == "ok" for name in BUILTINS)
    expected = {
        "kapot_import": "clausegen_dependency_that_does_not_exist",
        "kapot_hook": "register_clauses: RuntimeError: database of clauses unreachable",
        "verkeerd_type": "expected a path to a clause file or a Clause, got int",
        "onbekende_hook": "unknown hook 'register_clause'; did you mean 'register_clauses'",
        "dubbel": "clause id 'algemeen.looptijd' from plugin dubbel",
    }
    for name, fragment in expected.items():
        assert data[name]["status"] == "broken", name
        assert fragment in " ".join(data[name]["errors"]), data[name]["errors"]
    assert "already registered by plugin algemeen@" in " ".join(data["dubbel"]["errors"])
    # Built-ins keep working: a draft is written, and every broken plugin is named on stderr.
    out = tmp_path / "c.md"
    result = cli("--plugins-dir", BROKEN, "generate", "--sector", "ziekenhuizen", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.exists()
    for name in expected:
        assert f"error: plugin {name}" in result.stderr
    # ... and --strict refuses while a plugin is broken.
    result = cli("--plugins-dir", BROKEN, "generate", "--sector", "ziekenhuizen", "-o",
                 tmp_path / "d.md", "--strict")
    assert result.exit_code == 1 and "plugin error" in result.stderr


def test_disable_plugins_gets_past_a_broken_one(cli):
    names = ",".join(["kapot_import", "kapot_hook", "verkeerd_type", "onbekende_hook", "dubbel"])
    data = plugins_json(cli, "--plugins-dir", BROKEN, env={"CLAUSEGEN_DISABLE_PLUGINS": names})
    assert [p["name"] for p in data] == BUILTINS
    assert all(p["status"] == "ok" for p in data)


def test_load_plugins_keeps_builtins_and_only_the_named(cli):
    data = plugins_json(cli, "--plugins-dir", BROKEN, env={"CLAUSEGEN_LOAD_PLUGINS": "kapot_hook"})
    assert [p["name"] for p in data] == BUILTINS + ["kapot_hook"]


def test_plugins_dir_from_the_environment(cli):
    data = plugins_json(cli, env={"CLAUSEGEN_PLUGINS_DIR": str(PACKS)})
    assert "zorgpack" in [p["name"] for p in data]


def test_an_override_with_scope_all_replaces_a_clause_everywhere_and_says_so(cli, tmp_path):
    out = tmp_path / "o.json"
    result = cli("--plugins-dir", FIXTURES / "overrides", "generate", "--sector", "ziekenhuizen",
                 "--audience", "intern", "-o", out)
    assert result.exit_code == 0, result.output
    assert ("warning: zorg.looptijd: zorg.looptijd van plugin override-pack@0.3.0 vervangt "
            "algemeen.looptijd") in result.stderr
    manifest = json.loads(out.read_text())
    ids = [c["id"] for c in manifest["clauses"]]
    assert "zorg.looptijd" in ids and "algemeen.looptijd" not in ids
    entry = next(c for c in manifest["clauses"] if c["id"] == "zorg.looptijd")
    assert entry["plugin"] == "override-pack" and entry["plugin_version"] == "0.3.0"
    assert entry["replaces"]["id"] == "algemeen.looptijd"
    assert entry["replaces"]["plugin"] == "algemeen" and entry["replaces"]["scope"] == "all"


def _module(path):
    import importlib.util
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class InlinePlugin:
    """Registers a clause object (not a file) that uses the drop-in's filter."""

    @hookimpl
    def register_clauses(self, register):
        register(parse_clause(
            'id = "zorg.roep"\nversion = "1.0.0"\ntheme = "zorg"\n'
            'title = { nl = "Roep" }\n[parameters.woord]\ntype = "text"\ndefault = "let op"\n'
            '[text]\nnl = "{{ woord | hoofdletters }}: de werknemer rust."\n', "inline"))


def test_dropin_filter_check_and_plan_hook():
    import datetime as dt
    from clausegen.draft import build_draft
    from clausegen.model import ClauseChoice, DraftSpec
    from clausegen.planning import plan_draft
    from clausegen.testing import make_library, render_clause
    library = make_library(("hoofdletters", _module(GOOD / "hoofdletters.py")),
                           ("inline", InlinePlugin()), plugins_dir=PACKS)
    assert library.clause("zorg.roep").provenance.plugin == "inline"
    assert "LET OP: de medewerker rust." in render_clause(library, "zorg.roep", sector="testzorg")
    spec = DraftSpec(sector="testzorg", title="ADJUST ME", date=dt.date(2026, 12, 1),
                     clauses=[ClauseChoice(id="zorg.nachtdienst", values={"leeftijd": 62})])
    plan = plan_draft(spec, library)
    assert plan.title == "Adjusted by hoofdletters"
    finding = next(f for f in plan.findings if f.code == "night-age")
    assert finding.level == "warning" and finding.check == "nachtdienst-leeftijd"
    assert build_draft(plan, library).title == "Adjusted by hoofdletters"


def test_finalize_docx_edits_the_word_document(cli, tmp_path):
    import docx
    import sys
    sys.path.insert(0, str(FIXTURES.parent))
    from ooxml import findings
    out = tmp_path / "f.docx"
    result = cli("--plugins-dir", GOOD, "generate", "--sector", "vvt", "--date", "2026-12-01",
                 "-o", out)
    assert result.exit_code == 0, result.output
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    assert paragraphs[-1].startswith("Colofon: Cao VVT") and "Zelfroosteren" in paragraphs
    assert findings(out) == []


def test_register_content_hands_every_item_over_and_reports_through_fail():
    """The public way to call the content hooks (the Library and `clausegen check` use it):
    each item with its plugin and kind, in hook order; problems go to `fail`, not the plugin."""
    class Kapot:
        @hookimpl
        def register_clauses(self, register):
            register(42)
            raise RuntimeError("no more clauses")

    host = PluginHost(env={}, entry_points="builtin", extra=[("kapot", Kapot())])
    seen, failed = [], []
    host.register_content(lambda info, kind, item: seen.append((info.name, kind)),
                          fail=lambda info, message: failed.append((info.name, message)))
    kinds = [kind for _, kind in seen]
    assert kinds == sorted(kinds, key=["theme", "definition", "clause", "sector"].index)
    assert ("algemeen", "clause") in seen and ("kapot", "clause") in seen
    assert failed[0][0] == "kapot"
    assert failed[0][1].startswith("register_clauses: RuntimeError: no more clauses (at ")
    assert not any(info.errors for info in host.plugins)


def _noting(name, **marks):
    """A plugin whose adjust_plan adds a finding naming it (an adjuster's findings are kept)."""
    import dataclasses
    from clausegen import Finding

    class Noting:
        @hookimpl(**marks)
        def adjust_plan(self, plan):
            return dataclasses.replace(plan, findings=[*plan.findings,
                                                       Finding("info", "order", name)])
    return name, Noting()


def _plan(library):
    import datetime as dt
    from clausegen.model import ClauseChoice, DraftSpec
    from clausegen.planning import plan_draft
    spec = DraftSpec(sector="vvt", date=dt.date(2026, 12, 1),
                     clauses=[ClauseChoice(id="werkdruk.zelfroosteren")])
    return plan_draft(spec, library)


def test_tryfirst_and_trylast_order_the_hooks_then_load_order():
    """Third-party plugins load by name (aa, mm, zz); tryfirst and trylast move them, as
    pluggy's markers say, and the findings each adjuster adds stay in the plan."""
    from clausegen.testing import make_library
    library = make_library(_noting("aa-last", trylast=True), _noting("mm-plain"),
                           _noting("nn-plain"), _noting("zz-first", tryfirst=True))
    found = [f.message for f in _plan(library).findings if f.code == "order"]
    assert found == ["zz-first", "mm-plain", "nn-plain", "aa-last"]


def _wrapping(name, **marks):
    """A plugin whose adjust_plan is a pluggy wrapper (a generator around the others)."""
    class Wrapping:
        @hookimpl(**marks)
        def adjust_plan(self, plan):
            yield
            raise AssertionError("a wrapper is never called")
    return name, Wrapping()


def test_a_hook_wrapper_is_refused_naming_the_plugin():
    from clausegen.testing import make_library
    host = PluginHost(env={}, entry_points="builtin",
                      extra=[_wrapping("new-style", wrapper=True),
                             _wrapping("old-style", hookwrapper=True), _noting("plain")])
    library = host.library()
    assert [e for e in host.errors() if "wrapper" in e] == [
        f"plugin {name}: implements 'adjust_plan' as a hook wrapper (wrapper=True or "
        "hookwrapper=True), which clausegen does not support; it is not called. Use "
        "tryfirst=True or trylast=True to run early or late" for name in ("new-style",
                                                                         "old-style")]
    assert [f.message for f in _plan(library).findings if f.code == "order"] == ["plain"]
    import pytest
    from clausegen.errors import ClausegenError
    with pytest.raises(ClausegenError, match="wrapper"):
        make_library(_wrapping("new-style", wrapper=True))


def test_an_adjuster_that_leaves_a_malformed_finding_is_named():
    import dataclasses
    import pytest
    from clausegen.errors import PluginError
    from clausegen.testing import make_library

    class Sloppy:
        @hookimpl
        def adjust_plan(self, plan):
            return dataclasses.replace(plan, findings=[*plan.findings, "let op"])

    with pytest.raises(PluginError, match="plugin sloppy: adjust_plan left 'let op', not a "
                                          "Finding with level error / warning / info"):
        _plan(make_library(("sloppy", Sloppy())))
class PythonPlugin:
    """Registers a Clause built in Python: no file, and no provenance of its own."""

    def __init__(self, clause_id="werkdruk.pauze"):
        self.clause_id = clause_id

    @hookimpl
    def register_clauses(self, register):
        from clausegen import Clause
        register(Clause(id=self.clause_id, version="1.0.0", theme="werkdruk",
                        title={"nl": "Pauze"}, text={"nl": "De werknemer neemt pauze."}))


def test_an_item_registered_from_python_names_its_plugin(tmp_path):
    """A clause made in Python carries "unknown" until registered; then the review annex,
    the manifest and the error messages name the plugin that registered it (no file)."""
    import datetime as dt
    import pytest
    from clausegen import Clause
    from clausegen.annex import review_rows
    from clausegen.draft import build_draft
    from clausegen.errors import ClausegenError
    from clausegen.model import UNKNOWN, ClauseChoice, DraftSpec
    from clausegen.planning import plan_draft
    from clausegen.testing import make_library
    from clausegen.writers.manifest import manifest_data
    made = Clause(id="werkdruk.pauze", version="1", theme="werkdruk", title={}, text={})
    assert made.provenance == UNKNOWN and made.provenance.label == "unknown"
    library = make_library(("pauze", PythonPlugin()))
    clause = library.clause("werkdruk.pauze")
    assert (clause.provenance.plugin, clause.provenance.file) == ("pauze", "")
    spec = DraftSpec(sector="vvt", audience="intern", date=dt.date(2026, 12, 1),
                     clauses=[ClauseChoice(id="werkdruk.pauze")])
    plan = plan_draft(spec, library)
    row = next(r for r in review_rows(plan) if r[1] == "werkdruk.pauze")
    assert row[3] == "pauze"
    entry = next(c for c in manifest_data(build_draft(plan, library))["clauses"]
                 if c["id"] == "werkdruk.pauze")
    assert (entry["plugin"], entry["file"]) == ("pauze", "")
    with pytest.raises(ClausegenError, match="clause id 'werkdruk.pauze' from plugin twee is "
                                             "already registered by plugin pauze;"):
        make_library(("pauze", PythonPlugin()), ("twee", PythonPlugin()))
