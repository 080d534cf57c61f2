"""Hostile clause templates: a content pack is data, so its templates must never act.

Every payload below is put into a clause of a content pack in a temp dir and the draft is
generated through the command line. It must either fail with one clear error that names the
clause and its file (exit 1, no traceback, no output file), or render harmlessly. In no case may
it have an effect: the canary file named in the payload is never created, and the value of
CLAUSEGEN_CANARY_SECRET never appears in stdout, stderr or the output file.

Payloads that exhaust memory or CPU run in a child process with an address-space limit and a
timeout, so a sandbox hole cannot take the test run down; they must be stopped by clausegen's own
limits with a clear error, not by the operating system or the timeout, and within seconds: every
operation a template can do is bounded, so no single one (a huge join, a quadratic scan, a
100-million-character {% set %}) escapes the time budget.

The recipe for a hostile pack (issue 17): a plugin.toml, a theme, one clause whose text is the
payload, one sector recommending it. That is tests/fixtures/bad_input/hardpack, copied into a temp
dir, plus clause hard.payload (see `payload_pack`); the built-in plugins are switched off so that
these tests depend only on the sandbox, not on the clause library.
"""
from __future__ import annotations

import concurrent.futures
import hashlib
import marshal
import os
import pickle
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from clausegen.params import toml_string

HARDPACK = Path(__file__).resolve().parent / "fixtures" / "bad_input" / "hardpack"
NO_BUILTINS = "algemeen,robotisering,generaties,werkdruk,sectoren,wettelijk,samenhang"
SECRET_NAME = "CLAUSEGEN_CANARY_SECRET"
SECRET = "xyzzy-7f3a9c2e51-canary"
CLAUSE = "hard.payload"


# ---------------------------------------------------------------- helpers




def payload_pack(root: Path, text: str, *, where: str = "text", extra_clause: str = "") -> Path:
    """A plugins dir holding the hardpack plus clause hard.payload carrying `text`.

    `where` is the field the payload goes into: "text", "title" or "toelichting".
    """
    plugins = root / "plugins"
    shutil.copytree(HARDPACK, plugins / "hardpack")
    fields = {"text": "Gewone tekst.", "title": "Proef", "toelichting": "Uitleg."}
    fields[where] = text
    (plugins / "hardpack" / "hard" / "payload.toml").write_text(
        f'id = "{CLAUSE}"\nversion = "1.0.0"\ntheme = "hard"\norder = 1\n'
        f"title = {{ nl = {toml_string(fields['title'])} }}\n"
        "[parameters.leeftijd]\ntype = \"integer\"\ndefault = 55\nmin = 0\nmax = 100\n"
        f"[text]\nnl = {toml_string(fields['text'])}\n"
        f"[toelichting]\nnl = {toml_string(fields['toelichting'])}\n", encoding="utf-8")
    if extra_clause:
        (plugins / "hardpack" / "hard" / "extra.toml").write_text(extra_clause, encoding="utf-8")
    sector = plugins / "hardpack" / "sectoren" / "hardzorg.toml"
    sector.write_text(sector.read_text(encoding="utf-8").replace(
        'recommended = ["hard.waarden"]', f'recommended = ["hard.waarden", "{CLAUSE}"]'),
        encoding="utf-8")
    return plugins


def fill(template: str, canary: Path) -> str:
    return template.replace("@CANARY@", str(canary)).replace("@SECRET@", SECRET_NAME)


def package_text(path: Path) -> str:
    """Every part of a .docx (or the text of an .md/.json), for searching."""
    data = path.read_bytes()
    if data[:2] != b"PK":
        return data.decode("utf-8", "replace")
    with zipfile.ZipFile(path) as package:
        return "\n".join(package.read(n).decode("utf-8", "replace") for n in package.namelist())


def paragraphs(path: Path) -> list[str]:
    """The text of each paragraph of word/document.xml."""
    from lxml import etree
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(f"{w}t")) for p in root.iter(f"{w}p")]


