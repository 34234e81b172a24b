"""Cloudflare: purge by cache tag (``Cache-Tag`` on the responses).

Options: ``ZONE_ID``; ``BEARER_TOKEN`` (an API token allowed to purge the
zone), or ``EMAIL`` and ``API_KEY``; ``API_URL`` (default
``https://api.cloudflare.com/client/v4``, tests point it at a local server).
"""

from __future__ import annotations

from guides.frontcache.backends import FrontendCacheBackend, PurgeError

API_URL = "https://api.cloudflare.com/client/v4"


class CloudflareBackend(FrontendCacheBackend):
    #: Tags per purge request Cloudflare accepts on every plan.
    batch_size = 30

    def headers(self) -> dict[str, str]:
        if "BEARER_TOKEN" in self.params:
            return {"Authorization": f"Bearer {self.params['BEARER_TOKEN']}"}
        return {
            "X-Auth-Email": self.option("EMAIL"),
            "X-Auth-Key": self.option("API_KEY"),
        }

    def purge(self, *, tenant_id: int, keys: list[str]) -> None:
        base = self.params.get("API_URL", API_URL).rstrip("/")
        url = f"{base}/zones/{self.option('ZONE_ID')}/purge_cache"
        for batch in self.batches(keys):
            answer = self.send_json("POST", url, {"tags": batch}, self.headers())
            if not answer.get("success"):
                raise PurgeError(f"{self.name}: {answer.get('errors')}")
