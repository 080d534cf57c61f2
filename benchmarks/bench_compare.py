#!/usr/bin/env python3
"""The redline between two negotiation rounds: clausegen's (articles aligned by clause id)
against a generic .docx comparer (docx-trackdiff, pure Python, aligns paragraphs by text).

A benchmark, not a test: it prints figures and never fails a build (it exits non-zero only
when a contender cannot run at all). Run from the repository root:

    .venv/bin/python benchmarks/bench_compare.py [--repeat N] [--process-repeat N] [--keep]

The pair is the reviewer's one for sector vvt, fixed in this file (no randomness). Round 1 has
seven clauses; round 2 changes one value (werkdruk.roosterinspraak.bekendmaking_dagen = 42),
drops werkdruk.invaltoeslag, adds werkdruk.vertrouwenspersoon and swaps werkdruk.zelfroosteren
and werkdruk.roosterinspraak. Both rounds have the same date, start and end, so the title page
and the looptijd do not change. Both plain drafts are built in-process as `clausegen build`
builds them (parse_spec, plan_draft, build_draft, render_bytes; built-in plugins only), written
to a temp dir, and then, on the same machine in the same run:

  clausegen        compare.align + compare.changes + writers.redline.write_redline on the two
                   Draft objects, the .docx written to disk (what `clausegen compare` does after
                   building both drafts)
  docx-trackdiff   docx_trackdiff.compare.main(OLD.docx NEW.docx OUT.docx) in-process (reads
                   both files, aligns paragraphs, writes OUT.docx)
  plan + build both drafts
                   parse_spec + plan_draft + build_draft of both rounds: what `clausegen compare`
                   does before the redline (reference, not a contender)
  write both drafts as .docx
                   render_bytes of both drafts: what a user of a generic comparer pays on top,
                   to have the two files to compare (reference)
  clausegen, of which align + changes
                   the comparing part alone, without writing the redline (reference)

each timed in-process, warm (one uncounted run first), round-robin, the median of --repeat runs
(default 15). Then as whole processes (interpreter start, imports, work), the median of
--process-repeat runs (default 7) after one uncounted run: `clausegen compare R1.toml R2.toml
-o OUT.docx` (builds both drafts itself) and `docx-trackdiff R1.docx R2.docx OUT.docx` (gets
them built).

For each redline it counts, in the articles (first chapter heading up to the first annex) and
in the whole document: w:ins, w:del, w:moveFrom, w:moveTo around runs; paragraphs whose
paragraph mark is inserted, deleted or moved; the words inside insertions, deletions and moves;
and the changes a reader steps through (a run of revisions of one kind, across paragraphs while
their marks carry it too, is one change). It accepts (and rejects) every revision in lxml, as
Word would, and compares the articles' paragraphs (style, text; field results left out) with
round 2's (round 1's) own draft. It checks that revision ids are unique and each comment is
anchored once, and shows how each redline marks the changed value and the swapped articles.

Nothing is written into the repository; the temp dir is removed unless --keep is given.
"""
from __future__ import annotations

import argparse
import collections
import contextlib
import datetime as dt
import importlib.util
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from importlib import metadata
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WORD = re.compile(r"\w+")

# ---------------------------------------------------------------- the pair

HEAD = ('[cao]\nsector = "vvt"\nlanguage = "nl"\ndate = 2026-12-01\nposition = "doel"\n'
        'audience = "tafel"\nstart = 2027-01-01\nend = 2028-12-31\n')
ROUND1 = ["robotisering.ontwikkelbudget", "generaties.mentorschap", "generaties.bbl-stage",
          "werkdruk.zelfroosteren", "werkdruk.roosterinspraak", "werkdruk.invaltoeslag",
          "werkdruk.bedrijfsarts"]
ROUND2 = ["robotisering.ontwikkelbudget", "generaties.mentorschap", "generaties.bbl-stage",
          "werkdruk.roosterinspraak", "werkdruk.zelfroosteren", "werkdruk.bedrijfsarts",
          "werkdruk.vertrouwenspersoon"]
ROUND2_VALUES = {"werkdruk.roosterinspraak": {"bekendmaking_dagen": 42}}
CHANGED_TITLE = "Inspraak in en bekendmaking van het rooster"   # werkdruk.roosterinspraak
MOVED_TITLE = "Zelfroosteren"                                    # werkdruk.zelfroosteren
REVISION_DATE = "2026-12-01T12:00:00Z"


