"""Where pgtext writes: the one check every output path passes and the one way a file is published.

- ``check_output_path``: the suffix fits the option, the path is not a folder, not one of
  the command's inputs (compared as files: symlinks, hard links, ``./x`` and case-insensitive
  names all count as the same file; nothing inside an input folder such as the model
  folder either), and not an existing file unless ``force``. ``--force`` replaces a file
  with the right suffix, never an input, never a folder.
- ``atomic_write``: written to a hidden temporary file beside the target, then published.
  Without ``replace`` publishing fails when the target appeared in the meantime (a hard
  link or an exclusive create, never a plain rename), so "refuse to replace an existing
  file without --force" still holds at the moment of the rename. ``check`` runs right
  before publishing (a merge compares the file's hash there). An error, Ctrl-C or SIGTERM
  leaves no temporary file behind.
- ``exclusive``: a lock beside a file for read-modify-write (``accept`` into a labels file),
  so two runs take turns instead of one losing the other's changes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from pgtext import config
from pgtext.errors import OutputError

TABLE_SUFFIXES = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".sav": "sav", ".zsav": "sav"}
#: What matplotlib writes that pgtext's charts support (the format follows the suffix).
IMAGE_SUFFIXES = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
JSON_SUFFIXES = {".json": "json"}


def same_path(a: str | Path, b: str | Path) -> bool:
    """True when ``a`` and ``b`` name the same file or folder (symlinks, hard links, ``./x``, case)."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):  # one of them does not exist (yet)
        pass
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def overlaps(output: str | Path, source: str | Path) -> bool:
    """``output`` is the input ``source``, or lies inside it when ``source`` is a folder."""
    if same_path(output, source):
        return True
    if not Path(source).is_dir():
        return False
    resolved = Path(os.path.realpath(output))
    return any(parent.exists() and same_path(parent, source) for parent in resolved.parents)


def check_not_input(output: str | Path, inputs: list, option: str = "--output") -> Path:
    """Refuse an output that is one of the inputs (or inside an input folder)."""
    output = Path(output)
    for source in inputs:
        if source is None:
            continue
        source = Path(source)
        if same_path(output, source):
            raise OutputError(f"{output}: is an input file; pgtext never writes over its input. Choose another {option}.")
        if overlaps(output, source):
            raise OutputError(
                f"{output}: is inside the input folder {source}; pgtext never writes into its inputs. Choose another {option}."
            )
    return output


def check_output_path(
    output: str | Path,
    inputs: list,
    force: bool,
    suffixes: dict[str, str] | None = None,
    option: str = "--output",
) -> Path:
    """The checked output path: right suffix, not an input, not a folder, not an existing file without ``force``."""
    output = Path(output)
    suffixes = TABLE_SUFFIXES if suffixes is None else suffixes
    if output.suffix.lower() not in suffixes:
        raise OutputError(f"{output}: {option} must end in {_listed(suffixes)}.")
    check_not_input(output, inputs, option)
    if output.is_dir():
        raise OutputError(f"{output}: is a folder; {option} names a file. Choose another {option}.")
    if output.exists() or output.is_symlink():
        if not output.is_file():
            raise OutputError(f"{output}: exists and is not a regular file; choose another {option}.")
        if not force:
            raise OutputError(f"{output}: already exists; choose another {option} or add --force to replace it.")
    return output


def check_outputs(
    wanted: list[tuple[str | Path | None, dict[str, str], str]], inputs: list, force: bool
) -> list[Path | None]:
    """Check several outputs of one command (path, suffixes, option); they must differ from each other too."""
    checked: list[Path | None] = []
    for path, suffixes, option in wanted:
        if path is None:
            checked.append(None)
            continue
        target = check_output_path(path, inputs, force, suffixes, option)
        for (_, _, other_option), earlier in zip(wanted, checked):
            if earlier is not None and same_path(earlier, target):
                raise OutputError(f"{target}: given to both {other_option} and {option}; give each its own file.")
        checked.append(target)
    return checked


