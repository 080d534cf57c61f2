"""What changed between two rounds: two drafts aligned by chapter and clause id, as data.

The drafts are flattened into items (a chapter heading, an article) keyed by theme and clause
id, so an article is followed by its id, never guessed from its text. Items in both drafts in
the same relative order are compared paragraph by paragraph and word by word; the others are
inserted, deleted, or, when their text did not change, moved. The writer in
writers/redline.py turns the result into tracked changes; `changes` lists it for people.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from .model import Article, Draft, Placeholder, Ref, Span
from .planning import DEFINITIONS_KEY
from .params import format_value
from .vocabulary import CHANGE_WORDS, LEVEL_WORDS

# How similar two paragraphs must be to show as one changed paragraph (word by word) rather
# than a deleted one and an inserted one.
SIMILAR = 0.5


@dataclass(frozen=True)
class Token:
    """One word, space, mark, formatted value, cross-reference or placeholder of a paragraph."""

    text: str
    bold: bool = False
    italic: bool = False
    ref: str = ""               # target key of a cross-reference (its text is the label)
    placeholder: str = ""       # hint of a value still to fill in

    @property
    def key(self) -> tuple:
        # A cross-reference is the same when it points at the same article: its number is
        # Word's to compute, not a change of text.
        if self.ref:
            return ("ref", self.ref)
        return (self.text, self.bold, self.italic, bool(self.placeholder))


@dataclass
class Para:
    """A paragraph of the body: its style and its tokens."""

    style: str
    tokens: list[Token]

    @property
    def key(self) -> tuple:
        return (self.style, tuple(t.key for t in self.tokens))


@dataclass
class ParaChange:
    """One paragraph of an item: "equal", "insert", "delete", or "change" with `pieces`, the
    runs of tokens each "equal", "insert" or "delete", in reading order."""

    op: str
    old: Para | None
    new: Para | None
    pieces: list[tuple[str, list[Token]]] = field(default_factory=list)


@dataclass
class Item:
    """A chapter heading or an article, in one draft."""

    key: str                    # "chapter:<theme>" or the article key
    paras: list[Para]
    article: Article | None = None
    number: str = ""
    title: str = ""


@dataclass
class Block:
    """One item of the redline, in the order it appears: `role` is "same", "changed",
    "insert", "delete", "move-from" or "move-to"."""

    role: str
    old: Item | None
    new: Item | None
    paras: list[ParaChange]
    move: str = ""              # the name pairing a move's two blocks


@dataclass
class Change:
    """One line of the change summary."""

    kind: str                   # value, text, new, deleted, moved, definition
    article: str                # number in NEW ("" for a deleted article or a definition)
    old_article: str
    title: str
    lid: int | None = None
    label: str = ""
    old: str = ""
    new: str = ""


# ---------------------------------------------------------------- paragraphs and tokens


def _phrases(article: Article | None, language: str) -> list[str]:
    """The article's formatted values: each one token, so a changed value is marked whole."""
    if article is None or article.clause is None:
        return []
    planned = article.clause
    shown = {format_value(planned.clause.parameters[n].type, v.value, language)
             for n, v in planned.values.items()}
    return sorted((s for s in shown if any(c.isdigit() for c in s)), key=len, reverse=True)


def _tokens(inlines, phrases: list[str]) -> list[Token]:
    pattern = re.compile("|".join([rf"(?<![\w.,]){re.escape(p)}(?![\w]|[.,]\d)" for p in phrases]
                                  + [r"\w+", r"\s+", r"[^\w\s]"]))
    out: list[Token] = []
    for item in inlines:
        if isinstance(item, Span):
            out += [Token(m.group(0), item.bold, item.italic)
                    for m in pattern.finditer(item.text)]
        elif isinstance(item, Ref):
            out.append(Token(f"{item.word} {item.label}", ref=item.target))
        elif isinstance(item, Placeholder):
            out.append(Token("[...]", placeholder=item.hint))
    return out


def _article_paras(article: Article, language: str) -> list[Para]:
    phrases = _phrases(article, language)
    paras = [Para("Heading2", [Token(article.title)])]
    numbered = len(article.leden) > 1
    for lid in article.leden:
        paras.append(Para("CAOLid" if numbered else "CAOTekst", _tokens(lid.inlines, phrases)))
        paras += [Para("CAOSub", _tokens(sub.inlines, phrases)) for sub in lid.subs]
    return paras


def items(draft: Draft) -> list[Item]:
    """The body of a draft as items: each chapter heading, then its articles."""
    out = []
    for chapter in draft.chapters:
        out.append(Item(f"chapter:{chapter.theme}", [Para("Heading1", [Token(chapter.title)])],
                        number=str(chapter.number), title=chapter.title))
        out += [Item(a.key, _article_paras(a, draft.language), article=a, number=a.number,
                     title=a.title) for a in chapter.articles]
    return out