def leftovers(folder: Path) -> list[str]:
    """Temp files a write may have left behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def env_for(tmp_path: Path) -> dict:
    return {SECRET_NAME: SECRET, "CLAUSEGEN_DISABLE_PLUGINS": NO_BUILTINS,
            "CLAUSEGEN_CACHE_DIR": str(tmp_path / "cache")}


def assert_no_effect(result_text: str, out: Path, canary: Path) -> None:
    assert not canary.exists(), "the payload created the canary file"
    assert SECRET not in result_text, "an environment value leaked into the output"
    if out.exists():
        assert SECRET not in package_text(out), "an environment value leaked into the draft"
    assert leftovers(out.parent) == []


def assert_clear_failure_or_harmless(code: int, stderr: str, out: Path, file_name: str) -> None:
    assert code in (0, 1), stderr
    assert "Traceback" not in stderr
    if code == 1:
        assert "internal error" not in stderr, stderr
        assert CLAUSE in stderr, f"the error does not name the clause: {stderr}"
        assert file_name in stderr, f"the error does not name the file: {stderr}"
        assert not out.exists()
    else:
        assert out.exists()


# ---------------------------------------------------------------- the corpus
#
# @CANARY@ becomes the path of a file that must never be created, @SECRET@ the name of an
# environment variable whose value must never appear.

PAYLOADS = [
    # attribute walks to the object graph
    ("mro-subclasses", "{{ ''.__class__.__mro__[1].__subclasses__() }}"),
    ("mro-last", "{{ ''.__class__.__mro__[-1].__subclasses__()[0]('@CANARY@') }}"),
    ("tuple-bases", "{{ ().__class__.__bases__[0].__subclasses__() }}"),
    ("list-base", "{{ [].__class__.__base__.__subclasses__() }}"),
    ("int-class", "{{ leeftijd.__class__.__mro__ }}"),
    ("int-real-class", "{{ leeftijd.real.__class__.__base__ }}"),
    ("date-subclasses", "{{ start.__class__.__subclasses__() }}"),
    ("date-reduce", "{{ start.__reduce_ex__(2) }}"),
    ("subscript-class", "{{ ''['__class__'] }}"),
    ("hex-escaped-subscript", "{{ ''['\\x5f\\x5fclass\\x5f\\x5f'] }}"),
    ("dunder-doc", "{{ ''.__doc__ }}"),
    ("builtin-self", "{{ ''.join.__self__ }}"),
    ("loop-over-subclasses",
     "{% for c in [].__class__.__base__.__subclasses__() %}"
     "{% if c.__name__ == 'catch_warnings' %}"
     "{{ c()._module.__builtins__['__import__']('os').system('touch @CANARY@') }}"
     "{% endif %}{% endfor %}"),
    ("set-then-walk", "{% set x = ''.__class__ %}{{ x.__mro__ }}"),
    ("with-then-walk", "{% with a = ''.__class__ %}{{ a }}{% endwith %}"),
    # the functions a template does see: ref() and range()
    ("ref-globals", "{{ ref.__globals__['os'].environ['@SECRET@'] }}"),
    ("ref-func-globals", "{{ ref.__func__.__globals__['os'].system('touch @CANARY@') }}"),
    ("ref-self", "{{ ref.__self__.context }}"),
    ("range-globals", "{{ range.__globals__['os'].environ }}"),
    ("range-builtins-open",
     "{{ range.__init__.__globals__['__builtins__']['open']('@CANARY@', 'w').write('x') }}"),
    # Jinja's usual globals and the Flask ones
    ("config", "{{ config.items() }}"),
    ("self", "{{ self.__init__.__globals__.__builtins__ }}"),
    ("self-private", "{{ self._TemplateReference__context }}"),
    ("cycler", "{{ cycler.__init__.__globals__.os.popen('touch @CANARY@').read() }}"),
    ("joiner", "{{ joiner.__init__.__globals__.os.environ['@SECRET@'] }}"),
    ("namespace", "{{ namespace.__init__.__globals__.os.system('touch @CANARY@') }}"),
    ("lipsum", "{{ lipsum.__globals__['os'].popen('env').read() }}"),
    ("lipsum-open", "{{ lipsum.__globals__.__builtins__.open('@CANARY@', 'w') }}"),
    ("request",
     "{{ request.application.__globals__.__builtins__.__import__('os').popen('id').read() }}"),
    ("url-for", "{{ url_for.__globals__.os.environ }}"),
    ("dict-global", "{{ dict(a=1) }}"),
    ("getattr-global", "{{ getattr('', '__class__') }}"),
    ("import-global", "{{ __import__('os').system('touch @CANARY@') }}"),
    ("env-by-name", "{{ @SECRET@ }}{{ environ }}{{ os }}"),
    # format-string tricks
    ("format-attr", "{{ '{0.__class__.__mro__}'.format('') }}"),
    ("format-globals", "{{ '{0.__init__.__globals__}'.format(ref) }}"),
    ("format-func-globals", "{{ '{0.__func__.__globals__[os].environ[@SECRET@]}'.format(ref) }}"),
    ("format-map", "{{ '{x.__class__}'.format_map({'x': 1}) }}"),
    ("percent-format", "{{ '%s %r' % (ref, range) }}"),
    ("date-format-spec", "{{ '{:%Y-%m-%d}'.format(start) }}"),
    # filter tricks
    ("attr-filter", "{{ ''|attr('__class__')|attr('__mro__') }}"),
    ("attr-filter-escaped", "{{ ''|attr('\\x5f\\x5fclass\\x5f\\x5f') }}"),
    ("map-attribute", "{{ employers|map(attribute='__class__')|list }}"),
    ("join-attribute", "{{ employers|join(attribute='__class__') }}"),
    ("sort-attribute", "{{ employers|sort(attribute='__class__.__mro__') }}"),
    ("selectattr", "{{ employers|selectattr('__class__')|list }}"),
    ("format-filter", "{{ '%s'|format(ref) }}"),
    ("string-attr-call", "{{ 'x'|string|attr('upper')() }}"),
    # template loading
    ("import", "{% import 'os' as os %}{{ os.system('touch @CANARY@') }}"),
    ("include-file", "{% include '/etc/passwd' %}"),
    ("extends-file", "{% extends '/etc/passwd' %}"),
    ("from-import", "{% from 'x' import y %}{{ y }}"),
    # macros and caller
    ("caller-globals",
     "{% macro m() %}{{ caller.__globals__ }}{% endmacro %}{% call m() %}x{% endcall %}"),
    ("loop-class", "{% for x in employers %}{{ loop.__class__ }}{% endfor %}"),
    ("set-attribute", "{% set a = 1 %}{% set a.b = 2 %}"),
    # recursion (Python's own limit, turned into a clear error)
    ("macro-recursion", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"),
    ("recursive-loop", "{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}"),
    # nesting deeper than Jinja's parser or Python's compiler can take
    ("deep-parentheses", "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}"),
    ("deep-list-literal", "{{ " + "[" * 3000 + "]" * 3000 + " }}"),
    ("many-unary-minus", "{{ " + "-" * 5000 + "1 }}"),
    ("long-addition-chain", "{{ 1" + " + 1" * 20000 + " }}"),
    ("deep-if-nesting", "{% if 1 %}" * 200 + "x" + "{% endif %}" * 200),
    ("deep-for-nesting", "{% for a in [1] %}" * 100 + "x" + "{% endfor %}" * 100),
    # literal markup is not evaluated twice
    ("raw-block", "{% raw %}{{ ''.__class__ }}{% endraw %}"),
]


@pytest.mark.parametrize("template", [p[1] for p in PAYLOADS], ids=[p[0] for p in PAYLOADS])
def test_injection_payload_fails_clearly_or_renders_harmlessly(cli, tmp_path, template):
    canary = tmp_path / "canary.txt"
    plugins = payload_pack(tmp_path, fill(template, canary))
    out = tmp_path / "out" / "concept.docx"
    out.parent.mkdir()
    result = cli("--plugins-dir", plugins, "generate", "--sector", "hardzorg", "--clause", CLAUSE,
                 "--date", "2026-12-01", "-o", out, env=env_for(tmp_path))
    assert_clear_failure_or_harmless(result.exit_code, result.stderr, out, "payload.toml")
    assert_no_effect(result.output, out, canary)


@pytest.mark.parametrize("where", ["title", "toelichting"])
@pytest.mark.parametrize("template", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ref.__func__.__globals__['os'].system('touch @CANARY@') }}",
    "{{ '{0.__init__.__globals__[os].environ[@SECRET@]}'.format(ref) }}",
], ids=["mro", "ref-globals", "format-globals"])
def test_titles_and_toelichting_are_sandboxed_too(cli, tmp_path, where, template):
    canary = tmp_path / "canary.txt"
    plugins = payload_pack(tmp_path, fill(template, canary), where=where)
    out = tmp_path / "out" / "concept.docx"
    out.parent.mkdir()
    # intern: the old toelichting counts as internal and is rendered only there
    result = cli("--plugins-dir", plugins, "generate", "--sector", "hardzorg", "--clause", CLAUSE,
                 "--audience", "intern", "-o", out, env=env_for(tmp_path))
    assert_clear_failure_or_harmless(result.exit_code, result.stderr, out, "payload.toml")
    assert_no_effect(result.output, out, canary)


def test_a_value_is_never_evaluated_as_a_template(cli, tmp_path):
    """Template syntax inside a parameter value (from --set) is text, not code."""
    plugins = payload_pack(tmp_path, "Plaats: {{ leeftijd }}.")
    out = tmp_path / "concept.docx"
    value = "{{ ''.__class__.__mro__ }}{% for x in range(3) %}x{% endfor %}"
    result = cli("--plugins-dir", plugins, "generate", "--sector", "hardzorg",
                 "--clause", "hard.waarden", "--set", f"hard.waarden.tekst={value}", "-o", out,
                 env=env_for(tmp_path))
    assert result.exit_code == 0, result.output
    assert f"Tekst: [{value}]" in paragraphs(out)


def test_a_clause_cannot_change_what_other_clauses_see(cli, tmp_path):
    """The draft's context (employers, unions, ...) is shared by every clause; one clause's
    template must not be able to empty or change it for the clauses after it."""
    plugins = payload_pack(
        tmp_path,
        "Gewoon.{{ employers.clear() or '' }}{{ unions.append('Nep') or '' }}"
        "{{ employers.append('Valse werkgever') or '' }}",
        extra_clause=('id = "hard.partijen"\nversion = "1.0.0"\ntheme = "hard"\norder = 2\n'
                      'title = { nl = "Partijen" }\n'
                      "[text]\nnl = \"Partijen: {{ employers | join(', ') }} en "
                      "{{ unions | join(', ') }}.\"\n"))
    out = tmp_path / "concept.docx"
    result = cli("--plugins-dir", plugins, "generate", "--sector", "hardzorg",
                 "--clause", CLAUSE, "--clause", "hard.partijen", "-o", out,
                 env=env_for(tmp_path))
    assert_clear_failure_or_harmless(result.exit_code, result.stderr, out, "payload.toml")
    if result.exit_code == 0:
        seen = [p for p in paragraphs(out) if p.startswith("Partijen:")]
        assert seen == ["Partijen: Werkgeversvereniging Hardzorg en FNV Hardzorg, CNV Hardzorg."]


# ---------------------------------------------------------------- resource limits
#
# Each runs in a child process with at most 1 GiB of address space (clausegen itself needs about
# 60 MB) and a wall-clock timeout. A payload must be stopped by clausegen's limits with an error
# naming the clause and file; a MemoryError ("internal error"), a kill or a timeout is a failure.

ADDRESS_SPACE = 1 << 30
TIMEOUT = 45
HOGS = [
    # huge strings
    ("string-times-constant", '{{ "x" * 10**10 }}'),
    ("string-times-value", '{{ "x" * (leeftijd * 10**9) }}'),
    ("string-times-small", '{{ "x" * 200000 }}'),
    ("list-times", "{{ (employers * 10**9) | length }}"),
    ("ljust", '{{ "x".ljust(3000000000) }}'),
    ("center-value", '{{ "x".center(leeftijd * 10**8) }}'),
    ("zfill", '{{ "1".zfill(3000000000) }}'),
    ("percent-width", '{{ "%3000000000d" % 1 }}'),
    ("format-width", '{{ "{:3000000000}".format(1) }}'),
    ("format-nested-width", '{{ "{0:{1}}".format(1, 3000000000) }}'),
    ("replace-blowup", '{{ ("x" * 100000).replace("x", "yyyyyyyyyy" * 10000) }}'),
    ("replace-filter-blowup", '{{ ("x" * 100000) | replace("x", "y" * 100000) | length }}'),
    ("replace-filter-empty-pattern", '{{ ("ab" * 50000) | replace("", "x" * 99999) | length }}'),
    ("join-filter-blowup", '{{ (["x" * 100000] * 100000) | join | length }}'),
    ("concat-doubling",
     '{% set s = "0123456789" * 100 %}' + '{% set s = s ~ s %}' * 40 + "{{ s | length }}"),
    ("extend-while-iterating",
     '{% for e in employers %}{{ employers.extend(employers) or "" }}{% endfor %}'),
    # endless or very long loops that print nothing
    ("append-while-iterating",
     '{% set l = [1] %}{% for i in l %}{{ l.append(i) or "" }}{% endfor %}'),
    ("nested-ranges",
     "{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}"
     "{% endfor %}{% endfor %}{% endfor %}"),
    ("nested-string-loops",
     '{% for a in "x" * 100000 %}{% for b in "x" * 100000 %}{% endfor %}{% endfor %}'),
    ("nested-list-loops",
     "{% for a in employers * 100000 %}{% for b in employers * 100000 %}{% endfor %}{% endfor %}"),
    ("nested-ranges-printing",
     "{% for i in range(1000) %}{% for j in range(1000) %}xx{% endfor %}{% endfor %}"),
    ("range-too-large", "{% for i in range(10**7) %}{% endfor %}"),
    ("range-length", "{{ range(10**12) | length }}"),
    ("exponential-macro",
     "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
     "{{ f(60) }}"),
    # huge numbers
    ("power-constant", "{{ 7 ** 99999999 }}"),
    ("power-value", "{{ (leeftijd + 2) ** 99999999 }}"),
    ("power-string-length", "{{ (10 ** 100000) | string | length }}"),
    ("product-chain", "{% set n = 10 ** 64 %}" + "{% set n = n * n %}" * 8 + "{{ n }}"),
    # one expensive operation each: before issue 17 these ran for minutes or built gigabytes
    ("set-block-in-a-loop",             # 1,000 x 30,000 blanks, each scanned quadratically
     '{% for i in range(1000) %}{% set x %}{{ " " * 30000 }}{% endset %}{% endfor %}ok'),
    ("join-separator", '{{ ("x" * 100000) | join("y" * 10000) }}'),       # 1 GB asked
    ("join-separator-10gb", '{{ ("x" * 100000) | join("y" * 100000) }}'),
    ("set-block-100m",
     "{% set x %}{% for i in range(1000) %}{{ 'y' * 100000 }}{% endfor %}{% endset %}ok"),
    ("macro-100m",
     "{% macro m() %}{% for i in range(1000) %}{{ 'y' * 100000 }}{% endfor %}{% endmacro %}"
     "{% set x = m() %}ok"),
    ("call-block-100m",
     "{% macro m() %}{{ caller() }}{% endmacro %}"
     "{% set x %}{% call m() %}{% for i in range(1000) %}{{ 'y' * 100000 }}{% endfor %}"
     "{% endcall %}{% endset %}ok"),
    ("filter-block-100m",
     "{% filter upper %}{% for i in range(1000) %}{{ 'y' * 100000 }}{% endfor %}{% endfilter %}"),
    ("replace-with-a-number", "{{ ('1' * 1000) | replace('1', (10 ** 6) ** 64) }}"),
    ("kept-strings",                    # memory: 40 strings kept side by side
     "".join(f'{{% set s{i} = "x" * 99999 ~ "{i}" %}}' for i in range(40)) + "ok"),
    ("slices-in-a-loop",
     '{% set s = "x" * 100000 %}{% for i in range(1000) %}{% set t = s[1:] %}{% endfor %}ok'),
    ("upper-in-a-loop",
     '{% set s = "x" * 100000 %}{% for i in range(1000) %}{% set t = s | upper %}{% endfor %}ok'),
    ("huge-template", "{% if true %}x{% endif %}" * 5000),
]
# What a payload may take, start-up included, with four running side by side on a shared
# machine; each finishes in about a second (before issue 17 some ran for minutes).
HOG_SECONDS = 20
# Heavy but legitimate: rendered correctly, and quickly.
HEAVY = [
    ("many-blanks", '{{ " " * 99000 }}ok'),              # took 75 s: a quadratic scan
    ("emphasis-markup", "*a " * 60000),                   # 180 KB of markup: took 125 s
    ("emphasis-pairs", "**a " * 45000),                  # 22,500 bold spans
    ("replace-by-a-number", "{{ '1' | replace('1', (10 ** 6) ** 64) }}"),
]

CHILD = """
import os, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
from clausegen.cli import main
sys.argv = ["clausegen"] + sys.argv[1:]
main()
"""


def _run_hog(root: Path, name: str, template: str) -> dict:
    """Generate a draft with `template` as hard.payload's text in a limited child process."""
    case = root / name
    case.mkdir()
    canary = case / "canary.txt"
    plugins = payload_pack(case, fill(template, canary))
    out = case / "out" / "concept.docx"
    out.parent.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUSEGEN_")}
    env.update(env_for(case))
    started = time.monotonic()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", CHILD.format(limit=ADDRESS_SPACE), "--plugins-dir",
             str(plugins), "generate", "--sector", "hardzorg", "--clause", CLAUSE, "-o", str(out)],
            env=env, capture_output=True, text=True, timeout=TIMEOUT)
        code, stdout, stderr = proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as exc:
        code, stdout, stderr = None, exc.stdout or "", exc.stderr or ""
        stdout = stdout.decode() if isinstance(stdout, bytes) else stdout
        stderr = stderr.decode() if isinstance(stderr, bytes) else stderr
    return {"code": code, "stdout": stdout, "stderr": stderr, "out": out, "canary": canary,
            "seconds": time.monotonic() - started, "cache": case / "cache"}


