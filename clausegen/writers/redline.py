"""The redline: NEW's Word draft with what changed since OLD as native tracked changes.

Built by the Word writer itself (a builder that writes the body from compare.align's blocks),
so title page, numbering, cross-references, comments and annexes are NEW's. Changed words are
w:ins / w:del runs, whole inserted or deleted paragraphs also mark their paragraph mark, and an
article that moved unchanged is a w:moveFrom / w:moveTo pair. A summary of the changes is the
first annex, after the articles: the body then has the same pages as NEW's own draft.
"""
from __future__ import annotations

import functools
import json

from ..compare import Block, Change, ParaChange, Token, change_data, describe
from ..model import Draft
from ..vocabulary import CHANGE_WORDS
from . import wml
from .docx import _Builder, bookmark_name, ref_instruction, write_docx

FIRST_REVISION_ID = 10_000    # apart from bookmark and comment ids, which count from 0


def _pieces(tokens: list[Token]):
    """(text, bold, italic, None) for each run of plain tokens of one emphasis, and
    ("", False, False, token) for each cross-reference or placeholder, in order."""
    text, style = [], (False, False)
    for token in tokens:
        if token.ref or token.placeholder:
            if text:
                yield "".join(text), *style, None
                text = []
            yield "", False, False, token
            continue
        if text and style != (token.bold, token.italic):
            yield "".join(text), *style, None
            text = []
        style = (token.bold, token.italic)
        text.append(token.text)
    if text:
        yield "".join(text), *style, None


class RedlineBuilder(_Builder):
    """The Word builder with a body made of compared blocks."""

    def __init__(self, *args, blocks: list[Block], rows: list[Change], old_date: str,
                 reviser: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.blocks, self.rows, self.old_date, self.reviser = blocks, rows, old_date, reviser
        self.revision_id = FIRST_REVISION_ID

    def next_id(self) -> int:
        self.revision_id += 1
        return self.revision_id

    def tracked(self, kind: str, content: str | None = None) -> str:
        return wml.revision(kind, self.next_id(), self.reviser, self.date, content)

    # -------------------------------------------------------------- runs

    def token_runs(self, tokens: list[Token]) -> str:
        """Runs for tokens as the draft writes them: text, fields, placeholders."""
        out = []
        for text, bold, italic, token in _pieces(tokens):
            if token is None:
                out.append(wml.run(text, bold=bold, italic=italic))
            elif token.ref:
                out.append(wml.cross_reference(bookmark_name(token.ref), token.text,
                                               token.text[:1].upper() + token.text[1:]))
            else:
                out.append(self.commented(wml.run("[...]", highlight="yellow"),
                                          f"{self.words['fill']}: {token.placeholder}"))
        return "".join(out)

    def deleted_runs(self, tokens: list[Token]) -> str:
        """Runs for deleted tokens: w:delText, and a deleted cross-reference as a deleted
        field, so rejecting the change brings the field back."""
        out = []
        for text, bold, italic, token in _pieces(tokens):
            if token is not None and token.ref:
                out.append(wml.deleted_field(ref_instruction(token.ref), token.text))
            else:
                out.append(wml.deleted_run(text if token is None else token.text, bold=bold,
                                           italic=italic))
        return "".join(out)

    # -------------------------------------------------------------- paragraphs

    def para_runs(self, change: ParaChange, role: str) -> tuple[str, str]:
        """(runs, paragraph-mark revision) of one paragraph of a block."""
        if role in ("move-from", "move-to"):
            kind = "moveFrom" if role == "move-from" else "moveTo"
            runs = self.token_runs(change.new.tokens)
            return self.tracked(kind, runs), self.tracked(kind)
        if change.op == "equal":
            return self.token_runs(change.new.tokens), ""
        if change.op == "insert":
            return self.tracked("ins", self.token_runs(change.new.tokens)), self.tracked("ins")
        if change.op == "delete":
            return self.tracked("del", self.deleted_runs(change.old.tokens)), self.tracked("del")
        runs = []
        for op, tokens in change.pieces:
            if op == "equal":
                runs.append(self.token_runs(tokens))
            elif op == "insert":
                runs.append(self.tracked("ins", self.token_runs(tokens)))
            else:
                runs.append(self.tracked("del", self.deleted_runs(tokens)))
        return "".join(runs), ""

    def block(self, block: Block) -> None:
        if block.role == "same":           # unchanged: exactly as NEW's own draft sets it
            if block.new.article is None:
                self.add(self.chapter_markup(int(block.new.number), wml.run(block.new.title)))
            else:
                self.body_article(block.new.article)
            return
        item = block.new if block.role not in ("delete", "move-from") else block.old
        live = block.role not in ("delete", "move-from")   # NEW's item: bookmark, comment
        move = self.next_id() if block.move else 0
        kind = "moveFrom" if block.role == "move-from" else "moveTo"
        titled = False
        last = len(block.paras) - 1
        for index, change in enumerate(block.paras):
            para = change.new or change.old
            runs, mark = self.para_runs(change, block.role)
            if move and index == 0:
                runs = wml.move_range(kind, move, block.move, self.reviser, self.date, False) + runs
            if move and index == last:
                runs += wml.move_range(kind, move, block.move, self.reviser, self.date, True)
            if live and not titled and change.op != "delete" and para.style in ("Heading1",
                                                                                "Heading2"):
                titled = True
                self.add(self.chapter_markup(int(item.number), runs, mark)
                         if item.article is None else self.heading_markup(item.article, runs,
                                                                          mark))
                continue
            self.add(wml.paragraph(para.style, runs, mark=mark))

    def chapters(self):
        for block in self.blocks:
            self.block(block)

    def annexes_before(self):
        words = CHANGE_WORDS[self.draft.language]
        self.add(wml.paragraph("CAOBijlage", wml.run(words["annex"])))
        self.add(wml.paragraph("CAOTekst", wml.run(words["intro"].format(date=self.old_date))))
        if not self.rows:
            self.add(wml.paragraph("CAOTekst", wml.run(words["none"])))
            return
        table = [words["head"]] + [list(describe(row, self.draft.language)) for row in self.rows]
        self.add(wml.table(table, [2600, 6400]))


def write_redline(old: Draft, new: Draft, blocks: list[Block], rows: list[Change], library=None,
                  *, toelichting: str = "comments", author: str = "clausegen",
                  reviser: str = "") -> bytes:
    """NEW's draft as a .docx with the changes since OLD as tracked changes by `reviser`."""
    from ..params import format_date
    builder = functools.partial(RedlineBuilder, blocks=blocks, rows=rows,
                                old_date=format_date(old.plan.date, new.language),
                                reviser=reviser or ", ".join(new.plan.unions) or author)
    return write_docx(new, library, toelichting=toelichting, author=author, builder=builder)


def change_list(old: Draft, new: Draft, rows: list[Change], fmt: str) -> bytes:
    """The changes as a plain list: json (one object per change) or markdown."""
    language = new.language
    if fmt == "json":
        data = {"old": {"title": old.title, "date": old.plan.date.isoformat()},
                "new": {"title": new.title, "date": new.plan.date.isoformat()},
                "changes": [change_data(row) for row in rows]}
        return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()
    words = CHANGE_WORDS[language]
    from ..params import format_date
    lines = [f"# {words['annex']}", "",
             words["since"].format(date=format_date(old.plan.date, language)), ""]
    lines += [f"- {where}: {what}" for where, what in (describe(r, language) for r in rows)] \
        or [words["none"]]
    return ("\n".join(lines) + "\n").encode("utf-8")
