"""The .docx package of a draft written from prebuilt parts, without python-docx.

Most of a draft's package does not depend on the draft: styles, settings, theme, fonts, the
footer, and the numbering and styles of a language and numbering mode. `reference.py` builds
each such arrangement once, through python-docx and the same `docx_oxml.dress` the writer uses,
with markers where the draft's own values go, and ships them in resources/skeletons.zip. A
draft then costs only its body, its comments, its header line and its properties, written into
the skeleton as text: no python-docx or lxml import, no tree, one deflate per part.

The bytes are those python-docx would give for the same values (tests compare the two ways);
the Word writer still goes through python-docx when a plugin's finalize_docx edits the document.
"""
from __future__ import annotations

import io
import json
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ..errors import ClausegenError
from . import wml

SKELETONS = "skeletons.zip"
# Where a draft's own value goes in a skeleton part: CLAUSEGEN-MARK-<name>. A skeleton holds no
# content of a draft, so nothing else in it can look like a marker.
MARK = "CLAUSEGEN-MARK-"
_MARKS = re.compile(re.escape(MARK).encode() + rb"([a-z_]+)")
BODY_PART, COMMENTS_PART, CUSTOM_PART = "word/document.xml", "word/comments.xml", \
    "docProps/custom.xml"
# A core property (docProps/core.xml: title, subject, author, ...) holds at most 255 characters:
# python-docx refuses more.
CORE_TEXT_LIMIT = 255
# The core properties a draft sets, in the order of their elements in docProps/core.xml.
CORE_TEXTS = ("title", "subject", "author", "last_modified_by", "keywords", "category",
              "version")
CORE_DATES = ("created", "modified")
CORE_COMMENTS = "comments"
# Dates as docProps/core.xml (W3CDTF, as python-docx writes them) and comments carry them, UTC.
W3CDTF = "%Y-%m-%dT%H:%M:%SZ"


@dataclass(frozen=True)
class Dressing:
    """What a draft puts around its body: the arrangement of its package (language and
    numbering; whether it has comments follows from its comments) and its own values (header
    line, core and custom properties)."""
    language: str
    per_chapter: bool
    header: str = ""
    core: dict[str, object] = field(default_factory=dict)  # CORE_TEXTS, CORE_DATES, comments
    custom: dict[str, str] = field(default_factory=dict)   # name -> text, docProps/custom.xml


def core_text(value: str) -> str:
    """A core property's text, cut short with an ellipsis where it cannot hold all of it (the
    document itself holds it all)."""
    return value if len(value) <= CORE_TEXT_LIMIT else value[:CORE_TEXT_LIMIT - 1] + "…"


def custom_properties_xml(properties: dict[str, str]) -> bytes:
    """docProps/custom.xml with string properties, sorted by name."""
    items = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" '
        f"name={wml.attr(name)}><vt:lpwstr>{wml.esc(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(sorted(properties.items()), start=2))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/docPropsVTypes">{items}</Properties>').encode("utf-8")


def variant(language: str, per_chapter: bool, comments: bool) -> str:
    """The name of one arrangement of the package in the skeletons."""
    return (f"{language}-{'per_chapter' if per_chapter else 'continuous'}-"
            f"{'comments' if comments else 'plain'}")


@lru_cache(maxsize=None)
def skeleton(name: str) -> tuple[tuple[str, bytes | Deflated], ...]:
    """The parts of one arrangement, in package order: (part name, its bytes when a draft
    fills or replaces it, else the part Deflated once and for all)."""
    with zipfile.ZipFile(io.BytesIO((resources.files("clausegen") / "resources"
                                     / SKELETONS).read_bytes())) as shipped:
        index = json.loads(shipped.read("index.json"))
        fixed = index["deflated"]
        return tuple((part, Deflated(shipped.read(f"parts/{digest}"), *fixed[digest])
                      if digest in fixed else shipped.read(f"parts/{digest}"))
                     for part, digest in index["variants"][name])


def filled(name: str, data: bytes) -> bool:
    """Whether a draft writes into a skeleton's part (else the part is the same for every
    draft of its arrangement, and kept deflated)."""
    return name in (BODY_PART, COMMENTS_PART, CUSTOM_PART) or MARK.encode() in data


def _xml_text(value: str) -> str:
    """Element text as lxml writes it: & < > escaped, and a carriage return as &#13;."""
    return wml.esc(value).replace("\r", "&#13;")