def spec_text(clauses: list[str], values: dict | None = None) -> str:
    out = [HEAD]
    for clause in clauses:
        out.append(f'\n[[clause]]\nid = "{clause}"\n')
        for name, value in (values or {}).get(clause, {}).items():
            out.append(f"[clause.values]\n{name} = {value}\n")
    return "".join(out)


# ---------------------------------------------------------------- the contenders


def builtin_library():
    """clausegen's built-in plugins only, as clausegen.testing.make_library() builds it (that
    module imports pytest, which the bench extra does not install)."""
    from clausegen.plugin_host import PluginHost
    host = PluginHost(plugins_dir=None, env={}, entry_points="builtin", extra=())
    library = host.library()
    if host.errors():
        raise SystemExit("plugin errors:\n" + "\n".join(host.errors()))
    return library


def plan_and_build(library, texts: list[str]) -> list:
    from clausegen.draft import build_draft
    from clausegen.planning import plan_draft
    from clausegen.spec import parse_spec
    return [build_draft(plan_draft(parse_spec(text, f"round{i}.toml"), library), library)
            for i, text in enumerate(texts, 1)]


def write_drafts(library, drafts: list) -> list[bytes]:
    from clausegen.writers import render_bytes
    return [render_bytes(d, "docx", library) for d in drafts]


def clausegen_redline(old, new, library, out: Path) -> int:
    from clausegen.compare import align, changes
    from clausegen.writers.redline import write_redline
    blocks = align(old, new)
    rows = changes(blocks, old, new)
    out.write_bytes(write_redline(old, new, blocks, rows, library))
    return len(rows)


def trackdiff_redline(old: Path, new: Path, out: Path, author: str) -> str:
    """docx-trackdiff's whole command in this process; returns what it printed."""
    from docx_trackdiff import compare as trackdiff
    argv, sys.argv = sys.argv, ["docx-trackdiff", str(old), str(new), str(out),
                                "--author", author, "--date", REVISION_DATE]
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            trackdiff.main()
    finally:
        sys.argv = argv
    return printed.getvalue()


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


CLI_SHIM = ("import sys; from clausegen.cli import main; sys.argv[0] = 'clausegen'; "
            "sys.exit(main())")