@pytest.fixture(scope="module")
def hog_results(tmp_path_factory):
    """Run every resource payload once, a few at a time (most finish in about a second)."""
    root = tmp_path_factory.mktemp("hogs")
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        futures = {name: pool.submit(_run_hog, root, name, template)
                   for name, template in HOGS + HEAVY}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.skipif(os.name != "posix", reason="needs resource limits (POSIX)")
@pytest.mark.parametrize("name", [h[0] for h in HOGS])
def test_resource_hog_is_stopped_with_a_clear_error(hog_results, name):
    r = hog_results[name]
    assert r["code"] is not None, (f"still running after {TIMEOUT} s: no limit stopped it "
                                   f"(stderr so far: {r['stderr'][-300:]!r})")
    assert r["code"] == 1, f"exit {r['code']}: {r['stderr'][-500:]}"
    assert "Traceback" not in r["stderr"]
    assert "internal error" not in r["stderr"], r["stderr"]
    assert CLAUSE in r["stderr"] and "payload.toml" in r["stderr"], r["stderr"]
    assert r["stderr"].count("Error:") == 1, r["stderr"]
    assert r["seconds"] < HOG_SECONDS, f"took {r['seconds']:.1f} s"
    assert not r["out"].exists()
    assert_no_effect(r["stdout"] + r["stderr"], r["out"], r["canary"])


