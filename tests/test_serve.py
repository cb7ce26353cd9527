"""The local server that `./build.sh` starts."""

import socket
import subprocess
import sys

import pytest
from conftest import REPO

pytestmark = pytest.mark.processes


def test_a_busy_port_is_said_plainly_with_what_it_means_for_saved_samples():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-m", "py.serve", "--port", str(port)], cwd=REPO,
                                  stdout=subprocess.PIPE, text=True)
        try:
            lines = [server.stdout.readline() for _ in range(5)]
        finally:
            server.terminate()
            server.wait(10)
    said = "".join(lines)
    assert f"Port {port} is busy" in said and "samples and networks" in said
    assert "Serving" in lines[-1] and f":{port}/" not in lines[-1]
