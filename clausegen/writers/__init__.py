"""Writers turn a Draft into bytes (docx, md, json) and write them without losing a file."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import ClausegenError, UsageError

FORMATS = ("docx", "md", "json")


def format_for(path: str | Path, requested: str | None) -> str:
    """The output format: as requested, else from the file's suffix, else docx."""
    if requested:
        if requested not in FORMATS:
            raise UsageError(f"unknown format {requested!r} (use {', '.join(FORMATS)})")
        return requested
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else "docx"


def render_bytes(draft, fmt: str, library=None, **docx_options) -> bytes:
    """The draft as the bytes of one format. python-docx is imported only for docx.

    `docx_options` go to the Word writer: toelichting ("comments", "chapter" or "none") and
    author (of the comments and the document).
    """
    if fmt == "docx":
        from .docx import write_docx
        return write_docx(draft, library, **docx_options)
    if fmt == "md":
        from .markdown import write_markdown
        return write_markdown(draft).encode("utf-8")
    from .manifest import write_manifest
    return write_manifest(draft).encode("utf-8")


def check_target(path: str | Path, force: bool) -> Path:
    """Refuse to replace an existing file without --force, before any work is done."""
    target = Path(path)
    if target.is_dir():
        raise ClausegenError(f"{target} is a directory; give a file name")
    if target.exists() and not force:
        raise ClausegenError(f"{target} already exists; use --force to replace it")
    if not target.parent.exists():
        raise ClausegenError(f"folder {target.parent} does not exist")
    return target


def atomic_write(path: str | Path, data: bytes) -> None:
    """Write via a temp file in the same folder, fsync, then rename: the old file stays intact
    until the new one is complete, and no temp file is left behind on failure."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
