"""A throw-away PostgreSQL server for tests: Debian's `postgresql` package
(./build.sh test installs it), a new data folder, a free port on 127.0.0.1,
stopped and deleted at the end. PostgreSQL refuses to run as root, so as
root it runs as the `postgres` user the package creates."""

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator


def binaries() -> str:
    """The folder of the newest installed PostgreSQL's programs (initdb, pg_ctl)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[-3]))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql (./build.sh test does)")
    return os.path.dirname(found[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server() -> Iterator[str]:
    """Start a server; yields its URL (user postgres, database postgres, no password)."""
    bin_dir, port = binaries(), free_port()
    as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    folder = tempfile.mkdtemp(prefix="pg-", dir="/tmp")     # /tmp: a folder the postgres user can reach
    if as_owner:
        shutil.chown(folder, "postgres", "postgres")
    data, log = os.path.join(folder, "data"), os.path.join(folder, "log")

    def run(*command: str) -> None:
        done = subprocess.run([*as_owner, *command], capture_output=True, text=True, timeout=120)
        if done.returncode:     # say why: the folder and its server log are deleted on the way out
            server_log = open(log).read() if os.path.exists(log) else ""
            raise RuntimeError(f"{' '.join(command)}: {done.stdout}{done.stderr}{server_log}")

    try:
        run(f"{bin_dir}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "--no-sync")
        # fsync off: nothing here needs to survive a power cut, and tests run faster
        run(f"{bin_dir}/pg_ctl", "-D", data, "-l", log, "-w", "start", "-o",
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off")
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            run(f"{bin_dir}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
