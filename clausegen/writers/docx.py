"""The Word writer: a Draft becomes a .docx with real numbering, fields, bookmarks and comments.

The body is written as WordprocessingML text (wml.py) and put into the document in one piece,
so the cost stays linear in the number of clauses (python-docx's add_paragraph looks styles up
by name and scans the body on every call). Document-level OXML (styles, numbering, header,
footer, properties) is in docx_oxml.py; raw XML lives in those two modules, nowhere else.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
from functools import lru_cache

from .. import __version__
from ..errors import PluginError
from ..annex import review_rows
from ..model import PROBLEM_LEVELS, Draft, Placeholder, Ref, Span
from ..params import format_date
from ..vocabulary import DRAFT_WORDS, LEVEL_WORDS
from . import wml
from .manifest import library_hash, spec_hash
from .package import W3CDTF, Dressing, normalize_zip, write_package



@lru_cache(maxsize=4096)
def bookmark_name(key: str) -> str:
    """A stable, hidden bookmark name for an article (Word: <= 40 chars, leading _ hides it).
    Memoised: the contents and the heading (and each cross-reference) name the same one."""
    return "_Ref" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def ref_instruction(key: str) -> str:
    """The REF field of a cross-reference to an article: its number, lowercase "artikel"."""
    return f"REF {bookmark_name(key)} \\n \\h \\* Lower"


def chapter_bookmark(number: int) -> str:
    """The bookmark on a chapter heading (the table of contents links to it)."""
    return bookmark_name(f"chapter {number}")


# The chapter whose one article closes the cao with the signatures: set as a signature block.
SIGNATURE_THEME = "slot"


class _Builder:
    """Writes the body of the draft as WordprocessingML text, with its comments."""

    def __init__(self, draft: Draft, toelichting: str, author: str, date: str,
                 floors: dict | None = None):
        self.draft = draft
        self.floors = floors or {}
        self.toelichting = toelichting
        self.author = author
        self.initials = "".join(w[0] for w in author.split()[:3]).upper() or "CG"
        self.date = date
        self.words = DRAFT_WORDS[draft.language]
        self.body: list[str] = []
        self.comments: list[str] = []
        self.bookmark_id = 0
        self.chapter_word, self.article_word = LEVEL_WORDS[draft.language]
        self.version_date = format_date(draft.plan.date, draft.language)
        self.pages: dict[str, int] = {}     # bookmark -> page, when a layout gave them

    def add(self, markup: str) -> None:
        self.body.append(markup)

    def commented(self, runs: str, text: str) -> str:
        """Runs with a comment anchored on them."""
        cid = len(self.comments)
        self.comments.append(wml.comment(cid, self.author, self.initials, self.date, text))
        return wml.comment_start(cid) + runs + wml.comment_end(cid)

    def inline_runs(self, inlines) -> str:
        out = []
        for item in inlines:
            if isinstance(item, Span):
                out.append(wml.run(item.text, bold=item.bold, italic=item.italic))
            elif isinstance(item, Ref):
                out.append(wml.cross_reference(bookmark_name(item.target),
                                               f"{item.word} {item.label}",
                                               f"{self.article_word} {item.label}"))
            elif isinstance(item, Placeholder):
                out.append(self.commented(wml.run("[...]", highlight="yellow"),
                                          f"{self.words['fill']}: {item.hint}"))
        return "".join(out)

    def title_page(self):
        """Centred, as a law firm sets it: the marking, the title, the full title and term,
        then the parties' formula (the undersigned, of the one part and of the other part)."""
        draft, words, plan = self.draft, self.words, self.draft.plan
        language = draft.language
        cover = "CAOTitelpagina"
        if draft.internal:
            self.add(wml.paragraph("CAOMarkering", wml.run(words["confidential"])))
        self.add(wml.paragraph("CAOMarkering", wml.run(words["concept"])))
        self.add(wml.paragraph("Title", wml.run(draft.title)))
        sector = plan.sector.name.get(language) or plan.sector.name.get("nl", plan.sector.id)
        self.add(wml.paragraph("Subtitle", wml.run(words["full_title"].format(sector=sector))))
        self.add(wml.paragraph(cover, wml.run(f"{format_date(plan.start, language)} "
                                              f"{words['until']} "
                                              f"{format_date(plan.end, language)}")))
        self.add(wml.paragraph("CAOPartijen", wml.run(words["undersigned"])))
        for names, side in ((plan.employers, "one_side"), (plan.unions, "other_side")):
            if side == "other_side":
                self.add(wml.paragraph(cover, wml.run(words["and"])))
            for name in names:
                self.add(wml.paragraph(cover, wml.run(name, bold=True)))
            self.add(wml.paragraph(cover, wml.run(words[side][len(names) > 1], italic=True)))
        self.add(wml.paragraph(cover, wml.run(f"{words['parties']},")))
        self.add(wml.paragraph(cover, wml.run(words["entered"])))
        self.add(wml.paragraph("CAOConceptdatum", wml.run(words["draft_of"].format(
            date=self.version_date))))
        if draft.internal:
            self.add(wml.paragraph(cover, wml.run(words["confidential_note"], italic=True)))
        self.add(wml.page_break())

    def contents(self):
        """The table of contents, right before any field update: every chapter and article,
        with its page when the pages are known (from a LibreOffice layout of this draft)."""
        self.add(wml.paragraph("TOCHeading", wml.run(self.words["contents"])))
        entries = []
        for chapter in self.draft.chapters:
            mark = chapter_bookmark(chapter.number)
            entries.append(("TOC1", f"{self.chapter_word} {chapter.number} {chapter.title}",
                            mark, self.pages.get(mark)))
            for article in chapter.articles:
                mark = bookmark_name(article.key)
                entries.append(("TOC2", f"{self.article_word} {article.number} {article.title}",
                                mark, self.pages.get(mark)))
        self.body += wml.toc(entries)
        self.add(wml.page_break())

    def note(self, article) -> str:
        """The comment on an article: its explanation, and in the intern version its arguments."""
        parts = []
        if article.explanation:
            parts.append(f"{self.words['toelichting']}\n{article.explanation}")
        if article.arguments:
            parts.append(f"{self.words['arguments']}\n{article.arguments}")
        return "\n\n".join(parts)

    def findings_note(self, article) -> str:
        """The intern version marks each check finding at its own article too."""
        if not self.draft.internal or article.clause is None:
            return ""
        found = [f for f in self.draft.plan.findings
                 if f.clause == article.key and f.level in PROBLEM_LEVELS]
        return "\n".join([self.words["findings"]] + [
            f"{self.words['levels'][f.level]}: {f.message}" + (f" [{f.law}]" if f.law else "")
            for f in found]) if found else ""

    def heading_markup(self, article, runs: str | None = None, mark: str = "") -> str:
        """The article's heading paragraph: bookmarked, with its explanation as a comment;
        `runs` and `mark` let the redline write a title with tracked changes."""
        title = wml.run(article.title) if runs is None else runs
        note = self.note(article) if self.toelichting == "comments" else ""
        note = "\n\n".join(part for part in (note, self.findings_note(article)) if part)
        if note:
            title = self.commented(title, note)
        self.bookmark_id += 1
        return wml.paragraph("Heading2", title, mark=mark,
                             bookmark=(self.bookmark_id, bookmark_name(article.key)))

    def article_heading(self, article):
        self.add(self.heading_markup(article))

    def article(self, article):
        self.article_heading(article)
        numbered = len(article.leden) > 1
        for lid in article.leden:
            self.add(wml.paragraph("CAOLid" if numbered else "CAOTekst",
                                   self.inline_runs(lid.inlines)))
            for sub in lid.subs:
                self.add(wml.paragraph("CAOSub", self.inline_runs(sub.inlines)))

    def signature(self, article):
        """The closing article as a signature block, not as numbered leden: its first lid
        ("Aldus overeengekomen ...") as text, then per side its heading ("Namens ...:") and
        each organisation under a line to sign on, the sides next to each other.

        The paragraphs keep the styles and texts of the article's leden and sub-items (only
        their numbers are taken away), so the redline, which writes the article's paragraphs
        as they are, compares with this draft paragraph by paragraph.
        """
        self.article_heading(article)
        cells = []
        for lid in article.leden:
            markup = wml.paragraph("CAOLid", self.inline_runs(lid.inlines),
                                   properties=wml.unnumbered(keep_next=True))
            for index, sub in enumerate(lid.subs):
                # A right indent differing by a twip per name: paragraphs with equal borders
                # and indents would be drawn as one box, with a line over the first name only.
                markup += wml.paragraph("CAOSub", self.inline_runs(sub.inlines),
                                        properties=wml.unnumbered(
                                            line_above=True, before=720, right=851 + index))
            if lid.subs:
                cells.append(markup)
            else:
                self.add(markup)
        half = wml.TEXT_WIDTH // 2
        rows = [cells[i:i + 2] + [""] * (2 - len(cells[i:i + 2])) for i in range(0, len(cells), 2)]
        if rows:
            self.add(wml.layout_table(rows, [half, wml.TEXT_WIDTH - half]))

    def toelichting_chapter(self):
        articles = [a for c in self.draft.chapters for a in c.articles
                    if a.explanation or a.arguments]
        if not articles:
            return
        self.add(wml.paragraph("CAOBijlage", wml.run(self.words["toelichting_chapter"])))
        for article in articles:
            number = f"{self.article_word} {article.number}"
            self.add(wml.paragraph("CAOTekst", wml.cross_reference(bookmark_name(article.key),
                                                                   number, number)
                                   + wml.run(f" {article.title}", bold=True)))
            for paragraph in article.explanation.split("\n\n") if article.explanation else ():
                self.add(wml.paragraph("CAOTekst", wml.run(" ".join(paragraph.split()))))
            if article.arguments:
                self.add(wml.paragraph("CAOTekst", wml.run(self.words["arguments"], italic=True)))
                for paragraph in article.arguments.split("\n\n"):
                    self.add(wml.paragraph("CAOTekst", wml.run(" ".join(paragraph.split()))))

    def review_annex(self):
        words, plan = self.words, self.draft.plan
        self.add(wml.paragraph("CAOBijlage", wml.run(words["annex"])))
        self.add(wml.paragraph("CAOTekst", wml.run(words["annex_intro"])))
        # Three columns, so that no word (a clause id, "waarschuwing") breaks inside itself:
        # the clause cell holds its id, version, plugin and position on lines of their own.
        rows = [words["annex_head"]]
        for number, clause, version, plugin, position, values in review_rows(plan)[1:]:
            rows.append([number, f"{clause}\n{words['version']} {version}"
                         + (f"\n{plugin}" if plugin else "")
                         + f"\n{words['position']}: {position}", values])
        self.add(wml.table(rows, [950, 3700, wml.TEXT_WIDTH - 950 - 3700]))
        self.add(wml.paragraph("Heading3", wml.run(words["findings"])))
        findings = [f for f in plan.findings if f.level in PROBLEM_LEVELS]
        if not findings:
            self.add(wml.paragraph("CAOTekst", wml.run(words["no_findings"])))
            return
        rows = [words["findings_head"]] + [[f.clause, f"{words['levels'][f.level]}: {f.message}",
                                            f.law] for f in findings]
        self.add(wml.table(rows, [2900, wml.TEXT_WIDTH - 2900 - 2000, 2000]))

    def mandate_annex(self):
        from ..mandate import mandate_rows, row_cells
        words, language = self.words, self.draft.language
        rows = mandate_rows(self.draft.plan, self.floors)
        self.add(wml.paragraph("CAOBijlage", wml.run(words["mandate"])))
        head = row_cells(None, language, compact=True)
        # The three positions share one cell, a line each: seven columns on a portrait page
        # left words such as "Openingsbod" broken in two.
        positions = " / ".join(head[2:5])

        def folded(cells):
            ladder = "\n".join(f"{word.lower()}: {value}" for word, value in zip(head[2:5],
                                                                                  cells[2:5]))
            return [cells[0], cells[1], ladder, cells[5], cells[6]]
        table = [[head[0], head[1], positions, head[5], head[6]]]
        table += [folded(row_cells(r, language, compact=True)) for r in rows]
        self.add(wml.table(table, [3300, 1100, 2000, 1300, wml.TEXT_WIDTH - 7700]))

    def chapter_markup(self, number: int, runs: str, mark: str = "") -> str:
        """A chapter heading, bookmarked for the contents' page numbers."""
        self.bookmark_id += 1
        return wml.paragraph("Heading1", runs, mark=mark,
                             bookmark=(self.bookmark_id, chapter_bookmark(number)))

    def body_article(self, article):
        """An article as the draft sets it: the closing one as a signature block."""
        if article.clause is not None and article.clause.clause.theme == SIGNATURE_THEME:
            self.signature(article)
        else:
            self.article(article)

    def chapters(self):
        """The body: each chapter heading and its articles."""
        for chapter in self.draft.chapters:
            self.add(self.chapter_markup(chapter.number, wml.run(chapter.title)))
            for article in chapter.articles:
                self.body_article(article)

    def annexes_before(self):
        """Annexes that come right after the articles (none in a plain draft)."""

    def build(self):
        self.title_page()
        self.contents()
        self.chapters()
        self.annexes_before()
        if self.toelichting == "chapter":
            self.toelichting_chapter()
        if self.draft.internal:   # the table gets no position, provenance or finding
            self.review_annex()
            self.mandate_annex()


