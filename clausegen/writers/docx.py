"""The Word writer: a Draft becomes a .docx with real numbering, fields, bookmarks and comments.

Paragraphs are built as OXML elements with cached style ids and inserted at one point, so the
cost stays linear in the number of clauses (python-docx's add_paragraph looks styles up by name
and scans the body on every call). Raw XML work lives here and in docx_oxml.py, nowhere else.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

from ..errors import PluginError
from ..model import Draft, Placeholder, Ref, Span
from ..params import format_date
from . import docx_oxml as ox

WORDS = {
    "nl": {"concept": "CONCEPT", "page": "Pagina", "of": "van", "between": "tussen",
           "and": "en", "employers": "werkgeversorganisatie(s)", "unions": "werknemersorganisaties",
           "parties": "hierna te noemen: cao-partijen", "term": "Looptijd", "until": "tot en met",
           "version": "versie", "toelichting": "Toelichting", "fill": "Vul in"},
    "en": {"concept": "DRAFT", "page": "Page", "of": "of", "between": "between",
           "and": "and", "employers": "employers' organisation(s)", "unions": "trade unions",
           "parties": "hereinafter: the parties to the agreement", "term": "Term",
           "until": "up to and including", "version": "version", "toelichting": "Explanatory note",
           "fill": "Fill in"},
}


def bookmark_name(key: str) -> str:
    """A stable, hidden bookmark name for an article (Word: <= 40 chars, leading _ hides it)."""
    return "_Ref" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


class _Builder:
    def __init__(self, document, draft: Draft):
        self.document = document
        self.draft = draft
        self.words = WORDS[draft.language]
        self.body = document.element.body
        self.anchor = self.body.sectPr      # insert everything before the final sectPr
        self.bookmark_id = 0
        self.comments: list[tuple[list, str]] = []

    def add(self, paragraph):
        self.anchor.addprevious(paragraph)
        return paragraph

    def inline_runs(self, inlines) -> list:
        runs = []
        for item in inlines:
            if isinstance(item, Span):
                runs.append(ox.run(item.text, bold=item.bold, italic=item.italic))
            elif isinstance(item, Ref):
                runs += ox.field(f"REF {bookmark_name(item.target)} \\n \\h \\* Lower",
                                 f"{item.word} {item.label}")
            elif isinstance(item, Placeholder):
                runs.append(ox.run("[...]", highlight="yellow"))
                self.comments.append(([runs[-1]], f"{self.words['fill']}: {item.hint}"))
        return runs

    def article(self, article, chapter_numbered: bool):
        heading = ox.paragraph("Heading2", [ox.run(article.title)])
        self.bookmark_id += 1
        ox.wrap_bookmark(heading, self.bookmark_id, bookmark_name(article.key))
        self.add(heading)
        if article.toelichting:
            title_runs = [r for r in heading if r.tag == ox.qn("w:r")]
            self.comments.append((title_runs, f"{self.words['toelichting']}\n"
                                  + article.toelichting))
        numbered = len(article.leden) > 1
        for lid in article.leden:
            self.add(ox.paragraph("CAOLid" if numbered else "CAOTekst",
                                  self.inline_runs(lid.inlines)))
            for sub in lid.subs:
                self.add(ox.paragraph("CAOSub", self.inline_runs(sub.inlines)))

    def build(self):
        draft, words = self.draft, self.words
        plan = draft.plan
        self.add(ox.paragraph("Title", [ox.run(draft.title)]))
        self.add(ox.paragraph("Subtitle", [ox.run(f"{words['concept']} – {draft.subtitle}")]))
        looptijd = (f"{words['term']}: {format_date(plan.start, draft.language)} "
                    f"{words['until']} {format_date(plan.end, draft.language)}")
        self.add(ox.paragraph("CAOTekst", [ox.run(looptijd)]))
        self.add(ox.paragraph("CAOTekst", [ox.run(f"{words['between']}:")]))
        for name in plan.employers:
            self.add(ox.paragraph("CAOPartij", [ox.run(name, bold=True)]))
        self.add(ox.paragraph("CAOTekst", [ox.run(f"{words['and']}:")]))
        for name in plan.unions:
            self.add(ox.paragraph("CAOPartij", [ox.run(name, bold=True)]))
        self.add(ox.paragraph("CAOTekst", [ox.run(f"{words['parties']}.")]))
        for chapter in draft.chapters:
            heading = ox.paragraph("Heading1", [ox.run(chapter.title)])
            self.add(heading)
            for article in chapter.articles:
                self.article(article, True)


def write_docx(draft: Draft, library=None) -> bytes:
    """The draft as the bytes of a .docx; same draft and date give the same bytes."""
    import docx
    from docx.text.run import Run

    document = docx.Document()
    ox.setup_styles(document)
    ox.setup_numbering(document, per_chapter=draft.plan.sector.article_numbering == "per_chapter",
                       language=draft.language)
    builder = _Builder(document, draft)
    builder.build()
    stamp = dt.datetime.combine(draft.plan.date, dt.time(12, 0), tzinfo=dt.timezone.utc)
    for runs, text in builder.comments:
        comment = document.add_comment([Run(r, None) for r in runs], text=text,
                                       author="clausegen", initials="CG")
        comment._comment_elm.set(ox.qn("w:date"), stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))
    words = WORDS[draft.language]
    ox.header_footer(document, f"{words['concept']} – {draft.title} – "
                     f"{words['version']} {draft.version}", words["page"], words["of"])
    core = document.core_properties
    core.title = draft.title
    core.subject = draft.plan.sector.name.get(draft.language, draft.plan.sector.id)
    core.author = "clausegen"
    core.last_modified_by = "clausegen"
    core.keywords = "cao; concept; " + draft.plan.sector.id
    core.version = draft.version
    core.revision = 1
    core.created = core.modified = stamp.replace(tzinfo=None)
    core.comments = draft.generator
    for provenance, function in (library.docx_finalizers if library else []):
        try:
            function(document=document, draft=draft)
        except Exception as exc:
            raise PluginError(f"plugin {provenance.label}: finalize_docx raised "
                              f"{type(exc).__name__}: {exc}") from None
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue())


def normalize_zip(data: bytes) -> bytes:
    """Rewrite a .docx zip with fixed timestamps and attributes, so equal content = equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
