"""Fastly: purge by surrogate key (``Surrogate-Key`` on the responses).

Options: ``SERVICE_ID``, ``API_KEY`` (a token with purge scope), ``SOFT``
(mark stale instead of evicting), ``API_URL`` (default
``https://api.fastly.com``, tests point it at a local server).
"""

from __future__ import annotations

from guides.frontcache.backends import FrontendCacheBackend

API_URL = "https://api.fastly.com"


class FastlyBackend(FrontendCacheBackend):
    #: Keys per bulk purge Fastly accepts.
    batch_size = 256

    def purge(self, *, tenant_id: int, keys: list[str]) -> None:
        base = self.params.get("API_URL", API_URL).rstrip("/")
        url = f"{base}/service/{self.option('SERVICE_ID')}/purge"
        headers = {"Fastly-Key": self.option("API_KEY"), "Accept": "application/json"}
        if self.params.get("SOFT"):
            headers["Fastly-Soft-Purge"] = "1"
        for batch in self.batches(keys):
            self.send(
                "POST", url, headers={**headers, "Surrogate-Key": " ".join(batch)}
            )
