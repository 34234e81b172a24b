"""Import how-to articles from Markdown and plain-text files.

One module per concern: ``sources`` reads bytes into text, ``hygiene`` removes
promotional and unsafe content, ``parser`` finds procedures and their parts,
``detection`` names the carrier and card type, ``runner`` writes articles
through the services and builds the report. ``import_sources`` is the entry
point for the management command and the admin upload.
"""

from guides.importers.runner import ImportReport, import_sources
from guides.importers.sources import Source, SourceError

__all__ = ["ImportReport", "Source", "SourceError", "import_sources"]
