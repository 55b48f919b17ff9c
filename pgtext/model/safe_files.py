"""Reading a model folder someone else may have written: plain files only, bounded, every value checked.

A model folder travels between colleagues, so nothing in it is trusted: each file must be a
regular file (not a link, FIFO or device), no bigger than its cap in ``pgtext.config``, and is
read once (the bytes that are hashed are the bytes that are parsed). JSON is parsed strictly
(no NaN/Infinity, no repeated keys) and arrays come out of ``head.npz`` as plain floats without
numpy ever unpickling. ``Check`` turns a failed check into one line naming the file and the key.
"""

from __future__ import annotations

import io
import json
import math
import os
import stat
import zipfile
import zlib
from pathlib import Path
from typing import NoReturn

import numpy as np

from pgtext.errors import ModelError

NOT_PGTEXT = "this model folder was not written by pgtext (retrain it or ask its sender)"
_CONTROL = {chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))}


def short(value: object, width: int = 40) -> str:
    """A value as a message shows it: its repr, cut to ``width`` characters."""
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def size_text(size: int) -> str:
    return f"{size / (1 << 20):,.1f} MB" if size >= 1 << 20 else f"{size:,} bytes"


class Check:
    """Checks on the values of one file; a failure is a one-line ``ModelError`` naming file and key."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, what: str) -> NoReturn:
        raise ModelError(f"{self.path}: {what}; {NOT_PGTEXT}.")

    def that(self, ok: bool, what: str) -> None:
        if not ok:
            self.fail(what)

    def mapping(self, value: object, key: str) -> dict:
        self.that(isinstance(value, dict), f"{key} is {short(value)}, not a JSON object")
        return value  # type: ignore[return-value]

    def keys(self, value: dict, key: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> None:
        """Exactly the keys pgtext writes: all of ``required``, any of ``optional``, nothing else."""
        for name in value:
            self.that(name in required or name in optional, f"{key} holds {short(name)}, which pgtext does not write")
        for name in required:
            self.that(name in value, f"{key} has no {short(name)}")

    def listing(self, value: object, key: str, most: int) -> list:
        self.that(isinstance(value, list), f"{key} is {short(value)}, not a list")
        self.that(len(value) <= most, f"{key} has {len(value):,} items, more than pgtext writes ({most:,})")  # type: ignore[arg-type]
        return value  # type: ignore[return-value]

    def integer(self, value: object, key: str, low: int, high: int) -> int:
        ok = type(value) is int and low <= value <= high
        self.that(ok, f"{key} is {short(value)}, not a whole number from {low:,} to {high:,}")
        return value  # type: ignore[return-value]

    def number(self, value: object, key: str, low: float, high: float) -> float:
        ok = type(value) in (int, float) and math.isfinite(value) and low <= value <= high  # type: ignore[arg-type]
        self.that(ok, f"{key} is {short(value)}, not a number from {low:g} to {high:g}")
        return float(value)  # type: ignore[arg-type]

    def boolean(self, value: object, key: str) -> bool:
        self.that(type(value) is bool, f"{key} is {short(value)}, not true or false")
        return value  # type: ignore[return-value]

    def choice(self, value: object, key: str, choices: tuple) -> object:
        # by type as well as value: 1 == True, but true is not a setting pgtext writes as 1
        ok = any(type(value) is type(c) and value == c for c in choices)
        self.that(ok, f"{key} is {short(value)}, not one of {', '.join(short(c) for c in choices)}")
        return value

    def text(self, value: object, key: str, most: int, lines: bool = False, empty: bool = False) -> str:
        """A string of at most ``most`` characters without control characters (tab and line ends if ``lines``)."""
        self.that(isinstance(value, str), f"{key} is {short(value)}, not text")
        self.that(empty or value != "", f"{key} is empty")
        self.that(len(value) <= most, f"{key} is {len(value):,} characters long, more than pgtext writes ({most:,})")  # type: ignore[arg-type]
        allowed = {"\t", "\n", "\r"} if lines else set()
        bad = next((c for c in value if c in _CONTROL and c not in allowed), None)  # type: ignore[union-attr]
        self.that(bad is None, f"{key} holds the control character {short(bad)}")
        return value  # type: ignore[return-value]

    def sha256(self, value: object, key: str) -> str:
        ok = isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)
        self.that(ok, f"{key} is {short(value)}, not a SHA-256 in hex")
        return value  # type: ignore[return-value]


def read_file(path: Path, cap: int) -> bytes:
    """The bytes of a regular file in a model folder, refusing links, FIFOs, devices and files over ``cap``.

    The checks run on the path itself (``lstat``) before anything is opened, and again on the open
    descriptor (opened without following links and without blocking), so a file swapped in
    between cannot slip through.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise ModelError(f"{path}: cannot read ({exc.strerror}); check the folder's permissions.") from None
    _check_kind(path, info, cap)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ModelError(f"{path}: cannot read ({exc.strerror}); copy the model folder again.") from None
    with os.fdopen(fd, "rb") as handle:
        opened = os.fstat(handle.fileno())
        if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
            raise ModelError(f"{path}: changed while pgtext was reading it; try again.")
        _check_kind(path, opened, cap)
        data = handle.read(opened.st_size + 1)  # read(n) sets n bytes aside: the size, not the cap
    if len(data) != opened.st_size:
        raise ModelError(f"{path}: changed while pgtext was reading it; try again.")
    return data


