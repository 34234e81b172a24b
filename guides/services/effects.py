"""What runs after a write commits: search index and page-cache generations."""

from __future__ import annotations

from guides.cache.generations import bump_content_generation
from guides.models import (
    Article,
)


def publication_changed(article: Article) -> None:
    """Refresh what depends on the public state: page caches (and search)."""
    from guides.search.indexing import index_article

    index_article(article)
    bump_content_generation(article.tenant_id)


def article_changed_raw(article: Article) -> None:
    """Run after a revert or recover: reversion saves raw, so no save() hook ran."""
    from guides.search.indexing import index_article

    index_article(article)
    bump_content_generation(article.tenant_id)