def marker_values(dressing: Dressing) -> dict[str, str]:
    """Each marker's text, escaped for the XML it goes into. The header's run is markup that
    python-docx parses, so its line ends are an XML parser's: CR LF and CR become LF."""
    values = {"header": wml.esc(dressing.header.replace("\r\n", "\n").replace("\r", "\n"))}
    for name in CORE_TEXTS + (CORE_COMMENTS,):
        values[name] = _xml_text(core_text(str(dressing.core.get(name, ""))))
    for name in CORE_DATES:
        values[name] = dressing.core[name].strftime(W3CDTF)
    return values


def _insert(xml: bytes, opening: bytes, markup: str) -> bytes:
    """Put markup right after the opening tag `opening` (which may be self-closing)."""
    start = xml.index(opening)
    end = xml.index(b">", start)
    data = markup.encode("utf-8")
    if xml[end - 1:end] == b"/":      # <w:comments .../> : open it
        tag = opening.lstrip(b"<").split()[0]
        return xml[:end - 1] + b">" + data + b"</" + tag + b">" + xml[end + 1:]
    return xml[:end + 1] + data + xml[end + 1:]


def write_package(dressing: Dressing, body: str, comments: str) -> bytes:
    """The .docx bytes of a draft: its body and comments (WordprocessingML text) and its
    dressing written into the skeleton of its arrangement."""
    values = marker_values(dressing)
    parts = []
    for name, data in skeleton(variant(dressing.language, dressing.per_chapter,
                                       bool(comments))):
        if isinstance(data, Deflated):
            parts.append((name, data))
            continue
        data = _MARKS.sub(lambda found: values[found.group(1).decode()].encode("utf-8"), data)
        if name == BODY_PART:
            data = _insert(data, b"<w:body>", body)
        elif name == COMMENTS_PART:
            data = _insert(data, b"<w:comments", comments)
        elif name == CUSTOM_PART:
            data = custom_properties_xml(dressing.custom)
        parts.append((name, data))
    return zip_parts(parts)


@dataclass(frozen=True)
class Deflated:
    """A part deflated beforehand (a skeleton's fixed part): its raw deflate stream, the CRC-32
    and the size of its bytes."""
    stream: bytes
    crc: int
    size: int


def deflated(data: bytes) -> Deflated:
    """A part deflated as zipfile deflates it (zlib's default level, raw stream)."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return Deflated(compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))


# A zip entry as zipfile writes one with ZipInfo(name, (1980, 1, 1, 0, 0, 0)), ZIP_DEFLATED
# and external_attr 0o644 << 16, to a seekable file: version 2.0, no data descriptor, DOS
# date 1980-01-01 00:00, made on Unix, no extra field or comment.
_LOCAL, _CENTRAL, _END = "<4s2B4HL2L2H", "<4s4B4HL2L5H2L", "<4s4H2LH"
_VERSION, _UNIX, _DEFLATE, _DOS_DATE, _MODE = 20, 3, 8, 33, 0o644 << 16


def zip_parts(parts) -> bytes:
    """A zip of (name, bytes or Deflated) in the order given, with fixed timestamps and
    attributes, so equal content gives equal bytes: the bytes zipfile writes for the same
    parts (a test compares them). Written here because zipfile cannot take a part deflated
    beforehand, and deflating the skeleton's 800 kB of styles again was most of a small
    draft's zip."""
    out, directory = bytearray(), bytearray()
    count = 0
    for name, data in parts:
        part = data if isinstance(data, Deflated) else deflated(data)
        encoded = name.encode("utf-8")
        flags = 0 if encoded.isascii() else 0x800       # a UTF-8 name, as zipfile marks it
        # Past these a zip needs the zip64 extensions, which no draft comes near (the render
        # budget keeps a text far smaller): refused rather than written wrong.
        if max(part.size, len(part.stream), len(out)) >= 0xFFFFFFFF:
            raise ClausegenError("the file would be over 4 GB; nothing was written")
        if count >= 0xFFFF:
            raise ClausegenError("the file would have over 65,535 parts; "
                                 "nothing was written")
        fields = (_VERSION, 0, flags, _DEFLATE, 0, _DOS_DATE, part.crc, len(part.stream),
                  part.size, len(encoded))
        directory += struct.pack(_CENTRAL, b"PK\x01\x02", _VERSION, _UNIX, *fields, 0, 0, 0,
                                 0, _MODE, len(out)) + encoded
        out += struct.pack(_LOCAL, b"PK\x03\x04", *fields, 0) + encoded + part.stream
        count += 1
    return bytes(out + directory + struct.pack(_END, b"PK\x05\x06", 0, 0, count, count,
                                               len(directory), len(out), 0))


def normalize_zip(data: bytes) -> bytes:
    """Rewrite a .docx zip (python-docx's save) with fixed timestamps and attributes."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return zip_parts((info.filename, source.read(info.filename))
                         for info in source.infolist())

