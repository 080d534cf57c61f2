"""Our own OOXML checker for tests: the ECMA-376 schemas (carried in tests/ooxml-xsd) plus the
rules Word enforces beyond them. shared/tools/validate_docx.py is a second opinion."""
from __future__ import annotations

import re
import zipfile
from functools import lru_cache
from pathlib import Path

from lxml import etree

XSD = Path(__file__).parent / "ooxml-xsd" / "wml.xsd"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WML_TYPES = {f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"
             for kind in ("document.main", "styles", "numbering", "settings", "comments",
                          "header", "footer", "footnotes", "endnotes")}
RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
             "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid",
             "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
             "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em",
             "lang", "eastAsianLayout", "specVanish", "oMath"]


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def _strip_mc(root):
    ignorable = set()
    for el in root.iter():
        value = el.get(f"{{{MC}}}Ignorable")
        if value:
            ignorable |= {el.nsmap.get(prefix) for prefix in value.split()}
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if etree.QName(el).namespace in ignorable:
            el.getparent().remove(el)
            continue
        for attr in list(el.attrib):
            if etree.QName(attr).namespace in ignorable | {MC}:
                del el.attrib[attr]
    return root


def findings(path: str | Path) -> list[str]:
    """Every problem Word would have with the file; an empty list means valid."""
    out: list[str] = []
    with zipfile.ZipFile(path) as package:
        types = etree.fromstring(package.read("[Content_Types].xml"))
        names = [o.get("PartName").lstrip("/") for o in types
                 if o.get("ContentType") in WML_TYPES and o.get("PartName")]
        parts = {name: etree.fromstring(package.read(name)) for name in names}
    for name, root in parts.items():
        stripped = _strip_mc(etree.fromstring(etree.tostring(root)))
        if not schema().validate(stripped):
            out += [f"{name}: line {e.line}: {e.message[:200]}" for e in schema().error_log][:5]
        rank = {tag: i for i, tag in enumerate(RPR_ORDER)}
        for rpr in root.iter(w("rPr")):
            seen = -1
            for child in rpr:
                position = rank.get(etree.QName(child).localname, -1)
                if 0 <= position < seen:
                    out.append(f"{name}: rPr child {etree.QName(child).localname} out of order")
                seen = max(seen, position)
    bookmarks, ids, ends = set(), [], set()
    comment_ids, comment_refs, refs, styles_used = set(), [], [], set()
    for name, root in parts.items():
        for start in root.iter(w("bookmarkStart")):
            ids.append(start.get(w("id")))
            if start.get(w("name")) in bookmarks:
                out.append(f"bookmark {start.get(w('name'))} used twice")
            bookmarks.add(start.get(w("name")))
        ends |= {e.get(w("id")) for e in root.iter(w("bookmarkEnd"))}
        refs += [m.group(1) for i in root.iter(w("instrText"))
                 for m in [re.match(r"\s*REF\s+(\S+)", i.text or "")] if m]
        if name.endswith("comments.xml"):
            comment_ids |= {c.get(w("id")) for c in root.iter(w("comment"))}
        else:
            comment_refs += [e.get(w("id")) for tag in ("commentReference", "commentRangeStart",
                                                        "commentRangeEnd")
                             for e in root.iter(w(tag))]
        if not name.endswith("styles.xml"):
            styles_used |= {s.get(w("val")) for s in root.iter(w("pStyle"))}
    if len(ids) != len(set(ids)):
        out.append("bookmark ids are not unique")
    if set(ids) != ends:
        out.append(f"unpaired bookmarks: {sorted(set(ids) ^ ends)[:5]}")
    out += [f"REF to missing bookmark {r}" for r in refs if r not in bookmarks]
    out += [f"comment {c} referenced but not defined" for c in comment_refs
            if c not in comment_ids]
    defined = {s.get(w("styleId")) for s in parts["word/styles.xml"].iter(w("style"))}
    out += [f"paragraph style {s} used but not defined" for s in styles_used - defined]
    return out