def _listed(suffixes: dict[str, str]) -> str:
    if suffixes is TABLE_SUFFIXES:
        return ".csv, .tsv, .xlsx or .sav"  # .txt, .xlsm and .zsav work too, but are not what anyone should be told to use
    names = sorted(suffixes)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def atomic_write(
    path: str | Path,
    write: Callable[[Path], None],
    replace: bool = False,
    check: Callable[[], None] | None = None,
) -> None:
    """Call ``write`` on a temporary file beside ``path``, then publish it there.

    ``replace`` (``--force``, or a merge that read the file first) may replace an existing
    file; otherwise a file that appeared at ``path`` since the run started is left alone and
    the run refused. ``check`` runs right before publishing and may raise to abort.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{path.parent}: cannot create folder ({exc.strerror or exc}).") from None
    with sigterm_unwinds():
        tmp: Path | None = None
        try:  # a read-only or full folder fails here, before anything is written
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
        except OSError as exc:
            raise OutputError(f"{path}: cannot write in {path.parent} ({exc.strerror or exc}); choose another folder.") from None
        try:
            tmp = Path(tmp_name)
            os.close(fd)
            os.chmod(tmp, 0o666 & ~umask())  # mkstemp makes 0600; outputs get the usual permissions
            write(tmp)
            if check is not None:
                check()
            _publish(tmp, path, replace)
        except OSError as exc:
            raise OutputError(f"{path}: cannot write ({exc.strerror or exc}).") from None
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    tmp.unlink()


def _publish(tmp: Path, path: Path, replace: bool) -> None:
    if replace:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # fails when path exists, whatever happened since the start
        return
    except FileExistsError:
        raise _appeared(path) from None
    except (OSError, AttributeError, NotImplementedError):
        pass  # no hard links here (FAT, some network drives): reserve the name instead
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        raise _appeared(path) from None
    os.close(fd)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()  # the empty file reserved above, not anyone's output
        raise


def _appeared(path: Path) -> OutputError:
    return OutputError(
        f"{path}: appeared while pgtext was writing it (another run?); left it as it is and wrote nothing. "
        "Choose another output name, or add --force to replace it."
    )


@contextlib.contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """While a file is written, SIGTERM unwinds like Ctrl-C (so temporary files are removed), exit code 143."""
    usable = hasattr(signal, "SIGTERM") and threading.current_thread() is threading.main_thread()
    previous = signal.getsignal(signal.SIGTERM) if usable else None
    if previous is not signal.SIG_DFL:  # someone else handles it (or we cannot): leave it to them
        yield
        return

    def terminate(signum, frame):  # noqa: ARG001 - signal handler signature
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def lock_path(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(f".{path.name}.lock")


@contextlib.contextmanager
def exclusive(path: str | Path, wait: float | None = None) -> Iterator[None]:
    """Hold a lock on ``path`` (a hidden ``.NAME.lock`` file beside it) for a read-modify-write.

    Waits up to ``wait`` seconds (``config.LOCK_WAIT_SECONDS``) for another run; a lock whose
    process is gone is taken over.
    The lock file holds the owner's process id, host and start time, for the message.
    """
    path = Path(path)
    lock = lock_path(path)
    deadline = time.monotonic() + (config.LOCK_WAIT_SECONDS if wait is None else wait)
    while True:
        try:
            lock.parent.mkdir(parents=True, exist_ok=True)
            handle = _acquire(lock)
        except OSError as exc:
            raise OutputError(f"{path}: cannot create the lock file {lock.name} ({exc.strerror or exc}).") from None
        if handle is not None:
            break
        if time.monotonic() >= deadline:
            raise OutputError(
                f"{path}: another pgtext run is changing it ({_owner(lock)}); nothing written. Run again when it "
                f"has finished (if no pgtext is running, delete {lock})."
            )
        time.sleep(0.05)
    try:
        yield
    finally:
        _release(lock, handle)


def _stamp() -> bytes:
    now = dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")
    return f"{os.getpid()} {socket.gethostname()} {now}\n".encode()


def _owner(lock: Path) -> str:
    try:
        pid, host, *started = lock.read_text(encoding="utf-8", errors="replace").split()
    except (OSError, ValueError):
        return "lock file present"
    return f"process {pid} on {host} since {' '.join(started)}"


try:
    import fcntl
except ImportError:  # Windows
    fcntl = None


def _acquire(lock: Path):
    """A handle when the lock is ours, None when someone else holds it."""
    if fcntl is not None:
        # flock is released by the kernel when its process dies, so a crash never leaves a stale lock.
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return None
        try:
            current = os.stat(lock)
        except FileNotFoundError:
            current = None
        mine = os.fstat(fd)
        if current is None or (current.st_ino, current.st_dev) != (mine.st_ino, mine.st_dev):
            os.close(fd)  # the holder removed it as we opened it; try again on the new file
            return None
        os.ftruncate(fd, 0)
        os.write(fd, _stamp())
        return fd
    try:
        fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        with contextlib.suppress(OSError):
            if time.time() - lock.stat().st_mtime > config.STALE_LOCK_SECONDS:
                lock.unlink()  # left behind by a run that was killed
        return None
    os.write(fd, _stamp())
    return fd


def _release(lock: Path, fd: int) -> None:
    with contextlib.suppress(OSError):
        lock.unlink()  # while still holding it, so no one locks a file that is about to vanish
    os.close(fd)
