"""Saved rounds: one spec file per named round, in the data folder and nowhere else."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import ClausegenError
from ..writers import atomic_write

MAX_NAME = 60


def default_folder() -> Path:
    """The rounds folder under the user's data directory (platformdirs)."""
    from platformdirs import user_data_dir
    return Path(user_data_dir("clausegen")) / "rounds"


def safe_name(name: str) -> str:
    """A round name as a file name: letters, digits, - and _ only (accents dropped, anything
    else a -), never empty, never a path. "../../x" becomes "x"."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-_")[:MAX_NAME].strip("-_")
    if not text:
        raise ClausegenError("give the round a name of letters and digits, e.g. ronde-1")
    return text


@dataclass
class Round:
    name: str
    path: Path
    saved: dt.datetime


class Rounds:
    """The rounds kept in one folder, as `NAME.toml` spec files."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder).expanduser().resolve()

    def path(self, name: str) -> Path:
        """The file of a round; raises when the name would leave the folder (it cannot)."""
        path = (self.folder / f"{safe_name(name)}.toml").resolve()
        if path.parent != self.folder:
            raise ClausegenError(f"round {name!r}: not a name a round can have")
        return path

    def list(self) -> list[Round]:
        """The saved rounds, oldest first."""
        if not self.folder.is_dir():
            return []
        rounds = []
        for path in self.folder.glob("*.toml"):
            if path.is_file() and not path.name.startswith(".") and safe_name(path.stem) == path.stem:
                saved = dt.datetime.fromtimestamp(path.stat().st_mtime)
                rounds.append(Round(name=path.stem, path=path, saved=saved))
        return sorted(rounds, key=lambda r: (r.saved, r.name))

    def save(self, name: str, text: str) -> Round:
        """Keep a round's spec text; an existing round of that name is never replaced."""
        path = self.path(name)
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise ClausegenError(f"cannot create the data folder {self.folder}: "
                                 f"{exc.strerror}") from None
        if path.exists():
            raise ClausegenError(f"a round named {path.stem!r} already exists; choose another "
                                 "name")
        atomic_write(path, text.encode("utf-8"), replace=False)
        return Round(name=path.stem, path=path,
                     saved=dt.datetime.fromtimestamp(path.stat().st_mtime))

    def read(self, name: str) -> str:
        """A round's spec text."""
        path = self.path(name)
        if not path.is_file():
            raise ClausegenError(f"there is no round named {name!r}")
        return path.read_text(encoding="utf-8")
