"""Varnish with the xkey module (``deploy/varnish/default.vcl``).

Options: ``LOCATIONS`` (the Varnish servers, ``http://127.0.0.1:6081``),
``METHOD`` (``PURGE``, the default, asks xkey to purge the keys in the
``xkey`` header; ``BAN`` asks for a ban on the same keys), ``SOFT`` (send
``xkey-softpurge`` instead: objects go stale, and may be served during their
grace while Varnish fetches them again).
"""

from __future__ import annotations

from guides.frontcache.backends import FrontendCacheBackend


class VarnishBackend(FrontendCacheBackend):
    batch_size = 200

    def purge(self, *, tenant_id: int, keys: list[str]) -> None:
        method = self.params.get("METHOD", "PURGE").upper()
        header = "xkey-softpurge" if self.params.get("SOFT") else "xkey"
        for location in self.option("LOCATIONS"):
            for batch in self.batches(keys):
                self.send(
                    method,
                    location.rstrip("/") + "/",
                    headers={header: " ".join(batch)},
                )
