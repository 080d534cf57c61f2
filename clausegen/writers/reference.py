"""The reference document the Word writer starts from: every style a draft uses, defined once.

`python -m clausegen.writers.reference` rebuilds clausegen/resources/reference.docx from
python-docx's default template plus clausegen's styles; a test fails when the shipped file is
not what this module builds. Numbering is added per draft (it depends on language and sector).
"""
from __future__ import annotations

import datetime as dt
import io
from importlib import resources
from pathlib import Path

RESOURCE = "reference.docx"


def build_reference() -> bytes:
    """The bytes of the reference document, deterministic."""
    import docx
    from . import docx_oxml as ox
    from .docx import normalize_zip
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


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "resources" / RESOURCE
    target.write_bytes(build_reference())
    print(f"wrote {target}")
