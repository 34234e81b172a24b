"""Running the help center: client addresses, health, logs, metrics, start-up.

``clients`` finds the reader's address (through trusted proxies only);
``front`` is the outermost WSGI layer (health probes, metrics, request ids,
the access log); ``health``, ``logs`` and ``metrics`` are what it serves and
records; ``startup`` refuses unsafe starts; ``errors`` sets up Sentry.
Nothing here imports a model at module level: settings and the logging
configuration import these modules before the app registry is ready.
"""