def _check_kind(path: Path, info: os.stat_result, cap: int) -> None:
    if stat.S_ISLNK(info.st_mode):
        raise ModelError(
            f"{path}: is a symbolic link; pgtext reads only plain files from a model folder "
            "(copy the files themselves, not links to them)."
        )
    if not stat.S_ISREG(info.st_mode):
        raise ModelError(f"{path}: is not a plain file (a FIFO, device or folder); {NOT_PGTEXT}.")
    if info.st_size > cap:
        _too_big(path, info.st_size, cap)


def _too_big(path: Path, size: int, cap: int) -> NoReturn:
    raise ModelError(
        f"{path}: is {size_text(size)}, more than pgtext reads from a model folder ({size_text(cap)}); {NOT_PGTEXT}."
    )


def parse_json(path: Path, data: bytes, kind: str) -> object:
    """Strict JSON: UTF-8, no NaN or Infinity, no number too big for a float, no key given twice.

    ``kind`` names the file in the message about a file that is not JSON ("model card").
    """
    check = Check(path)

    def no_repeats(pairs: list[tuple[str, object]]) -> dict:
        out: dict = {}
        for key, value in pairs:
            if key in out:
                check.fail(f"key {short(key)} appears twice in one object")
            out[key] = value
        return out

    def finite(text: str) -> float:
        value = float(text)
        check.that(math.isfinite(value), f"holds the number {short(text)}, too big for pgtext to have written")
        return value

    def constant(text: str) -> NoReturn:
        check.fail(f"holds {text}, which is not JSON that pgtext writes")

    try:
        return json.loads(data.decode("utf-8"), object_pairs_hook=no_repeats, parse_float=finite, parse_constant=constant)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc).splitlines()[0][:120]
        raise ModelError(f"{path}: damaged {kind} ({reason}); retrain or copy the folder again.") from None


def read_npz(path: Path, data: bytes, names: list[str], unpacked_cap: int) -> dict[str, np.ndarray]:
    """The float arrays ``names`` from the bytes of an ``.npz``: exactly those, each checked before it is read.

    Member sizes are checked against ``unpacked_cap`` before decompressing, each ``.npy`` header
    is checked (a float dtype, a shape that fits the bytes) before any memory is set aside, and
    the data are copied out with ``np.frombuffer``: nothing can be unpickled.
    """
    check = Check(path)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise ModelError(f"{path}: damaged (not an .npz archive); copy the folder again or retrain.") from None
    with archive:
        members = archive.infolist()
        found = [m.filename for m in members]
        seen: set[str] = set()
        for name in found:
            check.that(name.endswith(".npy") and name[:-4] in names, f"holds an array {short(name)} that pgtext does not write")
            check.that(name not in seen, f"holds the array {short(name)} twice")
            seen.add(name)
        for name in names:
            check.that(f"{name}.npy" in found, f"has no array {short(name)}")
        total = sum(m.file_size for m in members)
        if total > unpacked_cap:
            raise ModelError(
                f"{path}: its arrays take {size_text(total)} unpacked, more than pgtext reads from a model folder "
                f"({size_text(unpacked_cap)}); {NOT_PGTEXT}."
            )
        arrays = {}
        for member in members:
            try:
                with archive.open(member) as handle:
                    raw = handle.read(member.file_size + 1)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError) as exc:
                raise ModelError(f"{path}: damaged ({short(str(exc), 80)}); copy the folder again or retrain.") from None
            arrays[member.filename[:-4]] = _npy(check, member.filename[:-4], raw)
    return arrays


def _npy(check: Check, name: str, raw: bytes) -> np.ndarray:
    from numpy.lib import format as npy

    handle = io.BytesIO(raw)
    try:
        version = npy.read_magic(handle)
        if version == (1, 0):
            shape, fortran, dtype = npy.read_array_header_1_0(handle)
        elif version == (2, 0):
            shape, fortran, dtype = npy.read_array_header_2_0(handle)
        else:
            check.fail(f"array {short(name)} has .npy version {version}, which pgtext does not write")
    except (ValueError, SyntaxError, TypeError, EOFError) as exc:
        check.fail(f"array {short(name)} has a damaged header ({short(str(exc), 60)})")
    check.that(
        dtype.kind == "f" and dtype.itemsize in (4, 8) and not dtype.hasobject and dtype.fields is None,
        f"array {short(name)} holds {short(str(dtype))}, not floating-point numbers",
    )
    count = math.prod(shape)
    offset = handle.tell()
    check.that(count * dtype.itemsize == len(raw) - offset, f"array {short(name)} has shape {shape} but not its bytes")
    flat = np.frombuffer(raw, dtype=dtype, count=count, offset=offset)
    return flat.reshape(shape, order="F" if fortran else "C").astype(np.float64)
