"""What a write changes besides its rows: page generations and the search index.

The content generation that keys a tenant's cached pages is bumped inside
the write's own transaction (``guides.cache.generations``): the ``UPDATE``
commits or rolls back with the data, so no failure after the commit (a cache
or search fault, a crashed process) can leave old pages served, and a reader
rendering before the commit still reads the old generation, so it cannot
store the old page under the new key.

What talks to other systems (the search index) runs once the write commits,
through ``transaction.on_commit(..., robust=True)``: a fault there is logged
and never turns a committed write into an error.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction

from guides.cache.generations import bump_content_generation
from guides.models import Article


def content_changed(tenant_id: int) -> None:
    """Make the tenant's cached pages stale, in the current transaction."""
    bump_content_generation(tenant_id)


def publication_changed(article: Article) -> None:
    """Refresh what depends on an article's public state: pages and search.

    Call inside the write's transaction, after publish, unpublish and archive,
    and after a revert or a recover: reversion saves raw, so no ``save()``
    hook ran for those. The pages' generation moves with the transaction;
    the search index follows once it commits.
    """
    content_changed(article.tenant_id)
    transaction.on_commit(partial(_index_article, article), robust=True)


def _index_article(article: Article) -> None:
    from guides.search.indexing import index_article

    index_article(article)
