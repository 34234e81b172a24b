"""A private ``redis-server`` for fault tests: killed, frozen and restarted at will.

Debian's ``redis-server`` (``make test`` installs it where it is missing) runs
on a free port of 127.0.0.1 with a directory of its own and no persistence,
so nothing it holds survives a kill: a new server on the same port starts
empty, as a Redis without persistence does after a crash. The shared Redis
of the machine is never touched.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from pathlib import Path

from tests.cache.servers import free_port

BINARY = "redis-server"

#: The longest a server may take to answer its first PING.
START_SECONDS = 10.0


def ping(port: int) -> bool:
    """Say whether a Redis on ``port`` answers PING right now."""
    import redis

    client = redis.Redis(
        host="127.0.0.1", port=port, socket_connect_timeout=0.2, socket_timeout=0.2
    )
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


class RedisServer:
    """One ``redis-server`` process on ``127.0.0.1:port``."""

    def __init__(self, workdir: Path, port: int | None = None):
        self.workdir = workdir
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None
        self.frozen = False

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        """Return a client of this server (for assertions, never for the site)."""
        import redis

        return redis.Redis(
            host="127.0.0.1", port=self.port, socket_connect_timeout=1, socket_timeout=1
        )

    def start(self) -> RedisServer:
        """Start a new, empty server on this port; wait until it answers."""
        assert self.process is None or self.process.poll() is not None
        self.workdir.mkdir(parents=True, exist_ok=True)
        log = (self.workdir / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [
                BINARY,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.workdir),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.frozen = False
        deadline = time.monotonic() + START_SECONDS
        for _attempt in range(400):
            if ping(self.port):
                return self
            if self.process.poll() is not None or time.monotonic() > deadline:
                break
            time.sleep(0.025)
        self.stop()
        log_text = (self.workdir / "redis.log").read_text(errors="replace")
        raise RuntimeError(f"redis-server did not start on {self.port}:\n{log_text}")

    def kill(self) -> None:
        """End the server at once (SIGKILL), as a crash or an OOM kill does."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.frozen = False

    def freeze(self) -> None:
        """Stop the server (SIGSTOP): it accepts connections and never answers."""
        self.process.send_signal(signal.SIGSTOP)
        self.frozen = True

    def thaw(self) -> None:
        """Let a frozen server go on (SIGCONT), with everything it held."""
        self.process.send_signal(signal.SIGCONT)
        self.frozen = False

    def restart(self) -> None:
        """Kill the server and start a new, empty one on the same port."""
        self.kill()
        self.start()

    def stop(self) -> None:
        """End the server whatever its state (frozen included)."""
        if self.process is None or self.process.poll() is not None:
            return
        if self.frozen:
            self.thaw()
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def available() -> bool:
    return shutil.which(BINARY) is not None
