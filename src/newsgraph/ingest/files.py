"""Reading local inputs safely: bounded reads of any kind of file, folders walked
without leaving them.

- A regular file, a device (``/dev/zero``) or a pipe is read up to
  ``max_input_bytes`` + 1 bytes and no further (E005 beyond it), never whole first.
- A FIFO is opened without blocking: a FIFO nobody writes to gives E030 after
  ``read_timeout`` seconds instead of hanging; one that stops sending half-way too.
- A folder is walked in sorted order without following links out of it: a link to
  a file inside the folder is read, a link that leads outside it, to a folder, or
  nowhere is reported (E031), and so is every folder or file that cannot be read.
"""

from __future__ import annotations

import errno
import os
import select
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from ..errors import NewsgraphError, human_size
from ..options import Options

_CHUNK: Final = 64 * 1024
#: How often an idle FIFO (no writer yet) is looked at again, in seconds.
_POLL: Final = 0.05


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "character device"
    if stat.S_ISBLK(mode):
        return "block device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def _too_large(where: str, options: Options, size: str) -> NewsgraphError:
    return NewsgraphError("E005", where=where, size=size, limit=human_size(options.max_input_bytes))


def read_fd(fd: int, *, where: str, options: Options, fifo: bool = False) -> bytes:
    """Read ``fd`` to its end, at most ``max_input_bytes`` (E005 beyond).

    With ``fifo``, ``fd`` is non-blocking: an end of file before any byte may only
    mean no writer has opened the FIFO yet, so it is waited for up to
    ``read_timeout`` seconds (E030), as is any pause of that length later on."""
    limit = options.max_input_bytes
    chunks: list[bytes] = []
    total = 0
    deadline = time.monotonic() + options.read_timeout
    while True:
        if fifo:
            left = deadline - time.monotonic()
            if left <= 0:
                if total:
                    raise NewsgraphError(
                        "E009",
                        where=where,
                        reason=f"the pipe stopped sending for {options.read_timeout:g} seconds",
                    )
                raise NewsgraphError(
                    "E030", where=where, kind="pipe (FIFO)", seconds=options.read_timeout
                )
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
        try:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
        except BlockingIOError:
            continue
        except OSError as exc:
            raise NewsgraphError("E009", where=where, reason=exc.strerror or str(exc)) from exc
        if not chunk:
            if fifo and not total:
                time.sleep(_POLL)  # no writer yet: wait for one
                continue
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise _too_large(where, options, f"more than {human_size(limit)}")
        deadline = time.monotonic() + options.read_timeout
    return b"".join(chunks)


def read_path(path: Path, options: Options) -> bytes:
    """The bytes of the file at ``path``, read within the limits of ``options``."""
    where = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise NewsgraphError("E009", where=where, reason="it is a socket") from exc
        raise NewsgraphError("E009", where=where, reason=exc.strerror or str(exc)) from exc
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise NewsgraphError("E009", where=where, reason="it is a folder")
        if stat.S_ISREG(info.st_mode):
            if info.st_size > options.max_input_bytes:
                raise _too_large(where, options, human_size(info.st_size))
            os.set_blocking(fd, True)
            return read_fd(fd, where=where, options=options)
        fifo = stat.S_ISFIFO(info.st_mode)
        if not fifo:
            os.set_blocking(fd, True)  # a device: read what it gives, up to the limit
        return read_fd(fd, where=where, options=options, fifo=fifo)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Skipped:
    """Something in a folder that is not read, with the coded reason."""

    path: Path
    error: NewsgraphError


def walk_folder(root: Path, suffixes: tuple[str, ...]) -> Iterator[Path | Skipped]:
    """The files under ``root`` whose name ends in one of ``suffixes``, in sorted order,
    and what could not be walked or would lead out of the folder."""
    top = Path(os.path.realpath(root))
    failures: list[OSError] = []
    for here, dirs, files in os.walk(root, onerror=failures.append, followlinks=False):
        while failures:
            exc = failures.pop(0)
            where = exc.filename or here
            yield Skipped(Path(where), NewsgraphError("E009", where=str(where), reason=_why(exc)))
        dirs.sort()
        base = Path(here)
        for name in sorted(dirs):
            p = base / name
            if p.is_symlink():
                yield Skipped(p, _link_error(p, f"to a folder ({os.readlink(p)})"))
        for name in sorted(files):
            p = base / name
            if not name.lower().endswith(suffixes):
                continue
            if p.is_symlink():
                target = Path(os.path.realpath(p))
                if not target.exists():
                    yield Skipped(p, _link_error(p, f"nowhere ({os.readlink(p)} does not exist)"))
                    continue
                if not target.is_relative_to(top):
                    yield Skipped(p, _link_error(p, f"outside the folder (to {target})"))
                    continue
            yield p
    while failures:  # the root itself could not be listed
        exc = failures.pop(0)
        where = exc.filename or str(root)
        yield Skipped(Path(where), NewsgraphError("E009", where=str(where), reason=_why(exc)))


def _why(exc: OSError) -> str:
    return f"the folder cannot be read ({exc.strerror or exc})"


def _link_error(path: Path, why: str) -> NewsgraphError:
    return NewsgraphError("E031", where=str(path), why=why)
