"""The cache tier in front of the app: purge by surrogate key after a write.

Public responses carry surrogate keys (``guides.cache.surrogate``). A write
names the keys it affects (``guides.services.effects``), which
``outbox.enqueue`` stores as a ``FrontendPurge`` row in the write's own
transaction; once it commits, ``outbox.drain`` sends them to every cache
configured in ``HELPCENTER_FRONTEND_CACHES`` (``backends``), twice (see
``outbox``), and a failure is retried with backoff until it succeeds.
"""