def write_docx(draft: Draft, library=None, *, toelichting: str = "comments",
               author: str = "clausegen", builder=None, pages: dict[str, int] | None = None
               ) -> bytes:
    """The draft as the bytes of a .docx; the same draft and date give the same bytes.

    `builder` makes the body instead of the plain one: called as the _Builder class is (the
    redline passes a subclass that writes tracked changes). `pages` (bookmark -> page, from a
    layout of this same draft: writers/pdf.py) puts page numbers in the table of contents.
    The package is written from prebuilt parts (package.py) unless a plugin's finalize_docx
    edits the document, which it does through python-docx.
    """
    stamp = dt.datetime.combine(draft.plan.date, dt.time(12, 0), tzinfo=dt.timezone.utc)
    builder = (builder or _Builder)(draft, toelichting, author,
                                    stamp.strftime(W3CDTF),
                                    library.floors() if library else {})
    builder.pages = dict(pages or {})
    builder.build()
    body, comments = "".join(builder.body), "".join(builder.comments)
    builder.body = builder.comments = []
    dressing = _dressing(draft, author, stamp.replace(tzinfo=None))
    finalizers = library.docx_finalizers if library else []
    if not finalizers:
        return write_package(dressing, body, comments)
    return _finalized(draft, dressing, body, comments, finalizers)