def _word_diff(old: Para, new: Para) -> list[tuple[str, list[Token]]]:
    matcher = difflib.SequenceMatcher(None, [t.key for t in old.tokens],
                                      [t.key for t in new.tokens], autojunk=False)
    pieces: list[tuple[str, list[Token]]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("equal", new.tokens[j1:j2]))
            continue
        if i2 > i1:
            pieces.append(("delete", old.tokens[i1:i2]))
        if j2 > j1:
            pieces.append(("insert", new.tokens[j1:j2]))
    return pieces


def _similar(old: Para, new: Para) -> bool:
    if old.style != new.style:
        return False
    return difflib.SequenceMatcher(None, [t.key for t in old.tokens], [t.key for t in new.tokens],
                                   autojunk=False).ratio() >= SIMILAR


def diff_paras(old: list[Para], new: list[Para]) -> list[ParaChange]:
    """The paragraphs of one item, aligned: equal ones, changed ones word by word, and the
    inserted and deleted ones where they stand."""
    matcher = difflib.SequenceMatcher(None, [p.key for p in old], [p.key for p in new],
                                      autojunk=False)
    out: list[ParaChange] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += [ParaChange("equal", o, n) for o, n in zip(old[i1:i2], new[j1:j2])]
            continue
        olds, news = old[i1:i2], new[j1:j2]
        while olds or news:
            if olds and news and _similar(olds[0], news[0]):
                out.append(ParaChange("change", olds[0], news[0], _word_diff(olds[0], news[0])))
                olds, news = olds[1:], news[1:]
            elif olds and (not news or len(olds) >= len(news)):
                out.append(ParaChange("delete", olds[0], None))
                olds = olds[1:]
            else:
                out.append(ParaChange("insert", None, news[0]))
                news = news[1:]
    return out


# ---------------------------------------------------------------- items and their order


def _stable(old_items: list[Item], new_items: list[Item]) -> set[str]:
    """The keys in both drafts that keep their place: the heaviest common subsequence, where
    an item whose text changed weighs double. What is left moved; an unchanged item can show
    as a move, a changed one only as deleted and inserted, so the changed ones stay put."""
    new_by = {i.key: i for i in new_items}
    a = [i for i in old_items if i.key in new_by]
    b = [new_by[i.key] for i in old_items if i.key in new_by]
    order = {item.key: n for n, item in enumerate(new_items)}
    b.sort(key=lambda item: order[item.key])
    weight = {i.key: 1 if [p.key for p in i.paras] == [p.key for p in new_by[i.key].paras]
              else 2 for i in a}
    # best[i][j]: the weight of the heaviest common subsequence of a[i:] and b[j:]
    best = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            best[i][j] = max(best[i + 1][j], best[i][j + 1],
                             best[i + 1][j + 1] + weight[a[i].key] if a[i].key == b[j].key else 0)
    keys, i, j = set(), 0, 0
    while i < len(a) and j < len(b):
        if a[i].key == b[j].key and best[i][j] == best[i + 1][j + 1] + weight[a[i].key]:
            keys.add(a[i].key)
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    return keys


def align(old: Draft, new: Draft) -> list[Block]:
    """The redline's body as blocks in reading order: NEW's items, with OLD's deleted and
    moved-away items where they stood (after the nearest item that kept its place)."""
    old_items, new_items = items(old), items(new)
    old_by, new_by = {i.key: i for i in old_items}, {i.key: i for i in new_items}
    stable = _stable(old_items, new_items)
    moves: dict[str, str] = {}
    ghosts: dict[str | None, list[Block]] = {}
    anchor: str | None = None
    for item in old_items:
        if item.key in stable:
            anchor = item.key
            continue
        other = new_by.get(item.key)
        if other is not None and [p.key for p in other.paras] == [p.key for p in item.paras]:
            moves[item.key] = f"_clausegen_move{len(moves) + 1}"
            block = Block("move-from", item, other, [ParaChange("equal", p, p)
                                                      for p in item.paras], moves[item.key])
        else:
            block = Block("delete", item, None, [ParaChange("delete", p, None)
                                                  for p in item.paras])
        ghosts.setdefault(anchor, []).append(block)
    blocks = list(ghosts.get(None, []))
    for item in new_items:
        before = old_by.get(item.key)
        if item.key in moves:
            blocks.append(Block("move-to", before, item,
                                [ParaChange("equal", p, p) for p in item.paras], moves[item.key]))
        elif before is None or item.key not in stable:
            blocks.append(Block("insert", None, item, [ParaChange("insert", None, p)
                                                       for p in item.paras]))
        else:
            paras = diff_paras(before.paras, item.paras)
            same = all(p.op == "equal" for p in paras)
            blocks.append(Block("same" if same else "changed", before, item, paras))
        blocks += ghosts.get(item.key, [])
    return blocks


# ---------------------------------------------------------------- the change summary