def child_env(work: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("CLAUSEGEN_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(CLAUSEGEN_CACHE_DIR=str(work / "cache"), XDG_CACHE_HOME=str(work / "xdg"),
               PYTHONPYCACHEPREFIX=str(work / "pycache"))
    return env


def run_process(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, env=env, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"failed ({result.returncode}): {' '.join(cmd)}\n{result.stderr}")
    return elapsed


# ---------------------------------------------------------------- reading a redline


def document_of(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("word/document.xml"))


def style_of(paragraph) -> str:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return style.get(f"{W}val") if style is not None else ""


def in_articles(body) -> set:
    """The body's paragraphs from the first chapter heading up to the first annex."""
    inside, started = set(), False
    for paragraph in body.iter(f"{W}p"):
        style = style_of(paragraph)
        if style == "Heading1":
            started = True
        if style == "CAOBijlage":
            break
        if started:
            inside.add(paragraph)
    return inside


def text_words(element) -> int:
    return sum(len(WORD.findall(t.text or "")) for t in element.iter(f"{W}t", f"{W}delText"))


KINDS = ("ins", "del", "moveFrom", "moveTo")
METRICS = [
    ("ins", "w:ins around runs"), ("del", "w:del around runs"),
    ("moveFrom", "w:moveFrom around runs"), ("moveTo", "w:moveTo around runs"),
    ("p_ins", "paragraphs with an inserted paragraph mark"),
    ("p_del", "paragraphs with a deleted paragraph mark"),
    ("p_moveFrom", "paragraphs moved away (moveFrom mark)"),
    ("p_moveTo", "paragraphs moved here (moveTo mark)"),
    ("w_ins", "words inserted"), ("w_del", "words deleted"),
    ("w_moveTo", "words moved (counted once, at moveTo)"),
    ("revisions", "revision elements in all (the above, marks included)"),
    ("spans", "changes to step through (consecutive revisions of one kind, one change)"),
    ("p_touched", "paragraphs with any revision"),
]


def spans(paragraphs_: list) -> int:
    """Changes as a reader steps through them: the body in reading order as a sequence of
    plain text and revisions (paragraph marks included); a run of one revision kind, across
    paragraphs while their marks carry it too, is one change. Revisions holding no text
    (a wrapped bookmark or comment anchor) neither start nor break one."""
    sequence: list[str] = []

    def walk(element) -> None:
        for child in element:
            if not isinstance(child.tag, str) or child.tag == f"{W}pPr":
                continue
            name = etree.QName(child).localname
            if name in KINDS:
                if text_words(child) or any((t.text or "").strip() for t in
                                            child.iter(f"{W}t", f"{W}delText")):
                    sequence.append(name)
            elif child.tag == f"{W}r":
                if any(t.text for t in child.iter(f"{W}t")):
                    sequence.append("plain")
            else:
                walk(child)
    for paragraph in paragraphs_:
        walk(paragraph)
        mark = paragraph.find(f"{W}pPr/{W}rPr")
        kinds = [k for k in KINDS if mark is not None and mark.find(f"{W}{k}") is not None]
        sequence.append(kinds[0] if kinds else "plain")
    return sum(1 for i, kind in enumerate(sequence)
               if kind != "plain" and (i == 0 or sequence[i - 1] != kind))


def count(data: bytes) -> dict[str, dict[str, int]]:
    """Revision counts in the articles and in the whole document."""
    body = document_of(data).find(f"{W}body")
    articles = in_articles(body)
    totals = {"articles": collections.Counter(), "document": collections.Counter()}
    for paragraph in body.iter(f"{W}p"):
        here = collections.Counter()
        mark = paragraph.find(f"{W}pPr/{W}rPr")
        for kind in KINDS:
            if mark is not None and mark.find(f"{W}{kind}") is not None:
                here[f"p_{kind}"] += 1
            for element in paragraph.iter(f"{W}{kind}"):
                if element.getparent().tag == f"{W}rPr":
                    continue
                here[kind] += 1
                if kind != "moveFrom":
                    here[f"w_{kind}"] += text_words(element)
        here["revisions"] = sum(here[k] + here[f"p_{k}"] for k in KINDS)
        here["p_touched"] = 1 if here["revisions"] else 0
        totals["document"].update(here)
        if paragraph in articles:
            totals["articles"].update(here)
    ordered = list(body.iter(f"{W}p"))
    totals["document"]["spans"] = spans(ordered)
    totals["articles"]["spans"] = spans([p for p in ordered if p in articles])
    return {k: {m: v[m] for m, _ in METRICS} for k, v in totals.items()}


def integrity(data: bytes) -> dict[str, int]:
    """Revision ids used twice; comments anchored more than once; anchors to no comment."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        document = etree.fromstring(package.read("word/document.xml"))
        names = package.namelist()
        comments = etree.fromstring(package.read("word/comments.xml")) \
            if "word/comments.xml" in names else None
    ids = collections.Counter(
        e.get(f"{W}id") for e in document.iter()
        if isinstance(e.tag, str) and etree.QName(e).localname in
        ("ins", "del", "moveFrom", "moveTo", "moveFromRangeStart", "moveToRangeStart"))
    anchors = collections.Counter(e.get(f"{W}id") for e in document.iter(f"{W}commentRangeStart"))
    known = {c.get(f"{W}id") for c in comments.iter(f"{W}comment")} if comments is not None \
        else set()
    return {"revision ids used twice": sum(1 for n in ids.values() if n > 1),
            "comments anchored twice": sum(1 for n in anchors.values() if n > 1),
            "anchors to a missing comment": sum(1 for a in anchors if a not in known)}


# The same accept/reject and paragraph view as tests/test_compare.py (copied, not imported).

def resolve(document: etree._Element, accept: bool) -> etree._Element:
    """The body after accepting (or rejecting) every tracked change, as Word would."""
    keep, drop = (("ins", "moveTo"), ("del", "moveFrom")) if accept else \
        (("del", "moveFrom"), ("ins", "moveTo"))
    body = document.find(f"{W}body")
    for paragraph in list(body.iter(f"{W}p")):
        mark = paragraph.find(f"{W}pPr/{W}rPr")
        if mark is not None and any(mark.find(f"{W}{k}") is not None for k in drop):
            paragraph.getparent().remove(paragraph)
    for tag in drop:
        for element in list(body.iter(f"{W}{tag}")):
            element.getparent().remove(element)
    for tag in keep:
        for element in list(body.iter(f"{W}{tag}")):
            parent = element.getparent()
            if parent.tag == f"{W}rPr":
                parent.remove(element)
                continue
            index = parent.index(element)
            for child in reversed(list(element)):
                parent.insert(index, child)
            parent.remove(element)
    for kind in ("moveFromRange", "moveToRange"):
        for end in ("Start", "End"):
            for element in list(body.iter(f"{W}{kind}{end}")):
                element.getparent().remove(element)
    for text in body.iter(f"{W}delText"):
        text.tag = f"{W}t"
    for instruction in body.iter(f"{W}delInstrText"):
        instruction.tag = f"{W}instrText"
    return body


def paragraphs(body: etree._Element) -> list[tuple[str, str]]:
    """(style, text) of the articles' paragraphs: from the first chapter heading to the first
    annex; field results (Word's own numbers) left out."""
    out, articles = [], in_articles(body)
    for paragraph in body.iter(f"{W}p"):
        if paragraph not in articles:
            continue
        style = style_of(paragraph)
        text, in_result = [], False
        for element in paragraph.iter(f"{W}t", f"{W}fldChar"):
            if element.tag == f"{W}fldChar":
                in_result = element.get(f"{W}fldCharType") == "separate"
            elif not in_result:
                text.append(element.text or "")
        out.append((style, "".join(text)))
    return out


def matches(redline: bytes, own: bytes, accept: bool) -> str:
    got = paragraphs(resolve(document_of(redline), accept))
    want = paragraphs(document_of(own).find(f"{W}body"))
    if got == want:
        return f"yes ({len(want)} paragraphs)"
    differ = sum(1 for a, b in zip(got, want) if a != b) + abs(len(got) - len(want))
    return f"NO ({differ} of {len(want)} paragraphs differ)"


# ---------------------------------------------------------------- the example


def article_view(data: bytes, title: str) -> list[dict]:
    """Each place the article titled `title` stands in the redline: its paragraphs, how many
    carry a revision mark, the words marked, and the revision elements' XML when short."""
    body = document_of(data).find(f"{W}body")
    views, current = [], None
    for paragraph in body.iter(f"{W}p"):
        style = style_of(paragraph)
        if style in ("Heading1", "Heading2", "CAOBijlage"):
            text = "".join(t.text or "" for t in paragraph.iter(f"{W}t", f"{W}delText"))
            current = None
            if style == "Heading2" and text == title:
                current = {"paragraphs": 0, "marks": collections.Counter(),
                           "words": collections.Counter(), "xml": []}
                views.append(current)
        if current is None:
            continue
        current["paragraphs"] += 1
        mark = paragraph.find(f"{W}pPr/{W}rPr")
        for kind in KINDS:
            if mark is not None and mark.find(f"{W}{kind}") is not None:
                current["marks"][kind] += 1
            for element in paragraph.iter(f"{W}{kind}"):
                if element.getparent().tag != f"{W}rPr":
                    current["words"][kind] += text_words(element)
                    if kind in ("ins", "del") and 0 < text_words(element) <= 3:
                        current["xml"].append(short_xml(element))
    return views


def short_xml(element) -> str:
    """A revision element as XML without namespace declarations, author and date."""
    copy = etree.fromstring(etree.tostring(element))
    for e in copy.iter():
        for attr in (f"{W}author", f"{W}date", f"{W}id"):
            e.attrib.pop(attr, None)
        if e.tag == f"{W}rPr":
            e.getparent().remove(e)
    text = etree.tostring(copy, encoding="unicode")
    text = re.sub(r' xmlns:\w+="[^"]*"', "", text)
    return re.sub(r' xml:space="preserve"', "", text)


def describe_view(views: list[dict]) -> str:
    if not views:
        return "not found"
    parts = []
    for view in views:
        marks = ", ".join(f"{n} {k}" for k, n in view["marks"].items()) or "no paragraph mark"
        words = ", ".join(f"{k} {n}" for k, n in view["words"].items()) or "none"
        parts.append(f"{view['paragraphs']} paragraphs ({marks}); words marked: {words}")
    return f"{len(views)} place(s): " + " | ".join(parts)


def value_view(data: bytes) -> list[str]:
    """Each paragraph of the articles that holds the old or the new value, and how it is
    marked."""
    body = document_of(data).find(f"{W}body")
    articles = in_articles(body)
    out = []
    for paragraph in body.iter(f"{W}p"):
        if paragraph not in articles:
            continue
        text = "".join(t.text or "" for t in paragraph.iter(f"{W}t", f"{W}delText"))
        if "35 dagen" not in text and "42 dagen" not in text:
            continue
        mark = paragraph.find(f"{W}pPr/{W}rPr")
        kinds = [k for k in KINDS if mark is not None and mark.find(f"{W}{k}") is not None]
        marked = collections.Counter()
        for kind in KINDS:
            for element in paragraph.iter(f"{W}{kind}"):
                if element.getparent().tag != f"{W}rPr":
                    marked[kind] += text_words(element)
        gone = bool(kinds) and kinds[0] in ("del", "moveFrom")     # the paragraph as it read
        shown = "".join(t.text or "" for t in paragraph.iter(f"{W}t", *(
            [f"{W}delText"] if gone else [])))
        out.append(f"paragraph mark {kinds[0] if kinds else 'unchanged'}, "
                   f"{len(WORD.findall(shown))} words, marked: "
                   + (", ".join(f"{k} {n}" for k, n in marked.items()) or "none"))
    return out


def toc_changes(data: bytes) -> int:
    """Table-of-contents paragraphs that carry a revision."""
    body = document_of(data).find(f"{W}body")
    return sum(1 for p in body.iter(f"{W}p") if style_of(p).startswith("TOC")
               and any(True for k in KINDS for _ in p.iter(f"{W}{k}")))


# ---------------------------------------------------------------- report


def versions() -> str:
    found = []
    for dist in ("clausegen", "docx-trackdiff", "python-docx", "lxml"):
        try:
            found.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            found.append(f"{dist} not installed")
    return ", ".join(found)


def machine() -> str:
    """As bench_docx records it, with this benchmark's libraries."""
    from bench_docx import machine as described
    return described(versions())


def fingerprint() -> str:
    """sha256 of clausegen's sources and the clause texts, and the commit they sit on, so the
    counts can be matched to a state of the content (word counts follow the clause texts)."""
    import hashlib
    digest = hashlib.sha256()
    files = sorted([*ROOT.glob("clausegen/**/*.py"), *ROOT.glob("plugins/*.py"),
                    *ROOT.glob("clauses/**/*.toml")])
    for path in files:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                              capture_output=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "clausegen", "plugins",
                                "clauses"], cwd=ROOT, text=True,
                               capture_output=True).stdout.splitlines()
    except OSError:
        head, dirty = "", []
    where = f"commit {head}" + (f" with {len(dirty)} changed file(s) under clausegen/, "
                                "plugins/, clauses/" if dirty else "") if head else "no git"
    return f"sources and clause texts sha256 {digest.hexdigest()[:12]} ({where})"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def times_table(rows: list[tuple[str, list[float]]], unit: str = "ms") -> str:
    lines = [f"| what | median {unit} | min {unit} | max {unit} | runs |",
             "|---|---:|---:|---:|---:|"]
    for name, values in rows:
        f = ms if unit == "ms" else (lambda s: f"{s:.3f}")
        lines.append(f"| {name} | {f(statistics.median(values))} | {f(min(values))} | "
                     f"{f(max(values))} | {len(values)} |")
    return "\n".join(lines)


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else ("n/a" if not a else "inf")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15,
                        help="in-process runs per contender (median; default 15)")
    parser.add_argument("--process-repeat", type=int, default=7,
                        help="whole-process runs per contender (median; default 7; 0: none)")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir and print it")
    args = parser.parse_args()
    if importlib.util.find_spec("docx_trackdiff") is None:
        raise SystemExit("docx-trackdiff is not installed: .venv/bin/pip install -e '.[bench]'")
    from clausegen.compare import align, changes

    load_start = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="bench-compare-"))
    try:
        library = builtin_library()
        texts = [spec_text(ROUND1), spec_text(ROUND2, ROUND2_VALUES)]
        old, new = plan_and_build(library, texts)
        old_docx, new_docx = write_drafts(library, [old, new])
        r1, r2 = work / "round1.docx", work / "round2.docx"
        r1.write_bytes(old_docx)
        r2.write_bytes(new_docx)
        (work / "round1.toml").write_text(texts[0], encoding="utf-8")
        (work / "round2.toml").write_text(texts[1], encoding="utf-8")
        author = ", ".join(new.plan.unions)       # clausegen's own default reviser
        out_cg, out_td = work / "redline-clausegen.docx", work / "redline-trackdiff.docx"

        # ---- in-process timing, warm: one uncounted run each, then round-robin
        rows = clausegen_redline(old, new, library, out_cg)
        printed = trackdiff_redline(r1, r2, out_td, author)
        plan_and_build(library, texts)
        write_drafts(library, [old, new])
        first_cg, first_td = out_cg.read_bytes(), out_td.read_bytes()
        runs = {"clausegen": [], "docx-trackdiff": [], "plan + build both drafts": [],
                "write both drafts as .docx": [], "clausegen, of which align + changes": []}
        for _ in range(args.repeat):
            runs["clausegen"].append(timed(lambda: clausegen_redline(old, new, library, out_cg)))
            runs["clausegen, of which align + changes"].append(timed(lambda: changes(
                align(old, new), old, new)))
            runs["docx-trackdiff"].append(timed(lambda: trackdiff_redline(r1, r2, out_td,
                                                                          author)))
            runs["plan + build both drafts"].append(timed(lambda: plan_and_build(library,
                                                                                 texts)))
            runs["write both drafts as .docx"].append(timed(lambda: write_drafts(library,
                                                                                 [old, new])))
        same_bytes = {"clausegen": out_cg.read_bytes() == first_cg,
                      "docx-trackdiff": out_td.read_bytes() == first_td}

        # ---- whole processes
        process_runs: dict[str, list[float]] = {}
        if args.process_repeat > 0:
            env = child_env(work)
            commands = {
                "clausegen compare R1.toml R2.toml -o OUT.docx":
                    [sys.executable, "-c", CLI_SHIM, "compare", str(work / "round1.toml"),
                     str(work / "round2.toml"), "-o", str(work / "p-cg.docx"), "--force"],
                "docx-trackdiff R1.docx R2.docx OUT.docx":
                    [sys.executable, "-c", "import sys; from docx_trackdiff.compare import main; "
                     "sys.argv[0] = 'docx-trackdiff'; main()", str(r1), str(r2),
                     str(work / "p-td.docx"), "--author", author, "--date", REVISION_DATE],
            }
            process_runs = {name: [] for name in commands}
            for name, cmd in commands.items():
                run_process(cmd, env)                   # uncounted: caches, bytecode
            for _ in range(args.process_repeat):
                for name, cmd in commands.items():
                    process_runs[name].append(run_process(cmd, env))
        load_end = os.getloadavg()[0]

        # ---- what each redline says
        redlines = {"clausegen": first_cg, "docx-trackdiff": first_td}
        counts = {name: count(data) for name, data in redlines.items()}
        checks = {name: integrity(data) for name, data in redlines.items()}
        stats = next((line for line in printed.splitlines() if line.startswith("stats:")), "")

        med = {k: statistics.median(v) for k, v in runs.items()}
        print(f"- Run: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}, `benchmarks/bench_compare.py"
              f" --repeat {args.repeat} --process-repeat {args.process_repeat}`")
        print(f"- Machine: {machine()}")
        print(f"- Code: {fingerprint()}")
        print(f"- Load average (1 min) at start / end of the run: {load_start:.2f} / "
              f"{load_end:.2f} on {os.cpu_count()} CPUs")
        print(f"- Pair: sector vvt, round 1 = {len(ROUND1)} clauses; round 2: "
              "werkdruk.roosterinspraak.bekendmaking_dagen = 42, werkdruk.invaltoeslag removed, "
              "werkdruk.vertrouwenspersoon added, werkdruk.zelfroosteren and "
              "werkdruk.roosterinspraak swapped; same date, start and end")
        print()
        print("Revisions in each redline (articles = first chapter heading up to the first "
              "annex; document = the whole body):")
        print()
        print("| count | clausegen: articles | clausegen: document | docx-trackdiff: articles "
              "| docx-trackdiff: document |")
        print("|---|---:|---:|---:|---:|")
        for key, label in METRICS:
            print(f"| {label} | {counts['clausegen']['articles'][key]} | "
                  f"{counts['clausegen']['document'][key]} | "
                  f"{counts['docx-trackdiff']['articles'][key]} | "
                  f"{counts['docx-trackdiff']['document'][key]} |")
        print()
        print(f"- clausegen's own change list: {rows} rows (the summary annex; not tracked)")
        print(f"- docx-trackdiff's own count: {stats.removeprefix('stats: ')}")
        print(f"- table-of-contents paragraphs with a revision: clausegen "
              f"{toc_changes(first_cg)}, docx-trackdiff {toc_changes(first_td)}")
        print()
        print("| check | clausegen | docx-trackdiff |")
        print("|---|---|---|")
        print(f"| accept all = round 2's own draft (articles) | {matches(first_cg, new_docx, True)}"
              f" | {matches(first_td, new_docx, True)} |")
        print(f"| reject all = round 1's own draft (articles) | "
              f"{matches(first_cg, old_docx, False)} | {matches(first_td, old_docx, False)} |")
        for key in checks["clausegen"]:
            print(f"| {key} | {checks['clausegen'][key]} | {checks['docx-trackdiff'][key]} |")
        print(f"| same bytes on every run | {'yes' if same_bytes['clausegen'] else 'no'} | "
              f"{'yes' if same_bytes['docx-trackdiff'] else 'no'} |")
        print()
        print("In-process, warm (milliseconds; clausegen from the two built drafts, "
              "docx-trackdiff from the two .docx files; both write the redline to disk):")
        print()
        print(times_table(list(runs.items())))
        if process_runs:
            print()
            print("Whole process (seconds; clausegen builds both drafts from the specs itself, "
                  "docx-trackdiff gets them built):")
            print()
            print(times_table(list(process_runs.items()), unit="s"))
        print()
        td, cg = counts["docx-trackdiff"], counts["clausegen"]
        words = ("w_ins", "w_del")
        lines = [
            ("changes to step through, articles", td["articles"]["spans"],
             cg["articles"]["spans"]),
            ("changes to step through, whole document", td["document"]["spans"],
             cg["document"]["spans"]),
            ("revision elements, articles", td["articles"]["revisions"],
             cg["articles"]["revisions"]),
            ("revision elements, whole document", td["document"]["revisions"],
             cg["document"]["revisions"]),
            ("words inserted + deleted, articles", sum(td["articles"][k] for k in words),
             sum(cg["articles"][k] for k in words)),
            ("paragraphs with a revision, articles", td["articles"]["p_touched"],
             cg["articles"]["p_touched"]),
            ("time in-process (medians)", med["docx-trackdiff"], med["clausegen"]),
            ("time in-process from the two specs (sums of medians: plan + build both, "
             "write both .docx, docx-trackdiff / plan + build both, clausegen)",
             med["plan + build both drafts"] + med["write both drafts as .docx"]
             + med["docx-trackdiff"], med["plan + build both drafts"] + med["clausegen"]),
        ]
        if process_runs:
            cg_process, td_process = (statistics.median(v) for v in process_runs.values())
            lines.append(("time whole process (medians)", td_process, cg_process))
        print("Ratios, docx-trackdiff / clausegen:")
        print()
        print("| ratio | value |")
        print("|---|---:|")
        for label, a, b in lines:
            print(f"| {label} | {ratio(a, b)} |")
        print()
        print("The changed value and the swapped articles, as each redline marks them:")
        print()
        for name, data in redlines.items():
            for view in value_view(data):
                print(f"- the lid with the value, {name}: {view}")
        for title, what in ((CHANGED_TITLE, "article with the changed value "
                             "(werkdruk.roosterinspraak, up one place by the swap)"),
                            (MOVED_TITLE, "swapped article (werkdruk.zelfroosteren)")):
            for name, data in redlines.items():
                views = article_view(data, title)
                print(f"- {what}, {name}: {describe_view(views)}")
                for view in views:
                    for xml in view["xml"]:
                        print(f"    {xml}")
        if args.keep:
            print(f"\nkept: {work}", file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
