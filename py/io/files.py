"""Files from outside, read and written with care. Only regular files are
read (a device such as /dev/zero never ends, a pipe blocks), and never more
than a limit. Outputs are checked before any work starts and replaced
atomically, so a crash, Ctrl-C or a failed run never leaves half a file, nor
replaces a good one."""

import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO

from .errors import BadInput

CHUNK = 1 << 20     # bytes read at a time


def open_regular(path: str | Path) -> BinaryIO:
    """`path` opened for reading (binary) if it is a regular file; anything
    else is refused before it is opened. OSError is left to the caller, who
    knows what the file was for."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise BadInput(f"{path}: not a regular file")
    return open(path, "rb")


def read_bytes(path: str | Path, limit: int) -> bytes:
    """The whole of a regular file of at most `limit` bytes. A larger one is
    refused by its size, or, if it claims less than it holds (/proc files
    claim 0 bytes), by reading in pieces no further than the limit."""
    too_large = f"{path}: larger than {limit:,} bytes, more than such a file can hold"
    try:
        with open_regular(path) as f:
            if os.fstat(f.fileno()).st_size > limit:
                raise BadInput(too_large)
            pieces, size = [], 0
            while size <= limit and (piece := f.read(min(CHUNK, limit + 1 - size))):
                pieces.append(piece)
                size += len(piece)
    except OSError as e:
        raise BadInput(f"{path}: cannot read ({e.strerror or e})") from None
    if size > limit:
        raise BadInput(too_large)
    return b"".join(pieces)


def check_output(path: str, option: str, *, size: int = 0) -> Path:
    """Find out now, before any work, whether `path` (given as `option`) can
    be written: a name, not a directory nor a device, in a folder where we may
    create files (or under one, where the missing folders will be made), on
    a file system with room for `size` bytes (the old file is replaced only
    once the new one is whole, so it frees none)."""
    if not path:
        raise BadInput(f"{option}: empty file name")
    p = Path(path)
    try:
        if p.exists() and not p.is_file():
            raise BadInput(f"{option} {path}: is a directory or a device, not a file")
        folder = p.parent
        while not folder.exists():
            folder = folder.parent
        if not folder.is_dir():
            raise BadInput(f"{option} {path}: {folder} is not a folder")
        tempfile.TemporaryFile(dir=folder).close()     # the real test, whoever we are (root may not write a read-only disk)
        disk = os.statvfs(folder)
        if size > disk.f_bavail * disk.f_frsize:
            raise BadInput(f"{option} {path}: {disk.f_bavail * disk.f_frsize:,} bytes free on its file system, "
                           f"too little for the {size:,} bytes it may take")
    except OSError as e:
        raise BadInput(f"{option} {path}: cannot write there ({e.strerror or e})") from None
    return p


def write_atomically(path: str | Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over
    `path`: readers see the old file or the new one, never half of one. A
    write that fails (a full disk) is BadInput and leaves no temporary file."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(tmp, 0o644)   # mkstemp makes it private; our outputs are meant to be shared
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as e:
        raise BadInput(f"{path}: cannot write it ({e.strerror or e}); a file already there is kept") from None