def _lid_of(paras: list[ParaChange], index: int) -> int | None:
    """The lid number of the paragraph at `index` of an article, counted on the side it
    belongs to (OLD for a deleted paragraph); None for the title or an article of one lid."""
    side = "old" if paras[index].op == "delete" else "new"
    styles = [getattr(p, side).style for p in paras[:index + 1] if getattr(p, side) is not None]
    return sum(1 for style in styles if style == "CAOLid") or None


def changes(blocks: list[Block], old: Draft, new: Draft) -> list[Change]:
    """One row per change, in the order of the redline, as people read it."""
    language = new.language
    words = CHANGE_WORDS[language]
    rows: list[Change] = []
    old_keys = {b.old.key: b.old.number for b in blocks if b.old is not None}
    new_keys = {b.new.key for b in blocks if b.new is not None}
    for block in blocks:
        item = block.new or block.old
        if item.article is None:                   # a chapter heading: its articles say it
            continue
        number_new = block.new.number if block.new else ""
        number_old = block.old.number if block.old else ""
        if block.role == "insert" and item.key in old_keys:     # moved and changed
            rows.append(Change("moved", number_new, old_keys[item.key], item.title,
                               label=words["text"]))
        elif block.role == "insert":
            rows.append(Change("new", number_new, "", item.title))
        elif block.role == "delete" and item.key in new_keys:
            continue                                             # said where it now stands
        elif block.role == "delete":
            rows.append(Change("deleted", "", number_old, item.title))
        elif block.role == "move-to":
            rows.append(Change("moved", number_new, number_old, item.title))
        elif block.role == "changed" and item.key != DEFINITIONS_KEY:   # definitions: below
            rows += _article_changes(block, language, words)
    old_defs = {d.id: d for d in old.plan.definitions}
    new_defs = {d.id: d for d in new.plan.definitions}
    for def_id in sorted(set(old_defs) ^ set(new_defs)):
        definition = new_defs.get(def_id) or old_defs[def_id]
        term = definition.term.get(language) or definition.term.get("nl", def_id)
        rows.append(Change("definition", "", "", term,
                           label=words["definition_new" if def_id in new_defs
                                       else "definition_gone"]))
    return rows


def _article_changes(block: Block, language: str, words: dict) -> list[Change]:
    old_planned, new_planned = block.old.article.clause, block.new.article.clause
    rows: list[Change] = []
    value_texts: set[str] = set()
    if old_planned is not None and new_planned is not None:
        for name, value in new_planned.values.items():
            before = old_planned.values.get(name)
            param = new_planned.clause.parameters[name]
            shown_new = format_value(param.type, value.value, language) or "[...]"
            shown_old = (format_value(param.type, before.value, language) or "[...]") \
                if before else "–"
            if shown_new == shown_old:
                continue
            value_texts |= {shown_new, shown_old}
            lid = next((_lid_of(block.paras, i) for i, p in enumerate(block.paras)
                        if p.op in ("change", "insert") and shown_new in
                        "".join(t.text for t in p.new.tokens)), None)
            rows.append(Change("value", block.new.number, block.old.number, block.new.title,
                               lid=lid, label=param.label.get(language) or name,
                               old=shown_old, new=shown_new))
    for i, para in enumerate(block.paras):
        if para.op == "equal":
            continue
        changed = {t.text for op, tokens in para.pieces if op != "equal" for t in tokens
                   if t.text.strip()} if para.op == "change" else {None}
        if changed and not changed <= value_texts:
            rows.append(Change("text", block.new.number, block.old.number, block.new.title,
                               lid=_lid_of(block.paras, i)))
    # one text row per lid is enough
    seen, unique = set(), []
    for row in rows:
        marker = (row.kind, row.lid, row.label)
        if row.kind != "text" or marker not in seen:
            unique.append(row)
        seen.add(marker)
    return unique


def describe(change: Change, language: str) -> tuple[str, str]:
    """(article, change) as the summary table prints them."""
    words = CHANGE_WORDS[language]
    article_word = LEVEL_WORDS[language][1]
    where = f"{article_word} {change.article or change.old_article}"
    if change.lid:
        where += f" {words['lid']} {change.lid}"
    if change.kind == "value":
        return where, f"{change.label}: {change.old} -> {change.new}"
    if change.kind == "text":
        return where, f"{change.title}: {words['text']}"
    if change.kind == "new":
        return f"{words['new']}: {article_word} {change.article}", change.title
    if change.kind == "deleted":
        return where, f"{change.title} {words['deleted']}"
    if change.kind == "moved":
        return f"{article_word} {change.article}", \
            f"{change.title} {words['moved']} {article_word.lower()} {change.old_article}" \
            + (f"; {change.label}" if change.label else "")
    return change.title, change.label


def change_data(change: Change) -> dict[str, Any]:
    return {"kind": change.kind, "article": change.article, "old_article": change.old_article,
            "title": change.title, "lid": change.lid, "label": change.label, "old": change.old,
            "new": change.new}
