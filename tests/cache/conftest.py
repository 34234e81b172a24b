import pytest

from tests.cache.redis_server import BINARY, RedisServer, available


@pytest.fixture
def redis_server(tmp_path):
    """A private, empty ``redis-server`` on a free port, stopped afterwards."""
    if not available():
        pytest.skip(
            f"{BINARY} is not installed (Debian's redis-server; make test installs it)"
        )
    server = RedisServer(tmp_path / "redis").start()
    yield server
    server.stop()
