"""The static files storage: WhiteNoise's compressed manifest, never failing a page."""

from __future__ import annotations

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed names and gzip/brotli copies, as WhiteNoise makes them.

    One difference: a name missing from the manifest (``collectstatic`` not
    run since the file was added, or never on this machine) is linked under
    its plain name, which WhiteNoise still serves from the source folders
    (``WHITENOISE_USE_FINDERS``) with a short max-age, and a warning is
    logged once per name. Django's storage raises instead, and every page
    that links the file answers 500: a forgotten build step would take the
    whole site down rather than only its far-future caching.
    """

    _reported: set[str] = set()

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            if name not in self._reported:
                self._reported.add(name)
                logger.warning(
                    "Static file %s is not in the manifest: linked unhashed "
                    "(run manage.py collectstatic)",
                    name,
                )
            return name
