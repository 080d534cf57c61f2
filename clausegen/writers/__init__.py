"""Writers turn a Draft into bytes (docx, md, json) and write them without losing a file."""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from ..errors import ClausegenError, UsageError

FORMATS = ("docx", "md", "json", "pdf")
# Here rather than in docx.py and redline.py, which import python-docx: the command line reads
# them for its choices at start-up.
TOELICHTING_MODES = ("comments", "chapter", "none")   # as comments, as a chapter, left out
REDLINE_FORMATS = ("docx", "md", "json")              # the redline, or its list of changes
MANDATE_FORMATS = ("docx", "xlsx", "json", "md")      # the mandate (writers/mandate.py)


def format_for(path: str | Path, requested: str | None, formats: tuple = FORMATS) -> str:
    """The output format: as requested, else from the file's suffix, else the first of
    `formats`. A suffix that names another format is refused, so a file never holds other
    bytes than its name says (`-o draft.pdf` writes no .docx named .pdf)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if requested and requested not in formats:
        raise UsageError(f"unknown format {requested!r} (use {', '.join(formats)})")
    if suffix and suffix not in formats:
        raise UsageError(f"{Path(path).name}: clausegen writes {', '.join('.' + f for f in formats)}"
                         f" here, not .{suffix}; name the file for its format")
    if requested and suffix and suffix != requested:
        raise UsageError(f"--format {requested} does not match the file name {Path(path).name}")
    return requested or suffix or formats[0]


def render_bytes(draft, fmt: str, library=None, **docx_options) -> bytes:
    """The draft as the bytes of one format. python-docx is imported only for docx and pdf.

    `docx_options` go to the Word writer: toelichting ("comments", "chapter" or "none") and
    author (of the comments and the document); markdown takes toelichting too. With
    toc_pages, a .docx is laid out by LibreOffice first, so its contents carry page numbers.
    """
    toc_pages = docx_options.pop("toc_pages", False)
    if fmt == "docx" and toc_pages:
        from .pdf import layout
        return layout(draft, library, **docx_options)[0]
    if fmt == "docx":
        from .docx import write_docx
        return write_docx(draft, library, **docx_options)
    if fmt == "pdf":      # the Word draft laid out by LibreOffice (an error if it is missing)
        from .pdf import write_pdf
        return write_pdf(draft, library, **docx_options)
    floors = library.floors() if library else {}
    if fmt == "md":
        from .markdown import write_markdown
        return write_markdown(draft, floors, toelichting=docx_options.get("toelichting",
                                                                          "comments")).encode()
    from .manifest import write_manifest
    return write_manifest(draft, floors).encode("utf-8")


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


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(target).st_mode)      # keep the replaced file's mode
    except FileNotFoundError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask                             # what open() would have made


def atomic_write(path: str | Path, data: bytes, *, replace: bool = True) -> None:
    """Write via a temp file in the same folder, fsync, then rename: the old file stays intact
    until the new one is complete, and no temp file is left behind on failure.

    With replace=False the final step refuses to overwrite a file that appeared meanwhile.
    """
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise ClausegenError(f"cannot write {target}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), _mode_for(target))
            os.fsync(handle.fileno())
        if replace:
            os.replace(tmp, target)
        else:
            _link_new(tmp, target)
    except FileExistsError:
        _remove(tmp)
        raise ClausegenError(f"{target} already exists; use --force to replace it") from None
    except OSError as exc:
        _remove(tmp)
        raise ClausegenError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        _remove(tmp)
        raise


def _link_new(tmp: str, target: Path) -> None:
    """Put the temp file in place only if the target still does not exist."""
    try:
        os.link(tmp, target)        # atomic, and fails if the target exists: never overwrites
    except FileExistsError:
        raise
    except OSError:                 # a file system without hard links: check, then rename
        if target.exists():
            raise FileExistsError(str(target)) from None
        os.replace(tmp, target)
        return
    os.unlink(tmp)


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass
