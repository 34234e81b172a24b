"""What runs after a write commits: search index and page-cache generations."""

from __future__ import annotations

from guides.cache.generations import bump_content_generation
from guides.models import Article


def publication_changed(article: Article) -> None:
    """Refresh what depends on an article's public state: search and pages.

    Called after publish, unpublish and archive, and after a revert or a
    recover: reversion saves raw, so no ``save()`` hook ran for those.
    """
    from guides.search.indexing import index_article

    index_article(article)
    bump_content_generation(article.tenant_id)
