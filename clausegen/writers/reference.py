"""The reference document the Word writer starts from, and the skeletons made from it.

reference.docx is python-docx's default template with clausegen's styles: every style a draft
uses, defined once. skeletons.zip holds that document dressed for each arrangement of a draft
(language, numbering, with or without comments) by `docx_oxml.dress`, with markers where the
draft's own values go (package.py fills them). `python -m clausegen.writers.reference`
rebuilds both in clausegen/resources/; a test fails when a shipped file is not what this
module builds.
"""
from __future__ import annotations

import datetime as dt
import io
from importlib import resources
from pathlib import Path

RESOURCE = "reference.docx"
# Stand-ins for the draft's dates in the skeletons; replaced by markers once written.
_SENTINEL_DATES = {"created": dt.datetime(1901, 1, 1, 0, 0, 1),
                   "modified": dt.datetime(1901, 1, 1, 0, 0, 2)}


def build_reference() -> bytes:
    """The bytes of the reference document, deterministic."""
    import docx
    from . import docx_oxml as ox
    from .package import normalize_zip
    document = docx.Document()
    ox.setup_styles(document)
    ox.fix_settings(document)
    _own_package_metadata(document)
    core = document.core_properties
    core.title = core.subject = core.keywords = core.comments = ""
    core.author = core.last_modified_by = "clausegen"
    core.revision = 1
    core.created = core.modified = dt.datetime(2026, 1, 1)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue())


APP_XML = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
           b'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
           b'2006/docPropsVTypes"><Application>clausegen</Application><DocSecurity>0'
           b'</DocSecurity><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>'
           b'<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>'
           b'</Properties>')


def _own_package_metadata(document) -> None:
    """python-docx's template says it was made by "Microsoft Macintosh Word" and carries a
    thumbnail of a blank page (which file browsers then show for every draft): say clausegen,
    and have no thumbnail rather than a wrong one."""
    rels = document.part.package.rels
    for rel_id, rel in list(rels.items()):
        if rel.reltype.endswith("/metadata/thumbnail"):
            rels.pop(rel_id)
        elif rel.reltype.endswith("/extended-properties"):
            rel.target_part._blob = APP_XML


def open_reference():
    """A fresh python-docx Document from the shipped reference document."""
    import docx
    data = (resources.files("clausegen") / "resources" / RESOURCE).read_bytes()
    return docx.Document(io.BytesIO(data))


def _skeleton_parts(language: str, per_chapter: bool, comments: bool) -> list[tuple[str, bytes]]:
    """The parts of the reference document dressed for one arrangement, markers as values."""
    from . import docx_oxml as ox
    import zipfile
    from .package import CORE_COMMENTS, CORE_TEXTS, MARK, W3CDTF, Dressing
    core = {name: MARK + name for name in CORE_TEXTS + (CORE_COMMENTS,)}
    document = open_reference()
    ox.dress(document, Dressing(language, per_chapter, header=MARK + "header",
                                core=core | _SENTINEL_DATES), comments=comments)
    buffer = io.BytesIO()
    document.save(buffer)
    parts = []
    with zipfile.ZipFile(buffer) as saved:
        for info in saved.infolist():
            data = saved.read(info.filename)
            for name, stand_in in _SENTINEL_DATES.items():
                data = data.replace(stand_in.strftime(W3CDTF).encode(), (MARK + name).encode())
            parts.append((info.filename, data))
    return parts


def build_skeletons() -> bytes:
    """The bytes of skeletons.zip: index.json names each arrangement's parts, in package
    order, by the sha256 of their bytes; parts/<sha256> holds each distinct part once: its
    bytes when a draft writes into it, else its deflate stream (CRC-32 and size in the
    index's "deflated"), so that a draft copies it into its package as it is."""
    import hashlib
    import json
    from ..vocabulary import DRAFT_WORDS
    from .package import deflated, filled, variant, zip_parts
    variants, parts, fixed = {}, {}, {}
    for language in sorted(DRAFT_WORDS):
        for per_chapter in (False, True):
            for comments in (False, True):
                entries = []
                for name, data in _skeleton_parts(language, per_chapter, comments):
                    digest = hashlib.sha256(data).hexdigest()
                    if filled(name, data):
                        parts[digest] = data
                    else:
                        part = deflated(data)
                        parts[digest], fixed[digest] = part.stream, [part.crc, part.size]
                    entries.append([name, digest])
                variants[variant(language, per_chapter, comments)] = entries
    index = {"deflated": fixed, "variants": variants}
    files = [("index.json", json.dumps(index, indent=1, sort_keys=True).encode())]
    return zip_parts(files + [(f"parts/{digest}", data) for digest, data in sorted(parts.items())])


if __name__ == "__main__":
    folder = Path(__file__).resolve().parent.parent / "resources"
    (folder / RESOURCE).write_bytes(build_reference())
    print(f"wrote {folder / RESOURCE}")
    from .package import SKELETONS
    (folder / SKELETONS).write_bytes(build_skeletons())
    print(f"wrote {folder / SKELETONS}")
