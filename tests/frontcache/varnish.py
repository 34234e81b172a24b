"""A private ``varnishd`` for tests: deploy/varnish/default.vcl on a free port.

The VCL is the deployed one with its backend's port replaced by the test
server's. ``varnishd -F`` runs in the foreground with its working directory
(``-n``) in a temporary directory, so ``varnishstat -n`` reads its counters.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
VCL = ROOT / "deploy" / "varnish" / "default.vcl"
VMOD_DIRS = [
    Path("/usr/lib/x86_64-linux-gnu/varnish/vmods"),
    Path("/usr/lib/varnish/vmods"),
]


def missing() -> str | None:
    """Say why Varnish cannot run here, or None."""
    if not shutil.which("varnishd") and not Path("/usr/sbin/varnishd").exists():
        return "varnishd is not installed (Debian's varnish; make test installs it)"
    if not any((d / "libvmod_xkey.so").exists() for d in VMOD_DIRS) and not list(
        Path("/usr/lib").glob("*/varnish/vmods/libvmod_xkey.so")
    ):
        return "the xkey vmod is not installed (Debian's varnish-modules)"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Varnish:
    def __init__(self, workdir: Path, backend_port: int):
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.name = str(workdir / "varnish")
        vcl = VCL.read_text().replace('.port = "8000";', f'.port = "{backend_port}";')
        assert f'"{backend_port}"' in vcl
        self.vcl = workdir / "test.vcl"
        self.vcl.write_text(vcl)
        self.process: subprocess.Popen | None = None

    def start(self) -> Varnish:
        binary = shutil.which("varnishd") or "/usr/sbin/varnishd"
        self.log = open(self.workdir / "varnishd.log", "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                binary,
                "-F",
                "-j",
                "none",
                "-n",
                self.name,
                "-a",
                f"127.0.0.1:{self.port}",
                "-T",
                "none",
                "-f",
                str(self.vcl),
                "-s",
                "malloc,64m",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            assert self.process.poll() is None, self.read_log()
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                assert time.monotonic() < deadline, self.read_log()
                time.sleep(0.05)

    def read_log(self) -> str:
        return (self.workdir / "varnishd.log").read_text(errors="replace")[-3000:]

    def counter(self, name: str) -> int:
        """Return a counter of ``varnishstat`` (``MAIN.cache_hit``)."""
        done = subprocess.run(
            ["varnishstat", "-n", self.name, "-1", "-f", name],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
        return int(done.stdout.split()[1])

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.log.close()
