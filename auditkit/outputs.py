"""Writing output files safely: never over the data being read, never half a file.

Reports and exports carry protected health information, and a slip of ``-o`` must not
destroy the database or an input. Every command that writes a file goes through here:

* :func:`check_output` refuses, before anything is read or recorded, a target that is the
  database in use, an input file, any SQLite database, a folder, or a path in a folder
  that does not exist;
* :func:`atomic_output` writes to a temporary file in the target's folder and renames it
  over the target only once it is complete, so a full disk or a crash leaves the old file
  (or nothing), never a truncated one;
* the new file is owner-only (0600), or stricter when the user's umask asks for it.

File-system errors become :class:`~auditkit.errors.AuditkitError` (exit 2, one line).
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from sqlalchemy.engine import make_url

from auditkit.errors import AuditkitError

OWNER_ONLY = 0o600
SQLITE_HEADER = b"SQLite format 3\x00"
# Files SQLite keeps beside a database; writing over them corrupts it just the same.
SQLITE_SIDE_FILES = ("", "-journal", "-wal", "-shm")


def current_umask() -> int:
    mask = os.umask(0o077)  # the only way to read it is to set it; put it straight back
    os.umask(mask)
    return mask


def owner_only_mode() -> int:
    """0600, less whatever the user's umask removes on top."""
    return OWNER_ONLY & ~current_umask()


def sqlite_path(database_url: str | None) -> Path | None:
    """The file behind a SQLite URL (``None`` for other databases and in-memory ones)."""
    if not database_url:
        return None
    try:
        url = make_url(database_url)
    except Exception:  # an unparsable URL is reported when the database is opened
        return None
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def _is_sqlite_database(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def check_output(
    path: Path, *, database_url: str | None = None, inputs: Iterable[Path | None] = ()
) -> Path:
    """Refuse a target that would destroy data or cannot be written; returns ``path``."""
    path = Path(path)
    database = sqlite_path(database_url)
    if database is not None:
        for side in SQLITE_SIDE_FILES:
            if _same_file(path, Path(f"{database}{side}")):
                raise AuditkitError(
                    f"{path}: refusing to write over the database in use ({database})"
                )
    for source in inputs:
        if source is not None and _same_file(path, Path(source)):
            raise AuditkitError(f"{path}: refusing to write over an input file")
    if path.is_dir():
        raise AuditkitError(f"{path}: is a folder; name a file to write")
    if path.exists() and _is_sqlite_database(path):
        raise AuditkitError(f"{path}: refusing to write over a SQLite database")
    folder = path.parent
    if not folder.is_dir():
        raise AuditkitError(f"{path}: folder {folder} does not exist")
    return path


def describe_os_error(error: OSError, path: Path | str) -> str:
    """One line a user can act on, for the usual file-system failures."""
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exhausted",
        errno.EFBIG: "the file is larger than allowed",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ENOENT: "the folder does not exist",
        errno.ENOTDIR: "a part of the path is not a folder",
        errno.EISDIR: "is a folder",
    }
    reason = reasons.get(error.errno or 0, error.strerror or str(error))
    return f"{path}: cannot write: {reason}"


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` (0600).

    Write the content to the yielded path by name. If the block raises, or the data cannot
    be flushed to disk, the temporary file is removed and ``path`` is left as it was.
    """
    path = Path(path)
    try:
        descriptor, name = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=f".tmp{path.suffix}"
        )
    except OSError as error:
        raise AuditkitError(describe_os_error(error, path)) from None
    os.close(descriptor)
    temporary = Path(name)
    try:
        os.chmod(temporary, owner_only_mode())
        yield temporary
        _flush_to_disk(temporary)
        os.replace(temporary, path)
    except OSError as error:
        _remove(temporary)
        raise AuditkitError(describe_os_error(error, path)) from None
    except BaseException:
        _remove(temporary)
        raise


def flush(staged: Path, target: Path) -> None:
    """Push a staged file to disk now (a full disk shows here), before recording the work."""
    try:
        _flush_to_disk(staged)
    except OSError as error:
        raise AuditkitError(describe_os_error(error, target)) from None


def write_text(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically, owner-only."""
    with atomic_output(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
    return path


def _flush_to_disk(path: Path) -> None:
    # A full disk often shows only at fsync; better to learn it before the rename.
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove(path: Path) -> None:
    with suppress(OSError):
        path.unlink()


def create_owner_only(path: Path) -> None:
    """Create an empty file readable by its owner only, unless it already exists."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    except FileExistsError:
        return
    os.close(descriptor)