def _dressing(draft: Draft, author: str, stamp: dt.datetime) -> Dressing:
    """The draft's header line and properties; the date as the body writes it."""
    words = DRAFT_WORDS[draft.language]
    marking = f"{words['confidential']} – " if draft.internal else ""
    properties = {"clausegen.spec_sha256": spec_hash(draft.plan, public=not draft.internal),
                  "clausegen.library_sha256": library_hash(draft.plan)}
    if draft.internal:
        properties.update({"clausegen.version": __version__,
                           "clausegen.sector": draft.plan.sector.id,
                           "clausegen.position": draft.plan.spec.position,
                           "clausegen.audience": draft.audience,
                           "clausegen.classification": words["confidential"]})
    return Dressing(
        language=draft.language,
        per_chapter=draft.plan.sector.article_numbering == "per_chapter",
        header=f"{marking}{words['concept']} – {draft.title} – "
               f"{words['version']} {format_date(draft.plan.date, draft.language)}",
        core={"title": draft.title,
              "subject": draft.plan.sector.name.get(draft.language, draft.plan.sector.id),
              "author": author, "last_modified_by": author,
              "keywords": f"cao; {words['concept'].lower()}; {draft.plan.sector.id}",
              "category": f"{words['concept']} – {words['confidential']}" if draft.internal
              else words["concept"],
              "version": draft.version, "created": stamp, "modified": stamp,
              "comments": draft.generator},
        custom=properties)


def _finalized(draft: Draft, dressing: Dressing, body: str, comments: str, finalizers) -> bytes:
    """The package through python-docx, so that plugins' finalize_docx can edit the document:
    the reference document dressed as the prebuilt parts are, the body and comments as
    elements."""
    from . import docx_oxml as ox
    from .reference import open_reference
    document = open_reference()
    ox.dress(document, dressing, comments=bool(comments))
    old_body = document.element.body
    section = wml.serialize(old_body.sectPr)
    document.element.replace(old_body, wml.parse([body], tail=section))
    if comments:
        ox.comments_element(document).extend(list(wml.parse([comments], root="w:comments")))
    for provenance, function in finalizers:
        try:
            function(document=document, draft=draft)
        except Exception as exc:
            raise PluginError(f"plugin {provenance.label}: finalize_docx raised "
                              f"{type(exc).__name__}: {exc}") from None
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue())
