"""Writing result files so that a crash, a full disk or a re-run never leaves a half-written or stale one.

``atomic_open(path)`` writes into a temporary sibling and renames it over ``path`` only when the block finished
without an error (the file is flushed to disk first): readers see the old file or the new one, never a torn one,
and a failed write leaves the old file as it was.

``lock_directory(path)`` marks a directory as being written by this process (an ``flock`` the kernel releases
when the process ends, however it ends): a second process that tries to write the same run is refused, naming
the holder.
"""
import contextlib
import fcntl
import os
import tempfile

LOCK_FILE = ".lock"
_held = {}  # path -> open file descriptor, kept for the life of the process


@contextlib.contextmanager
def atomic_open(path: str, mode: str = "w", encoding: str = "utf-8", newline: str = None):
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding, newline=newline) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise


def remove(path: str) -> None:
    """Delete ``path`` if it exists (a stale result, before the run that rewrites it starts)."""
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


class DirectoryLocked(RuntimeError):
    """Another live process is writing the directory."""


def lock_directory(path: str) -> None:
    """Take ``path/.lock`` for the rest of this process's life, or raise ``DirectoryLocked`` naming its holder."""
    path = os.path.abspath(path)
    if path in _held:
        return
    os.makedirs(path, exist_ok=True)
    fd = os.open(os.path.join(path, LOCK_FILE), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
        os.close(fd)
        raise DirectoryLocked(f"{path} is being written by another process (pid {holder}); wait for it to end or "
                              f"stop it, or choose another output directory") from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    _held[path] = fd