@pytest.mark.skipif(os.name != "posix", reason="needs resource limits (POSIX)")
@pytest.mark.parametrize("name", [h[0] for h in HEAVY])
def test_heavy_but_legitimate_text_renders_quickly(hog_results, name):
    r = hog_results[name]
    assert r["code"] == 0, f"exit {r['code']}: {r['stderr'][-500:]}"
    assert r["seconds"] < HOG_SECONDS, f"took {r['seconds']:.1f} s"
    expected = {"many-blanks": "ok", "emphasis-markup": ("*a " * 60000).strip(),
                "emphasis-pairs": ("a " * 45000).strip(), "replace-by-a-number": "1" + "0" * 384}
    assert expected[name] in paragraphs(r["out"])


def test_a_huge_constant_is_not_written_into_the_template_cache(cli, tmp_path):
    """Jinja folds constant expressions when it compiles, so `"x" * 30000000` would be computed
    at compile time and stored in the user's cache dir (30 MB per template), even though the
    render is then refused for its size."""
    plugins = payload_pack(tmp_path, '{{ "x" * 30000000 }}')
    out = tmp_path / "concept.docx"
    result = cli("--plugins-dir", plugins, "generate", "--sector", "hardzorg", "--clause", CLAUSE,
                 "-o", out, env=env_for(tmp_path))
    assert result.exit_code == 1 and CLAUSE in result.stderr
    cached = sum(p.stat().st_size for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert cached < 1_000_000, f"{cached:,} bytes in the template cache"


# ---------------------------------------------------------------- the compiled-template cache


def _plant(folder: Path, canary: Path) -> None:
    """Replace the compiled code of every cached template in `folder` with code that writes
    `canary`, keeping each entry's name and checksum: a loader that trusts the folder runs it."""
    from jinja2.bccache import bc_magic
    code = compile(f"open({str(canary)!r}, 'w').write('pwned')", "<planted>", "exec")
    entries = sorted(folder.rglob("__jinja2_*.cache"))
    assert entries, f"no compiled template in {folder}"
    for entry in entries:
        with open(entry, "rb") as handle:
            assert handle.read(len(bc_magic)) == bc_magic
            checksum = pickle.load(handle)
        with open(entry, "wb") as handle:
            handle.write(bc_magic)
            pickle.dump(checksum, handle, 2)
            marshal.dump(code, handle)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_cache_dir_is_private_to_the_user(cli, tmp_path):
    # a statement, so the clause goes through Jinja (plain {{ x }} templates skip it)
    plugins = payload_pack(tmp_path, "{% if true %}Gewone tekst.{% endif %}")
    env = env_for(tmp_path)
    del env["CLAUSEGEN_CACHE_DIR"]
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
    result = cli("--plugins-dir", plugins, "generate", "--sector", "hardzorg", "--clause", CLAUSE,
                 "-o", tmp_path / "c.docx", env=env)
    assert result.exit_code == 0, result.output
    folder = tmp_path / "xdg" / "clausegen" / "templates"
    assert folder.is_dir() and any(folder.iterdir())
    assert folder.stat().st_mode & 0o077 == 0
    for entry in folder.iterdir():
        assert entry.stat().st_mode & 0o022 == 0, entry


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_shared_writable_cache_dir_is_not_trusted(cli, tmp_path):
    """Compiled templates are Python code loaded with marshal/pickle: whoever can write the cache
    dir can run code as the user. A cache dir that others can write (CLAUSEGEN_CACHE_DIR=/tmp/x,
    a shared drive) must not be used; a planted entry must never run."""
    canary = tmp_path / "planted-code-ran.txt"
    # a statement, so the clause is compiled and cached (plain {{ x }} templates skip Jinja)
    plugins = payload_pack(tmp_path, "{% if true %}Gewone tekst.{% endif %}")
    args = ("--plugins-dir", plugins, "generate", "--sector", "hardzorg", "--clause", CLAUSE,
            "-o", tmp_path / "c.docx", "--force")
    env = env_for(tmp_path)
    assert cli(*args, env=env).exit_code == 0     # the user's own cache: the real entry names
    private, shared = tmp_path / "cache", tmp_path / "shared-cache"
    shutil.copytree(private, shared)
    _plant(shared, canary)
    shared.chmod(0o777)
    result = cli(*args, env={**env, "CLAUSEGEN_CACHE_DIR": str(shared)})
    assert not canary.exists(), "code planted in a world-writable cache dir was executed"
    assert result.exit_code == 0, result.output
    # The control: the same entries in the user's own folder are loaded and run, so the
    # entries planted above were ones clausegen looks for.
    _plant(private, canary)
    cli(*args, env=env)
    assert canary.exists()


def test_an_unwritable_cache_does_not_stop_a_build(cli, tmp_path, monkeypatch):
    """A compiled template that cannot be written into the cache folder (a read-only or full
    disk) is skipped, never a failed draft."""
    import jinja2.bccache
    refused = []

    def refuse(self, bucket):
        refused.append(bucket.key)
        raise PermissionError(13, "Permission denied", str(tmp_path / "cache" / "x.cache"))
    monkeypatch.setattr(jinja2.bccache.FileSystemBytecodeCache, "dump_bytecode", refuse)
    plugins = payload_pack(tmp_path, "{% if true %}Gewone tekst.{% endif %}")   # needs Jinja
    result = cli("--plugins-dir", plugins, "generate", "--sector", "hardzorg", "--clause", CLAUSE,
                 "-o", tmp_path / "c.docx", env=env_for(tmp_path))
    assert refused, "the template was never written to the cache"
    assert result.exit_code == 0, result.output
    assert (tmp_path / "c.docx").exists()


# ---------------------------------------------------------------- the sandbox's foundation


def test_the_jinja_floor_excludes_versions_with_known_sandbox_escapes():
    """Jinja 3.1.5 fixed a sandbox escape through an indirect str.format call (CVE-2024-56326),
    3.1.6 one through the |attr filter (CVE-2025-27516). clausegen's narrower sandbox blocks
    both paths, but an install must not be allowed to pick a Jinja with known escapes."""
    import re

    from clausegen.tomlfile import standard_parser   # tomllib, or tomli on Python 3.10
    tomllib = standard_parser()
    root = Path(__file__).resolve().parent.parent
    dependencies = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"]["dependencies"]
    jinja = next(d for d in dependencies if d.lower().startswith("jinja2"))
    floor = re.search(r">=\s*([\d.]+)", jinja)
    assert floor, f"no lower bound on Jinja2: {jinja!r}"
    assert tuple(int(p) for p in floor.group(1).split(".")) >= (3, 1, 6), jinja


def test_templates_compiled_before_the_sandbox_changed_are_not_reused(cli, tmp_path,
                                                                       monkeypatch):
    """The cache is keyed by the template's text, and Jinja checks only its own and Python's
    version. The sandbox's compile-time protections (checked operators, no constant folding
    of them) are part of the compiled code, so code compiled with another sandbox must never
    be loaded: the key changes with the sandbox's version."""
    import clausegen.sandbox
    canary = tmp_path / "old-code-ran.txt"
    plugins = payload_pack(tmp_path, "{% if true %}Gewone tekst.{% endif %}")   # needs Jinja
    args = ("--plugins-dir", plugins, "generate", "--sector", "hardzorg", "--clause", CLAUSE,
            "-o", tmp_path / "c.docx", "--force")
    env = env_for(tmp_path)
    assert cli(*args, env=env).exit_code == 0       # compiled and kept by this sandbox
    _plant(tmp_path / "cache", canary)              # stands for what that sandbox compiled
    monkeypatch.setattr(clausegen.sandbox, "SANDBOX_VERSION", "next")
    result = cli(*args, env=env)
    assert result.exit_code == 0, result.output
    assert not canary.exists(), "code compiled with another sandbox was loaded"
    # The control: with the version it was compiled with, the entry is loaded (and runs).
    monkeypatch.undo()
    cli(*args, env=env)
    assert canary.exists()


# ---------------------------------------------------------------- issue 17: no object, no load,
# no character Word cannot hold


def generate(cli, tmp_path: Path, plugins: Path, *args, out: Path | None = None):
    """Generate the payload clause's draft; returns (result, output path, seconds)."""
    out = out or tmp_path / "out" / "concept.docx"
    out.parent.mkdir(exist_ok=True)
    started = time.monotonic()
    result = cli("--plugins-dir", plugins, "generate", "--sector", "hardzorg", "--clause", CLAUSE,
                 "--date", "2026-12-01", "-o", out, *args, env=env_for(tmp_path))
    return result, out, time.monotonic() - started


def assert_refused(result, out: Path, seconds: float, *fragments: str) -> None:
    """Exit 1, one message naming the clause, its file and the reason, nothing written."""
    assert result.exit_code == 1, result.output
    assert seconds < 10, f"took {seconds:.1f} s"
    assert "Traceback" not in result.output and "internal error" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    assert CLAUSE in errors[0] and "payload.toml" in errors[0], errors[0]
    for fragment in fragments:
        assert fragment in errors[0], errors[0]
    assert not out.exists() and leftovers(out.parent) == []


# Each once printed a Python repr with a memory address into the draft (exit 0), or an error
# message with one.
OBJECTS = [
    ("ref-string", "{{ ref | string }}", "a function or macro cannot be printed"),
    ("range", "{{ range | string }}", "a function or macro cannot be printed"),
    ("loop", "{% for x in [1] %}{{ loop }}{% endfor %}", "a loop cannot be printed"),
    ("concat-function", '{{ "x" ~ range }}', "a function or macro cannot be printed"),
    ("macro", "{% macro m() %}{% endmacro %}{{ m }}", "a function or macro cannot be printed"),
    ("caller", "{% macro m() %}{{ caller }}{% endmacro %}{% call m() %}x{% endcall %}",
     "a function or macro cannot be printed"),
    ("block-reference", "{% block b %}x{% endblock %}{{ self.b }}", "cannot be printed"),
    ("sort-attribute", '{{ [ref] | sort(attribute="__globals__") | first }}',
     "sort(attribute=...) is not allowed"),
    ("sort-attribute-positional", '{{ [ref] | sort(false, false, "__globals__") | first }}',
     "sort(attribute=...) is not allowed"),
    ("join-attribute", '{{ [ref] | join(",", "__globals__") }}', "join(attribute=...)"),
    ("list", "{{ employers }}", "a list cannot be printed; join a list with |join(', ')"),
    ("list-upper", "{{ employers | upper }}", "a list cannot be printed"),
    ("table", "{{ current }}", "a table cannot be printed"),
    ("none-concat", '{{ "x" ~ none }}', "nothing (none) cannot be printed"),
    ("ref-of-a-function", "{{ ref(range) }}", "a function or macro cannot be printed"),
    ("money-of-text", "{{ cao | money }}", "filter 'money' needs a number, not the text"),
    ("date-of-a-number", "{{ leeftijd | date }}", "filter 'date' needs a date, not a number"),
]


@pytest.mark.parametrize("template, message", [o[1:] for o in OBJECTS],
                         ids=[o[0] for o in OBJECTS])
def test_no_python_object_is_printed_or_named(cli, tmp_path, template, message):
    result, out, seconds = generate(cli, tmp_path, payload_pack(tmp_path, template))
    assert_refused(result, out, seconds, message)
    for repr_mark in ("0x", "<function", "<bound", "object at", "<class", "Macro", "Context"):
        assert repr_mark not in result.output, result.output


@pytest.mark.parametrize("template, shown", [
    ("{{ vlag }}|{{ leeftijd > 3 }}", "ja|ja"),          # yes/no, not True/False
    ('{{ "Artikel " ~ leeftijd }} {{ 1.5 }}', "Artikel 55 1,5"),
    ("{{ employers | join(' en ') | upper }}", "WERKGEVERSVERENIGING HARDZORG"),
    ("{{ '1' | replace('1', 7 * 6) }} {{ 'abcdef'[1:3] }}", "42 bc"),
], ids=["bool", "numbers", "join-upper", "replace-slice"])
def test_values_print_as_text_in_the_draft_language(cli, tmp_path, template, shown):
    plugins = payload_pack(tmp_path, template)
    clause = plugins / "hardpack" / "hard" / "payload.toml"
    clause.write_text(clause.read_text(encoding="utf-8").replace(
        '[text]', '[parameters.vlag]\ntype = "bool"\ndefault = true\n[text]'), encoding="utf-8")
    result, out, _ = generate(cli, tmp_path, plugins)
    assert result.exit_code == 0, result.output
    assert shown in paragraphs(out)


@pytest.mark.parametrize("template, at_compile", [
    ('{{ "A\\x01B" }}', True), ('Tekst\n{{ "A\\ud800B" }}', True),
    ("{{ '\\ue000x\\ue001' }}", True), ("{{ 1e999 }}", True), ('{{ "inf" | float * 2 }}', False),
    ("{% set n = 10 ** 64 %}{{ n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n }}",
     False),
], ids=["control", "lone-surrogate", "forged-marker", "infinite-constant", "infinite-value",
        "huge-number"])
def test_nothing_word_cannot_hold_is_written(cli, tmp_path, template, at_compile):
    """A control character, a lone surrogate or an infinite number once reached the .docx
    (invalid XML, exit 0) or failed as "internal error"; with --force the good file was lost."""
    plugins = payload_pack(tmp_path, template)
    out = tmp_path / "out" / "concept.docx"
    out.parent.mkdir()
    out.write_bytes(b"the previous draft")
    result, out, seconds = generate(cli, tmp_path, plugins, "--force", out=out)
    assert result.exit_code == 1, result.output
    assert seconds < 10 and "internal error" not in result.stderr
    assert CLAUSE in result.stderr and "payload.toml" in result.stderr
    assert out.read_bytes() == b"the previous draft" and leftovers(out.parent) == []
    if at_compile:      # found in the template's code: the error has the line
        assert re.search(r"payload\.toml:\d+: ", result.stderr), result.stderr


def test_clausegen_check_reports_a_character_word_cannot_hold(cli, tmp_path):
    plugins = payload_pack(tmp_path, '{{ "A\\x01B" }}')
    result = cli("check", plugins / "hardpack", env=env_for(tmp_path))
    assert result.exit_code == 1, result.output
    assert "payload.toml" in result.output and "U+0001" in result.output


@pytest.mark.parametrize("tag", ["include", "import", "from-import", "extends"])
def test_a_clause_cannot_load_another_clauses_template(cli, tmp_path, tag):
    """The loader once served every template compiled so far under its cache key, so clause A
    could print clause B's text; an unknown name was a KeyError."""
    secret = "Alleen in de andere bepaling."
    other = (f'id = "hard.ander"\nversion = "1.0.0"\ntheme = "hard"\norder = 0\n'
             f'title = {{ nl = "Ander" }}\n[text]\nnl = "{{% if true %}}{secret}{{% endif %}}"\n')
    digest = hashlib.sha256(f"{{% if true %}}{secret}{{% endif %}}\0[]".encode()).hexdigest()[:16]
    key = f"hard.ander:sandbox-4:{digest}"
    template = {"include": f"{{% include '{key}' %}}", "import": f"{{% import '{key}' as b %}}",
                "from-import": f"{{% from '{key}' import x %}}",
                "extends": f"{{% extends '{key}' %}}"}[tag]
    plugins = payload_pack(tmp_path, template, extra_clause=other)
    result, out, seconds = generate(cli, tmp_path, plugins, "--clause", "hard.ander")
    assert_refused(result, out, seconds, "is not allowed in a clause")
    assert secret not in result.output


def test_a_truncated_or_garbled_cache_entry_is_compiled_afresh(cli, tmp_path):
    """A cache file cut short (a full disk, a killed process) failed every build with
    "internal error: UnpicklingError"; a cache that cannot be read must never fail a build.
    Every file of the cache is damaged: the compiled templates and the parsed library."""
    plugins = payload_pack(tmp_path, "{% if true %}Gewone tekst.{% endif %}")
    result, out, _ = generate(cli, tmp_path, plugins)
    assert result.exit_code == 0, result.output
    entries = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert any(p.parent.name == "library" for p in entries)
    assert any(p.parent.name == "templates" for p in entries)
    for damage in (lambda data: data[: len(data) // 2], lambda data: data[:20],
                   lambda data: data[:12] + b"\x00garbage" * 20):
        for entry in entries:
            entry.write_bytes(damage(entry.read_bytes()))
        result, out, _ = generate(cli, tmp_path, plugins, "--force")
        assert result.exit_code == 0, result.output
        assert "Gewone tekst." in paragraphs(out)


def test_terminology_is_text_never_template_code():
    """A sector's word went into the template source, so `werknemer = "{{ ref|string }}"` ran
    as code in the built-in clauses (a repr in the werkingssfeer article). Content files refuse
    such a replacement (tests/test_bad_input.py); a sector built in Python reaches the renderer,
    which puts its words into the template's text only."""
    from clausegen.render import Renderer
    for fast in (True, False):
        renderer = Renderer("nl", {}, {"cao": "Cao X"},
                            {"werknemer": "{{ ref|string }}{% include 'x' %}"}, fast=fast)
        text = renderer.render("De werknemer van {{ cao }}.", name="t", values={})
        assert text == "De {{ ref|string }}{% include 'x' %} van Cao X."
